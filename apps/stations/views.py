"""Public pages of the service stations. Reads go through the named rules
(``ServiceStation.objects.published()`` and its filters, ``with_hours()``), in a
constant number of queries whatever the number of stations. "Open now", "closes
at" and "next opening" are computed here at the request's moment, in Beijing time,
on the working-day calendar (``apps.stations.hours``)."""

import datetime as dt
from decimal import Decimal

from django.db.models import prefetch_related_objects
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from apps.core.calendar import working_calendar
from apps.core.models import ColumnType
from apps.core.workdays import SHANGHAI
from apps.editorial.media_text import show_reviewed_text
from apps.editorial.public import public_item
from apps.core.params import row_id

from .hours import HORIZON_DAYS, StationHours, with_open_state
from .models import ServiceStation, StationKind, StationService

COLUMN = {"name": "创业服务站", "type": ColumnType.SERVICES,
          "description": "乌鲁木齐高新区（新市区）创业社区服务站点、服务事项和开放时间"}




@require_safe
def index(request):
    now = timezone.now()
    today = timezone.localtime(now, SHANGHAI).date()
    service, kind = row_id(request.GET.get("service")), row_id(request.GET.get("kind"))
    community = (request.GET.get("community") or "").strip()[:50]
    only_open = request.GET.get("open") == "1"
    published = ServiceStation.objects.published()
    stations = published.for_list().with_hours(today, today + dt.timedelta(days=HORIZON_DAYS))
    if service is not None:
        stations = stations.offering(service)
    if kind is not None:
        stations = stations.of_kind(kind)
    if community:
        stations = stations.in_community(community)
    rows = with_open_state(list(stations), now)
    if only_open:
        rows = [s for s in rows if s.open_state.is_open]
    return render(request, "stations/index.html", {
        "stations": rows, "services": list(StationService.objects.all()), "kinds": list(StationKind.objects.all()),
        "communities": published.communities(), "service": service, "kind": kind, "community": community,
        "only_open": only_open, "column": COLUMN, "active_column": "stations",
    })


@require_safe
def detail(request, pk: int):
    today = timezone.localdate(timezone.now(), SHANGHAI)
    queryset = ServiceStation.objects.select_related("kind").with_hours(today, today + dt.timedelta(days=HORIZON_DAYS))
    item, gone = public_item(request, queryset, pk=pk)
    if gone is not None:
        return gone
    return render_station(request, item)


def _coordinate(value: Decimal | None) -> str:
    return format(value.normalize(), "f") if value is not None else ""


def opening_hours_specification(hours: StationHours, exceptions) -> list[dict]:
    """schema.org OpeningHoursSpecification: one entry per weekly interval, and one per
    dated exception (validFrom/validThrough the day; closed as 00:00-00:00)."""
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    spec = [
        {"@type": "OpeningHoursSpecification", "dayOfWeek": f"https://schema.org/{days[row.weekday]}",
         "opens": f"{row.opens:%H:%M}", "closes": f"{row.closes:%H:%M}"}
        for rows in hours.weekly.values() for row in rows
    ]
    for row in exceptions:
        day = row.date.isoformat()
        opens, closes = ("00:00", "00:00") if row.closed else (f"{row.opens:%H:%M}", f"{row.closes:%H:%M}")
        spec.append({"@type": "OpeningHoursSpecification", "validFrom": day, "validThrough": day,
                     "opens": opens, "closes": closes})
    return spec


def render_station(request, item, *, preview: bool = False):
    now = timezone.now()
    today = timezone.localtime(now, SHANGHAI).date()
    if preview:  # a preview's rows are read fresh (the renderer gets a bare instance)
        prefetch_related_objects([item], "hours", "exceptions", "stops")
    hours = StationHours(item, working_calendar())
    state = hours.state_at(now)
    photos = list(item.photos.select_related("image"))
    prefetch_related_objects([p.image for p in photos], "renditions")
    show_reviewed_text(item, [p.image for p in photos])
    exceptions = [row for row in item.exceptions.all() if row.date >= today]
    stops = [row for row in item.stops.all() if row.date >= today]
    lat, lon = _coordinate(item.latitude), _coordinate(item.longitude)
    jsonld = {
        "@context": "https://schema.org", "@type": "GovernmentOffice", "name": item.name,
        "address": {"@type": "PostalAddress", "streetAddress": item.address, "addressLocality": "乌鲁木齐市",
                    "addressRegion": "新疆维吾尔自治区", "addressCountry": "CN"},
        "url": request.build_absolute_uri(item.get_absolute_url()),
        "openingHoursSpecification": opening_hours_specification(hours, exceptions),
    }
    if item.phone:
        jsonld["telephone"] = item.phone
    if lat and lon:
        jsonld["geo"] = {"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}
    return render(request, "stations/detail.html", {
        "item": item, "state": state, "week": hours.week(), "exceptions": exceptions, "stops": stops,
        "services": list(item.services.all()), "photos": photos, "lat": lat, "lon": lon, "jsonld": jsonld,
        "preview": preview, "column": COLUMN, "active_column": "stations",
    })
