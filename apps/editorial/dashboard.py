"""The "我的待办" dashboard at the top of the admin index.

A constant number of queries whatever the number of items: one per list, and
one per editorial model for drafts, retrospective reviews and column freshness.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from . import rules
from .models import ReviewTask, Status, TaskStatus, editorial_models


@dataclass
class Entry:
    title: str
    url: str
    detail: str = ""
    when: datetime | None = None
    overdue: bool = False


def _change_url(app_label: str, model_name: str, object_id) -> str:
    try:
        return reverse(f"admin:{app_label}_{model_name}_change", args=[object_id])
    except NoReverseMatch:
        return ""


def _task_entries(tasks) -> list[Entry]:
    now = timezone.now()
    return [
        Entry(
            title=t.round.item_repr,
            url=_change_url(t.round.content_type.app_label, t.round.content_type.model, t.round.object_id),
            detail=f"{t.name} · {t.group.name}",
            when=t.due_at,
            overdue=t.due_at < now,
        )
        for t in tasks
    ]


def _actionable(tasks, user, limit: int = 50) -> list:
    """The open steps ``user`` could decide now: not their own submission or
    writing (two-person rule), nor a second step of a round they already approved
    where the chain wants distinct reviewers. The authors live in a JSON column, so
    a few more rows than shown are read and filtered here (same query)."""
    earlier = ReviewTask.objects.filter(round=OuterRef("round"), status=TaskStatus.APPROVED, decided_by=user)
    found = []
    for task in tasks.annotate(approved_earlier=Exists(earlier))[: limit * 4]:
        if not rules.passes_two_person_rule(user, task.round):
            continue
        if task.round.distinct_reviewers and task.approved_earlier:
            continue
        found.append(task)
        if len(found) == limit:
            break
    return found


def calendar_gaps(now=None) -> list[int]:
    """Years within PARKPORTAL_CALENDAR_WARN_DAYS (90) whose working-day calendar is
    unknown (chinese-calendar has no data, and nobody entered the published schedule)."""
    from apps.core.calendar import unknown_years_ahead

    return unknown_years_ahead(getattr(settings, "PARKPORTAL_CALENDAR_WARN_DAYS", 90), now=now)


def column_freshness(models, now=None) -> list[dict]:
    """Public columns and how long since they were last updated, stalest first."""
    now = now or timezone.now()
    stale_days = settings.PARKPORTAL_COLUMN_STALE_DAYS
    warn_days = settings.PARKPORTAL_COLUMN_WARN_DAYS
    columns = []
    for model in models:
        describe = getattr(model, "editorial_columns", None)
        if describe is None:
            continue
        for name, last_update in describe():
            age = (now - last_update).days if last_update else None
            if age is None or age >= warn_days:
                columns.append({
                    "name": name,
                    "last_update": last_update,
                    "age_days": age,
                    "stale": age is None or age >= stale_days,
                    "days_left": None if age is None else max(stale_days - age, 0),
                })
    columns.sort(key=lambda c: -1 if c["age_days"] is None else -c["age_days"])
    return columns


def for_user(user) -> dict:
    models = editorial_models()
    base = ReviewTask.objects.select_related("round__content_type", "group").order_by("due_at")
    mine = _task_entries(_actionable(base.for_user(user), user))
    overdue = _task_entries(base.overdue()[:50]) if user.has_perm("editorial.publish_content") or user.is_superuser else [
        e for e in mine if e.overdue
    ]
    drafts, retrospective = [], []
    for model in models:
        opts = model._meta
        for item in model._base_manager.filter(
            latest_revision__created_by=user, status__in=[Status.DRAFT, Status.CHANGES_REQUESTED]
        ).order_by("-updated_at")[:20]:
            drafts.append(Entry(str(item), _change_url(opts.app_label, opts.model_name, item.pk),
                                item.get_status_display(), item.updated_at))
        for item in model._base_manager.filter(awaiting_retrospective_review=True).order_by("first_published_at")[:20]:
            retrospective.append(Entry(str(item), _change_url(opts.app_label, opts.model_name, item.pk),
                                       str(opts.verbose_name), item.public_updated_at))
    return {
        "calendar_gaps": calendar_gaps(),
        "my_tasks": mine,
        "overdue_tasks": overdue,
        "my_drafts": drafts,
        "awaiting_retrospective": retrospective,
        "stale_columns": column_freshness(models),
        "stale_days": settings.PARKPORTAL_COLUMN_STALE_DAYS,
    }
