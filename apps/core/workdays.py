"""Working days on the official Chinese calendar (Beijing time).

Deadlines in the portal count working days (工作日): Monday to Friday, minus
statutory holidays, plus the adjusted working weekends (调休) that the State
Council publishes each autumn for the next year.

Sources, in order of precedence:

1. ``overrides``: a mapping ``date -> is_workday`` supplied by the caller
   (later: rows of an admin-editable model, entered when next year's
   schedule is published and before the calendar package knows it);
2. the ``chinese_calendar`` package for the years it covers;
3. otherwise plain Monday to Friday.  Such a year is *unknown*: a
   :class:`CalendarUnknown` warning is emitted whenever a result depends on
   it, and :func:`year_is_known` lets callers show that the result is
   provisional.  A year counts as known once ``overrides`` holds at least
   one date in it (the admins have entered that year's schedule).

Dates are calendar days in Asia/Shanghai.  Aware datetimes are converted to
Asia/Shanghai first; naive datetimes are taken to be Beijing time already.

For many computations with the same overrides, build one
:class:`WorkdayCalendar` and reuse it (its methods mirror the functions
below, and the functions also accept one in place of ``overrides``).  The
module-level functions cache calendars by the content of ``overrides``.
"""

from __future__ import annotations

import warnings
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

__all__ = [
    "SHANGHAI",
    "CalendarUnknown",
    "WorkdayCalendar",
    "add_workdays",
    "is_workday",
    "next_workday",
    "supported_years",
    "workdays_between",
    "year_is_known",
]

# Official time.  Not Asia/Urumqi (UTC+6, "Xinjiang time").
SHANGHAI = ZoneInfo("Asia/Shanghai")


class CalendarUnknown(UserWarning):
    """A result used plain Monday-Friday for a year with no holiday data.

    ``years`` holds the years concerned.
    """

    def __init__(self, years):
        if isinstance(years, str):  # rebuilt from its message (as pytest-xdist does)
            self.years = ()
            super().__init__(years)
            return
        self.years = tuple(sorted(set(years)))
        listed = ", ".join(str(year) for year in self.years)
        super().__init__(
            f"No holiday schedule for {listed}: counted Monday to Friday only. "
            f"Enter the published holidays and make-up working days for {listed}."
        )


def _package_years() -> range:
    # Same bounds chinese_calendar itself enforces (it raises
    # NotImplementedError outside them).
    years = [day.year for day in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


_PACKAGE_YEARS = _package_years()


def supported_years() -> range:
    """Years the installed ``chinese_calendar`` package has data for."""
    return _PACKAGE_YEARS


def _local_date(value) -> date:
    """Calendar day of ``value`` in Asia/Shanghai."""
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            value = value.astimezone(SHANGHAI)
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date or datetime, got {type(value).__name__}")


@lru_cache(maxsize=None)
def _base_year(year: int) -> tuple[bool, frozenset[int]]:
    """(known, ordinals of working days) for ``year`` without overrides."""
    first = date(year, 1, 1).toordinal()
    days = [date.fromordinal(ordinal) for ordinal in range(first, date(year, 12, 31).toordinal() + 1)]
    if year in _PACKAGE_YEARS:
        try:
            return True, frozenset(d.toordinal() for d in days if chinese_calendar.is_workday(d))
        except NotImplementedError:  # defensive: the package refused the year after all
            pass
    return False, frozenset(d.toordinal() for d in days if d.weekday() < 5)


class WorkdayCalendar:
    """Working-day arithmetic with a fixed set of overrides.

    Per-year data is built lazily (a sorted list of working-day ordinals per
    year), so lookups are O(1) and counting/adding is a bisection per year
    touched, whatever ``n`` is.
    """

    def __init__(self, overrides: Mapping[date, bool] | None = None):
        self._overrides: dict[int, bool] = {}
        self._override_years: set[int] = set()
        for key, value in (overrides or {}).items():
            day = _local_date(key)
            self._overrides[day.toordinal()] = bool(value)
            self._override_years.add(day.year)
        self._years: dict[int, tuple[bool, frozenset[int], list[int]]] = {}

    # -- per-year data -------------------------------------------------------

    def _year(self, year: int) -> tuple[bool, frozenset[int], list[int]]:
        data = self._years.get(year)
        if data is None:
            known, workdays = _base_year(year)
            if year in self._override_years:
                known = True
                adjusted = set(workdays)
                first = date(year, 1, 1).toordinal()
                last = date(year, 12, 31).toordinal()
                for ordinal, is_work in self._overrides.items():
                    if first <= ordinal <= last:
                        if is_work:
                            adjusted.add(ordinal)
                        else:
                            adjusted.discard(ordinal)
                workdays = frozenset(adjusted)
            data = (known, workdays, sorted(workdays))
            self._years[year] = data
        return data

    def year_is_known(self, year: int) -> bool:
        """True if ``year`` has holiday data (package or overrides)."""
        return self._year(year)[0]

    def _warn_unknown(self, years) -> None:
        unknown = [year for year in years if not self._year(year)[0]]
        if unknown:
            warnings.warn(CalendarUnknown(unknown), stacklevel=4)

    # -- queries -------------------------------------------------------------

    def is_workday(self, day) -> bool:
        day = _local_date(day)
        known, workdays, _ = self._year(day.year)
        if not known:
            self._warn_unknown([day.year])
        return day.toordinal() in workdays

    def _nth_after(self, ordinal: int, n: int) -> tuple[int, list[int]]:
        """Ordinal of the n-th working day after ``ordinal`` (n >= 1)."""
        year = date.fromordinal(ordinal).year
        touched = []
        while True:
            if ordinal < date(year, 12, 31).toordinal():  # some day of this year is looked at
                touched.append(year)
            _, _, ordered = self._year(year)
            index = bisect_right(ordered, ordinal)
            available = len(ordered) - index
            if n <= available:
                return ordered[index + n - 1], touched
            n -= available
            year += 1
            ordinal = date(year, 1, 1).toordinal() - 1

    def _nth_before(self, ordinal: int, n: int) -> tuple[int, list[int]]:
        """Ordinal of the n-th working day before ``ordinal`` (n >= 1)."""
        year = date.fromordinal(ordinal).year
        touched = []
        while True:
            if ordinal > date(year, 1, 1).toordinal():  # some day of this year is looked at
                touched.append(year)
            _, _, ordered = self._year(year)
            index = bisect_left(ordered, ordinal)
            if n <= index:
                return ordered[index - n], touched
            n -= index
            year -= 1
            ordinal = date(year, 12, 31).toordinal() + 1

    def add_workdays(self, start, n: int):
        """The n-th working day after ``start``.

        Counting starts on the next working day: ``n=1`` is the first working
        day after the day of ``start``.  ``n=0`` returns ``start`` itself if
        that is a working day, else the next working day.  Negative ``n``
        counts backwards (``n=-1`` is the last working day before ``start``).

        A ``date`` gives a ``date``.  A ``datetime`` gives an aware datetime
        in Asia/Shanghai with the same (Beijing) time of day.
        """
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"n must be an int, got {type(n).__name__}")
        local_start = start
        if isinstance(start, datetime):
            if start.tzinfo is not None and start.utcoffset() is not None:
                local_start = start.astimezone(SHANGHAI)
        day = _local_date(local_start)
        ordinal = day.toordinal()
        if n > 0:
            result, touched = self._nth_after(ordinal, n)
        elif n < 0:
            result, touched = self._nth_before(ordinal, -n)
        else:
            result, touched = self._nth_after(ordinal - 1, 1)
        self._warn_unknown(touched)
        result_day = date.fromordinal(result)
        if isinstance(local_start, datetime):
            return datetime.combine(result_day, local_start.time(), tzinfo=SHANGHAI)
        return result_day

    def next_workday(self, day):
        """The first working day strictly after ``day`` (same as n=1)."""
        return self.add_workdays(day, 1)

    def workdays_between(self, a, b) -> int:
        """Working days d with a < d <= b; negative (the count for b < d <= a) if b < a."""
        first = _local_date(a).toordinal()
        last = _local_date(b).toordinal()
        sign = 1
        if last < first:
            first, last, sign = last, first, -1
        if first == last:
            return 0
        # Years of the days actually counted: first + 1 .. last.
        first_year = date.fromordinal(first + 1).year
        last_year = date.fromordinal(last).year
        total = 0
        for year in range(first_year, last_year + 1):
            _, _, ordered = self._year(year)
            total += bisect_right(ordered, last) - bisect_right(ordered, first)
        self._warn_unknown(range(first_year, last_year + 1))
        return sign * total


_DEFAULT = WorkdayCalendar()


@lru_cache(maxsize=32)
def _calendar_for_items(items: frozenset) -> WorkdayCalendar:
    return WorkdayCalendar(dict(items))


def _calendar(overrides: Mapping[date, bool] | None) -> WorkdayCalendar:
    if not overrides:
        return _DEFAULT
    if isinstance(overrides, WorkdayCalendar):
        return overrides
    items = frozenset((_local_date(key), bool(value)) for key, value in overrides.items())
    if len({key for key, _ in items}) != len(items):
        # Two keys naming the same Beijing day with different values
        # (e.g. datetimes): let the plain constructor's last-wins apply.
        return WorkdayCalendar(overrides)
    return _calendar_for_items(items)


def is_workday(day: date | datetime, overrides: Mapping[date, bool] | None = None) -> bool:
    """True if ``day`` (its Beijing calendar day) is a working day."""
    return _calendar(overrides).is_workday(day)


def year_is_known(year: int, overrides: Mapping[date, bool] | None = None) -> bool:
    """True if holiday data exists for ``year``.

    Known means: covered by the installed ``chinese_calendar`` package, or
    ``overrides`` has at least one date in ``year``.  For other years the
    functions here fall back to Monday-Friday and warn with CalendarUnknown.
    """
    return _calendar(overrides).year_is_known(year)


def add_workdays(
    start: date | datetime, n: int, overrides: Mapping[date, bool] | None = None
) -> date | datetime:
    """See :meth:`WorkdayCalendar.add_workdays`."""
    return _calendar(overrides).add_workdays(start, n)


def next_workday(
    day: date | datetime, overrides: Mapping[date, bool] | None = None
) -> date | datetime:
    """The first working day strictly after ``day``."""
    return _calendar(overrides).next_workday(day)


def workdays_between(
    a: date | datetime, b: date | datetime, overrides: Mapping[date, bool] | None = None
) -> int:
    """Working days after ``a`` up to and including ``b``; negative if b < a."""
    return _calendar(overrides).workdays_between(a, b)
