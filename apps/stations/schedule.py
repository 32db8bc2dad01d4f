"""When the stations' pages change by themselves: the page cache's next-change provider.

"Open now" on the station list and the home page flips at each opening and
closing of any published station. Cost: five queries (stations, their weekly
intervals, exceptions and stops within the horizon, the calendar overrides) and,
in Python, O(stations x horizon days x intervals a day): a few hundred interval
comparisons for the demo's five stations, ~10 ms for a few hundred stations.
The middleware calls it when it stores a page, not per request served from cache.
"""

import datetime as dt

from django.utils import timezone

from apps.core.calendar import working_calendar
from apps.core.workdays import SHANGHAI

from .hours import HORIZON_DAYS, StationHours
from .models import ServiceStation


def next_station_change(now: dt.datetime) -> dt.datetime | None:
    today = timezone.localtime(now, SHANGHAI).date()
    stations = ServiceStation.objects.published().with_hours(today, today + dt.timedelta(days=HORIZON_DAYS))
    calendar = working_calendar()
    times = [StationHours(station, calendar).next_change(now) for station in stations]
    return min((t for t in times if t is not None), default=None)
