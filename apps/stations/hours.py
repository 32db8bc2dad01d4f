"""Is a station open? Opening hours on the official calendar, in Beijing time.

For one Beijing date the intervals that *start* that day are, in order of precedence:

1. the station's dated exceptions for that day (any "closed" row: closed all day;
   otherwise exactly the exception intervals — extended or reduced hours);
2. for a mobile station, its stops that day (where it will be);
3. on a statutory holiday (a day off on the working-day calendar that is a weekday,
   or any day the calendar package names as a holiday): closed, if the station
   says so, else its weekly hours;
4. on an adjusted working weekend (调休上班): if the station opens on those, the
   hours of its first weekday (Monday to Friday) that has any; else its weekend hours;
5. otherwise its weekly hours for that weekday.

An interval whose closing time is not after its opening time ends the next day.
The station's hours, exceptions and stops must be prefetched
(``ServiceStation.objects.with_hours(first, last)``); the calendar is one
``apps.core.calendar.working_calendar()`` (one query) shared by all stations.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass

import chinese_calendar
from django.utils import timezone

from apps.core.workdays import SHANGHAI, CalendarUnknown, WorkdayCalendar

#: How far ahead "next opening" and the page cache's next change look.
HORIZON_DAYS = 14

NORMAL, HOLIDAY, ADJUSTED_WORKDAY = "normal", "holiday", "adjusted_workday"


@dataclass(frozen=True)
class Interval:
    start: dt.datetime
    end: dt.datetime
    place: str = ""


@dataclass(frozen=True)
class OpenState:
    """What the public sees: open or closed at ``now``, until when, and the next opening."""

    is_open: bool
    closes_at: dt.datetime | None  # when open: the end of the current (merged) interval
    next_opening: dt.datetime | None  # when closed: the next start within the horizon
    place: str = ""  # a mobile station's current or next place
    day_type: str = NORMAL


def day_type(day: dt.date, calendar: WorkdayCalendar) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CalendarUnknown)  # an unknown year counts Mon-Fri
        workday = calendar.is_workday(day)
    if workday and day.weekday() >= 5:
        return ADJUSTED_WORKDAY
    if not workday:
        if day.weekday() < 5:
            return HOLIDAY
        try:
            if chinese_calendar.get_holiday_detail(day)[1] is not None:
                return HOLIDAY  # a weekend inside a statutory holiday
        except NotImplementedError:
            pass
    return NORMAL


class DayTypes:
    """``day_type`` memoised per date: shared by all the stations of one computation,
    so a list or the next-change provider asks the calendar once per day, not once
    per station and day (chinese-calendar's holiday lookup costs ~0.1 ms)."""

    def __init__(self, calendar: WorkdayCalendar):
        self.calendar = calendar
        self._memo: dict[dt.date, str] = {}

    def __call__(self, day: dt.date) -> str:
        found = self._memo.get(day)
        if found is None:
            found = self._memo[day] = day_type(day, self.calendar)
        return found


def _at(day: dt.date, opens: dt.time, closes: dt.time, place: str = "") -> Interval:
    start = dt.datetime.combine(day, opens, tzinfo=SHANGHAI)
    end_day = day if closes > opens else day + dt.timedelta(days=1)
    return Interval(start, dt.datetime.combine(end_day, closes, tzinfo=SHANGHAI), place)


class StationHours:
    """The opening-hours computation for one station (its rows prefetched)."""

    def __init__(self, station, calendar: "WorkdayCalendar | DayTypes"):
        self.station = station
        self.day_type = calendar if isinstance(calendar, DayTypes) else DayTypes(calendar)
        self.weekly: dict[int, list] = {}
        for row in station.hours.all():
            self.weekly.setdefault(row.weekday, []).append(row)
        self.exceptions: dict[dt.date, list] = {}
        for row in station.exceptions.all():
            self.exceptions.setdefault(row.date, []).append(row)
        self.stops: dict[dt.date, list] = {}
        for row in station.stops.all():
            self.stops.setdefault(row.date, []).append(row)

    def _weekday_rows(self, day: dt.date, kind: str) -> list:
        if kind == HOLIDAY and self.station.closed_on_holidays:
            return []
        if kind == ADJUSTED_WORKDAY and self.station.open_on_adjusted_workdays:
            for weekday in range(5):
                if self.weekly.get(weekday):
                    return self.weekly[weekday]
            return []
        return self.weekly.get(day.weekday(), [])

    def intervals_on(self, day: dt.date) -> list[Interval]:
        """The intervals starting on ``day`` (Beijing date), in order."""
        if day in self.exceptions:
            rows = self.exceptions[day]
            if any(row.closed for row in rows):
                return []
            return sorted((_at(day, row.opens, row.closes) for row in rows), key=lambda i: i.start)
        if self.station.is_mobile and day in self.stops:
            return sorted(
                (_at(day, row.opens, row.closes, row.place) for row in self.stops[day]), key=lambda i: i.start
            )
        rows = self._weekday_rows(day, self.day_type(day))
        return sorted((_at(day, row.opens, row.closes) for row in rows), key=lambda i: i.start)

    def merged(self, first: dt.date, days: int) -> list[Interval]:
        """Intervals starting from the day before ``first`` for ``days`` days, with
        overlapping or touching ones joined (no change of state at their seam)."""
        found = []
        for offset in range(-1, days):
            found += self.intervals_on(first + dt.timedelta(days=offset))
        found.sort(key=lambda i: i.start)
        merged: list[Interval] = []
        for interval in found:
            if merged and interval.start <= merged[-1].end:
                last = merged[-1]
                merged[-1] = Interval(last.start, max(last.end, interval.end), last.place or interval.place)
            else:
                merged.append(interval)
        return merged

    def _windows(self, today: dt.date):
        """The merged intervals of the next two days, then (only if the answer is not
        settled within them) of the whole horizon, each with the first instant its
        intervals cannot reach: a boundary at or after it might merge with a later day."""
        for days in (2, HORIZON_DAYS + 1):
            limit = dt.datetime.combine(today + dt.timedelta(days=days), dt.time.min, tzinfo=SHANGHAI)
            yield self.merged(today, days), limit

    def state_at(self, now: dt.datetime) -> OpenState:
        today = timezone.localtime(now, SHANGHAI).date()
        kind = self.day_type(today)
        for intervals, limit in self._windows(today):
            for interval in intervals:
                if interval.start <= now < interval.end and interval.end < limit:
                    return OpenState(True, interval.end, None, interval.place, kind)
                if now < interval.start < limit:
                    return OpenState(False, None, interval.start, interval.place, kind)
        return OpenState(False, None, None, "", kind)

    def next_change(self, now: dt.datetime) -> dt.datetime | None:
        """The next opening or closing after ``now`` within the horizon."""
        today = timezone.localtime(now, SHANGHAI).date()
        for intervals, limit in self._windows(today):
            for interval in intervals:
                for moment in (interval.start, interval.end):
                    if now < moment < limit:
                        return moment
        return None

    def week(self) -> list[tuple[str, list]]:
        """The weekly table: (weekday label, [(opens, closes), ...]) Monday to Sunday."""
        from .models import Weekday

        return [(label, [(row.opens, row.closes) for row in sorted(self.weekly.get(value, []), key=lambda r: r.opens)])
                for value, label in Weekday.choices]


def with_open_state(stations, now) -> list:
    """Give each station (hours prefetched) ``open_state`` at ``now``; one calendar
    query, and none when there is no station."""
    if not stations:
        return stations
    from apps.core.calendar import working_calendar

    calendar = DayTypes(working_calendar())
    for station in stations:
        station.open_state = StationHours(station, calendar).state_at(now)
    return stations


def open_now(now, *, limit: int | None = None) -> list:
    """Published stations open at ``now`` (the home page), in a constant number of queries."""
    from .models import ServiceStation

    today = timezone.localtime(now, SHANGHAI).date()
    stations = ServiceStation.objects.published().for_list().with_hours(today, today + dt.timedelta(days=HORIZON_DAYS))
    found = [s for s in with_open_state(list(stations), now) if s.open_state.is_open]
    return found[:limit] if limit else found
