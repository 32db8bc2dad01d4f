"""The self-inspection report's indicators: a registry, the grading rule, and the
indicators this app knows (registered by ``InspectionConfig.ready``).

An indicator is a function ``compute(now) -> Result`` registered with a key,
a title and its place in the national checklist's order. Each reads database
aggregates and the stored checker results (``LiveWordingHit``, ``LinkCheck``):
a fixed number of queries however much content there is.

Grading (:func:`grade`): ``fail`` at the limit, ``warn`` from 80 % of it (within
20 % of the limit), ``pass`` below. Ages are measured from ``now``; a limit in
months is counted on the Beijing calendar (:func:`period_start`).

Adding an indicator (as ``builtin.py`` adds unanswered consultations, reading
``apps.interaction``'s rule through ``apps.get_model``), from an ``AppConfig.ready``::

    from datetime import timedelta
    from apps.inspection.indicators import oldest_open, register_indicator

    register_indicator("consultations", _("留言咨询答复"), order=60, compute=lambda now: oldest_open(
        Message.objects.unanswered(), date_field="submitted_at", limit=("months", 3), now=now,
        title=_("留言咨询答复"), rule=_("群众留言 3 个月内答复")))
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PASS, WARN, FAIL = "pass", "warn", "fail"
STATUS_LABELS = {PASS: gettext_lazy("通过"), WARN: gettext_lazy("预警"), FAIL: gettext_lazy("不合格")}
_RANK = {PASS: 0, WARN: 1, FAIL: 2}
WARN_RATIO = 0.8


@dataclass
class Row:
    label: str
    detail: str = ""
    verdict: str = FAIL
    fix_url: str = ""
    when: datetime | None = None
    who: str = ""


@dataclass
class Result:
    key: str
    title: str
    status: str
    value: str
    rule: str
    rows: list[Row] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class Indicator:
    key: str
    title: str
    order: int
    compute: Callable[[datetime], Result]


_INDICATORS: dict[str, Indicator] = {}


def register_indicator(key: str, title, *, order: int, compute: Callable[[datetime], Result]) -> None:
    """Add (or replace) an indicator; the report lists them by ``order``."""
    _INDICATORS[key] = Indicator(key, str(title), order, compute)


def registered() -> list[Indicator]:
    return sorted(_INDICATORS.values(), key=lambda i: (i.order, i.key))


def worst(statuses) -> str:
    return max(statuses, key=_RANK.__getitem__, default=PASS)


def grade(value, limit) -> str:
    """``fail`` at the limit, ``warn`` from 80 % of it."""
    if value >= limit:
        return FAIL
    if value >= limit * WARN_RATIO:
        return WARN
    return PASS


def period_start(now: datetime, limit) -> datetime:
    """The instant ``limit`` (``("days", n)`` or ``("months", n)``) before ``now``;
    months on the Beijing calendar (31 March − 1 month = 28/29 February)."""
    unit, amount = limit
    if unit == "days":
        return now - timedelta(days=amount)
    local = timezone.localtime(now)
    month_index = local.year * 12 + local.month - 1 - amount
    year, month = divmod(month_index, 12)
    day = min(local.day, calendar.monthrange(year, month + 1)[1])
    return local.replace(year=year, month=month + 1, day=day)


def grade_age(last: datetime | None, now: datetime, limit) -> str:
    """A last update ``last`` against a limit: fail when the whole limit has passed
    (or there was never one), warn after 80 % of it."""
    if last is None:
        return FAIL
    span = now - period_start(now, limit)
    return grade(now - last, span)


def describe_limit(limit) -> str:
    unit, amount = limit
    return (_("%(n)s 天") if unit == "days" else _("%(n)s 个月")) % {"n": amount}


def describe_age(last: datetime | None, now: datetime) -> str:
    if last is None:
        return _("从未更新")
    days = (now - last).days
    return _("%(date)s（%(days)s 天前）") % {"date": timezone.localtime(last).strftime("%Y-%m-%d %H:%M"), "days": days}


def admin_url(app_label: str, model_name: str, pk) -> str:
    try:
        return reverse(f"admin:{app_label}_{model_name}_change", args=[pk])
    except NoReverseMatch:
        return ""


def oldest_open(queryset, *, date_field: str, limit, now: datetime, key: str = "", title="", rule="",
                max_rows: int = 100) -> Result:
    """For a registered indicator: open items (e.g. unanswered consultations) graded
    by the oldest one's age; rows are the items at warn or worse (two queries)."""
    warn_from = now - (now - period_start(now, limit)) * WARN_RATIO
    oldest = queryset.order_by(date_field).values_list(date_field, flat=True).first()
    status = PASS if oldest is None else grade_age(oldest, now, limit)
    opts = queryset.model._meta
    rows = [
        Row(str(obj), describe_age(getattr(obj, date_field), now), grade_age(getattr(obj, date_field), now, limit),
            admin_url(opts.app_label, opts.model_name, obj.pk), getattr(obj, date_field))
        for obj in queryset.filter(**{f"{date_field}__lte": warn_from}).order_by(date_field)[:max_rows]
    ]
    return Result(key, str(title), status, _("最久未办 %(age)s") % {"age": describe_age(oldest, now)} if oldest
                  else _("无待办"), str(rule), rows)


def compute_all(now: datetime | None = None) -> list[Result]:
    now = now or timezone.now()
    results = []
    for indicator in registered():
        result = indicator.compute(now)
        result.key, result.title = indicator.key, indicator.title
        results.append(result)
    return results


def setting(name: str):
    return getattr(settings, f"PARKPORTAL_INSPECTION_{name}")
