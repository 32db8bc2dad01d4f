from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView

from . import views

app_name = "open311"

FORMAT = r"\.(?P<format>json|xml)"

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(urlconf="apps.open311.schema_urls"), name="openapi"),
    re_path(rf"^discovery{FORMAT}$", views.Discovery.as_view(), name="discovery"),
    re_path(rf"^services{FORMAT}$", views.ServiceList.as_view(), name="services"),
    re_path(rf"^services/(?P<service_code>[a-z0-9][a-z0-9_-]*){FORMAT}$", views.ServiceDefinition.as_view(),
            name="service"),
    re_path(rf"^requests{FORMAT}$", views.Requests.as_view(), name="requests"),
    re_path(rf"^requests/(?P<service_request_id>[A-Za-z0-9-]{{1,30}}){FORMAT}$", views.RequestDetail.as_view(),
            name="request"),
    re_path(rf"^tokens/(?P<token>[A-Za-z0-9_-]{{1,60}}){FORMAT}$", views.Token.as_view(), name="token"),
    re_path(r"^(?P<rest>.*)$", views.NotFound.as_view(), name="not_found"),
]
