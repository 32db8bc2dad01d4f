from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView

from . import views

app_name = "open311"

#: (pattern without the format suffix, view, name): each answers in .json and .xml.
ENDPOINTS = (
    (r"discovery", views.Discovery, "discovery"),
    (r"services", views.ServiceList, "services"),
    (r"services/(?P<service_code>[a-z0-9][a-z0-9_-]*)", views.ServiceDefinition, "service"),
    (r"requests", views.Requests, "requests"),
    (r"requests/(?P<service_request_id>[A-Za-z0-9-]{1,30})", views.RequestDetail, "request"),
    (r"tokens/(?P<token>[A-Za-z0-9_-]{1,60})", views.Token, "token"),
)

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(urlconf="apps.open311.schema_urls"), name="openapi"),
    *[re_path(rf"^{stem}\.(?P<format>json|xml)$", view.as_view(), name=name) for stem, view, name in ENDPOINTS],
    re_path(r"^(?P<rest>.*)$", views.NotFound.as_view(), name="not_found"),
]
