"""Service stations in site search (apps.search.registry)."""

from django.utils.translation import gettext_lazy as _

from apps.search.registry import register

from .models import ServiceStation


def _station_body(station) -> str:
    services = [s.name for s in station.services.all()]
    return " ".join(filter(None, [station.kind.name, *services, station.community, station.address,
                                  station.description, station.accessibility_notes]))


register(
    ServiceStation, key="stations", label=_("服务站"), position=50,
    rule=lambda: ServiceStation.objects.published(),
    title="name", summary="community", body=_station_body, date=None,
    terms=("name",), select=("kind",), prefetch=("services",),
)
