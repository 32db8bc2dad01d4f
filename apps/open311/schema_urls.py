"""The URLs the OpenAPI description covers: each endpoint under its public prefix, once
per format (DRF's schema generators leave out ``.{format}`` suffix patterns)."""

from django.urls import re_path

from .urls import ENDPOINTS

urlpatterns = [
    re_path(rf"^open311/v2/{stem}\.{fmt}$", view.as_view(), {"format": fmt}, name=f"{name}_{fmt}")
    for stem, view, name in ENDPOINTS
    for fmt in ("json", "xml")
]
