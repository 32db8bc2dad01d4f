"""The project's URLs plus a trivial view: the benchmark's reference floor."""

from django.http import HttpResponse
from django.urls import path

from parkportal.urls import urlpatterns as project_urlpatterns


def trivial(request):
    return HttpResponse("ok", content_type="text/html; charset=utf-8")


def shell(request):
    from django.template import engines

    template = engines["django"].from_string('{% extends "base.html" %}{% block title %}空页面{% endblock %}')
    return HttpResponse(template.render({}, request))


urlpatterns = [path("bench-trivial/", trivial), path("bench-shell/", shell), *project_urlpatterns]
