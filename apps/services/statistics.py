"""Published service statistics (/services/statistics/): per month and service group.

Every figure is a database aggregate over the named read rules (``completed()``,
``completed_on_time()``, ``Rating.objects.counted()``), one query per measure:

- accepted (受理件数): requests accepted in the month (``accepted()``); a submission
  refused before acceptance (不予受理), withdrawn or still waiting is not counted;
- completed, completed on time (%), average working days to resolve: requests
  resolved in the month (``workdays_used`` is written by the resolve action);
- ratings, satisfaction (share of 4 and 5): ratings given in the month, never
  one taken out by an upheld malicious-rating appeal;
- bad ratings rectified on time (%): rectification cases opened in the month
  that are settled (reported back, or past their due date): the share reported
  back by the due date. Cases of excluded ratings are not counted.

Months are Beijing-time calendar months. The page is the page cache's area
``services.statistics`` and the figures are cached under that area's generation,
so the actions that change them (accept, resolve, rate, report back, decide an
appeal) call ``statistics_changed()``: the page and the figures are stale at
once, and the rest of the site stays cached.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth

from apps.core import pagecache
from apps.core.workdays import SHANGHAI

from . import deadlines

MONTHS = 12
CACHE_SECONDS = 3600


AREA = "services.statistics"


def statistics_changed() -> None:
    """The published figures changed: stale statistics pages and figures (after commit)."""
    pagecache.content_changed(area=AREA)


@dataclass
class Figures:
    """One cell of the table: a month and a service group (or all groups: ``group`` None)."""

    month: dt.date
    group: str = ""
    accepted: int = 0
    completed: int = 0
    on_time: int = 0
    days_total: int = 0
    days_counted: int = 0
    ratings: int = 0
    satisfied: int = 0
    cases_settled: int = 0
    cases_on_time: int = 0

    @staticmethod
    def _percent(part: int, whole: int):
        return round(100 * part / whole, 1) if whole else None

    @property
    def on_time_percent(self):
        return self._percent(self.on_time, self.completed)

    @property
    def average_days(self):
        return round(self.days_total / self.days_counted, 1) if self.days_counted else None

    @property
    def satisfaction_percent(self):
        return self._percent(self.satisfied, self.ratings)

    @property
    def rectified_percent(self):
        return self._percent(self.cases_on_time, self.cases_settled)

    def add(self, other: Figures) -> None:
        for name in ("accepted", "completed", "on_time", "days_total", "days_counted", "ratings", "satisfied",
                     "cases_settled", "cases_on_time"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Statistics:
    months: list[dt.date]
    groups: list[tuple[int, str]]
    rows: list[Figures] = field(default_factory=list)  # month x group, months newest first
    totals: list[Figures] = field(default_factory=list)  # one per month, oldest first (the charts)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_until(last: dt.date, count: int = MONTHS) -> list[dt.date]:
    """``count`` month starts ending with ``last``'s month, oldest first."""
    year, month = last.year, last.month
    result = []
    for _i in range(count):
        result.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return result[::-1]


def _key(moment) -> dt.date:
    if isinstance(moment, dt.datetime):
        moment = deadlines.local_day(moment) if moment.tzinfo is not None else moment.date()
    return month_start(moment)


def compute(today: dt.date, count: int = MONTHS) -> Statistics:
    """The figures of the ``count`` months ending with ``today``'s month (five queries)."""
    from .models import Rating, Rectification, ServiceGroup, ServiceRequest
    from .models.ratings import CaseState
    from .models.requests import RESOLVED_ON_TIME

    months = months_until(today, count)
    start = dt.datetime.combine(months[0], dt.time(), tzinfo=SHANGHAI)
    cells: dict[tuple[dt.date, int], Figures] = {}

    def cell(month, group_id) -> Figures:
        key = (_key(month), group_id)
        if key not in cells:
            cells[key] = Figures(month=key[0])
        return cells[key]

    def month_of(name):
        return TruncMonth(name, tzinfo=SHANGHAI)

    accepted = (ServiceRequest.objects.accepted().filter(accepted_at__gte=start).annotate(m=month_of("accepted_at"))
                .values("m", "service__group").annotate(n=Count("pk")).order_by())
    for row in accepted:
        cell(row["m"], row["service__group"]).accepted = row["n"]

    completed = (ServiceRequest.objects.completed().filter(resolved_at__gte=start).annotate(m=month_of("resolved_at"))
                 .values("m", "service__group")
                 .annotate(n=Count("pk"), on_time=Count("pk", filter=RESOLVED_ON_TIME),
                           days_total=Sum("workdays_used"), days_counted=Count("workdays_used"))
                 .order_by())
    for row in completed:
        figures = cell(row["m"], row["service__group"])
        figures.completed, figures.on_time = row["n"], row["on_time"]
        figures.days_total, figures.days_counted = row["days_total"] or 0, row["days_counted"]

    ratings = (Rating.objects.counted().filter(rated_at__gte=start).annotate(m=month_of("rated_at"))
               .values("m", "request__service__group")
               .annotate(n=Count("pk"), satisfied=Count("pk", filter=Q(score__gte=4))).order_by())
    for row in ratings:
        figures = cell(row["m"], row["request__service__group"])
        figures.ratings, figures.satisfied = row["n"], row["satisfied"]

    today_start = dt.datetime.combine(today, dt.time(), tzinfo=SHANGHAI)
    reported = Q(state=CaseState.REPORTED)
    cases = (Rectification.objects.filter(rating__in=Rating.objects.counted(), opened_at__gte=start)
             .filter(reported | Q(due_date__lt=today_start.date())).exclude(state=CaseState.CANCELLED)
             .annotate(m=month_of("opened_at")).values("m", "request__service__group")
             .annotate(n=Count("pk"), on_time=Count("pk", filter=reported & Q(reported_at__date__lte=F("due_date"))))
             .order_by())
    for row in cases:
        figures = cell(row["m"], row["request__service__group"])
        figures.cases_settled, figures.cases_on_time = row["n"], row["on_time"]

    groups = list(ServiceGroup.objects.order_by("position", "pk").values_list("pk", "name"))
    stats = Statistics(months=months, groups=groups)
    for month in reversed(months):
        for group_id, name in groups:
            figures = cells.get((month, group_id))
            if figures is not None:
                figures.group = name
                stats.rows.append(figures)
    for month in months:
        total = Figures(month=month)
        for group_id, _name in groups:
            if (month, group_id) in cells:
                total.add(cells[(month, group_id)])
        stats.totals.append(total)
    return stats


def published(today: dt.date) -> Statistics:
    """The figures the page shows, cached until the next change of the figures."""
    key = f"services:statistics:{pagecache.generation()}:{pagecache.generation(AREA)}:{today:%Y-%m}"
    found = cache.get(key)
    if found is None:
        found = compute(today)
        cache.set(key, found, CACHE_SECONDS)
    return found


def next_month_start(now: dt.datetime) -> dt.datetime:
    """The page cache's next scheduled change: the statistics page moves on to a new month."""
    local = now.astimezone(SHANGHAI)
    year, month = (local.year, local.month + 1) if local.month < 12 else (local.year + 1, 1)
    return dt.datetime(year, month, 1, tzinfo=SHANGHAI)
