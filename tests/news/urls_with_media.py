"""The project's URLs plus /media/ served from MEDIA_ROOT, for live-server tests.

In production the reverse proxy (or the object store) serves /media/; pytest's
live server serves only static files.
"""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from parkportal.urls import urlpatterns as project_urlpatterns


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.+)$", media), *project_urlpatterns]
