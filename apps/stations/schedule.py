"""When the stations' pages change by themselves: the page cache's next-change provider.

"Open now" on the station list and the home page flips at each opening and
closing of any published station. Computing it costs five queries (stations,
their weekly intervals, exceptions and stops within the horizon, the calendar
overrides) and, mostly, building the interval rows: measured ~1.3 ms per station
on SQLite (100 stations with office hours: ~135 ms), the Python rule itself being
a few microseconds a day per station (one calendar lookup per day for all).

So the answer is remembered in the cache for the current content generation: until
that instant nothing published changes by itself, and every publication, withdrawal
or edit going live bumps the generation (the engine's actions call
``content_changed()``). A remembered answer is used while ``computed_at <= now <
answer``; after the instant passes, or for a new generation, it is computed again:
once per opening or closing, not once per stored page. Calendar overrides entered
in the admin do not bump the generation, hence a one-hour time-to-live.
"""

import datetime as dt

from django.core.cache import cache
from django.utils import timezone

from apps.core.calendar import working_calendar
from apps.core.pagecache import generation
from apps.core.workdays import SHANGHAI

from .hours import HORIZON_DAYS, DayTypes, StationHours
from .models import ServiceStation

MEMO_KEY = "stations:next_change:{generation}"
MEMO_TTL = 3600


def compute_next_station_change(now: dt.datetime) -> dt.datetime | None:
    today = timezone.localtime(now, SHANGHAI).date()
    stations = (
        ServiceStation.objects.published().with_hours(today, today + dt.timedelta(days=HORIZON_DAYS))
        .order_by().only("pk", "is_mobile", "closed_on_holidays", "open_on_adjusted_workdays")
    )
    calendar = DayTypes(working_calendar())
    times = [StationHours(station, calendar).next_change(now) for station in stations]
    return min((t for t in times if t is not None), default=None)


def next_station_change(now: dt.datetime) -> dt.datetime | None:
    """The next opening or closing of any published station after ``now`` (None: none
    within the horizon), remembered for the content generation (see the module)."""
    key = MEMO_KEY.format(generation=generation())
    remembered = cache.get(key)
    if remembered is not None:
        computed_at, answer = remembered
        if computed_at <= now and (answer is None or now < answer):
            return answer
    answer = compute_next_station_change(now)
    cache.set(key, (now, answer), MEMO_TTL)
    return answer
