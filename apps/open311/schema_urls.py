"""The URLs the OpenAPI description covers: the API under its public prefix."""

from django.urls import include, path

urlpatterns = [path("open311/v2/", include("apps.open311.urls"))]
