"""The beat sweep: one reminder before a request's due date and one overdue alert,
each at most once per request (a sent-at field claimed by a conditional UPDATE,
so two sweeps running at once cannot both send)."""

from django.db import transaction
from django.utils import timezone

from .. import deadlines
from ..models import RequestEvent, ServiceRequest
from ..notifications import queue_alert


def _claim(pk: int, field: str) -> bool:
    """Set ``field`` if it is still empty; True for the one caller that did."""
    return ServiceRequest.objects.filter(pk=pk, **{f"{field}__isnull": True}).update(**{field: timezone.now()}) == 1


def _alert(pk: int, field: str, kind: str) -> bool:
    with transaction.atomic():
        if not _claim(pk, field):
            return False
        RequestEvent.objects.create(request_id=pk, kind=kind, is_public=False)
        queue_alert(pk, kind)
    return True


def send_deadline_alerts(today=None) -> dict:
    """Remind before the due date and alert once overdue (assignee and supervisors)."""
    from apps.core.calendar import working_calendar

    calendar = working_calendar()
    today = today or deadlines.today()
    sent = {"remind": 0, "overdue_alert": 0}
    running = ServiceRequest.objects.clock_running()
    for pk, due in running.filter(overdue_alert_sent_at__isnull=True, due_date__lt=today).values_list("pk", "due_date"):
        sent["overdue_alert"] += _alert(pk, "overdue_alert_sent_at", "overdue_alert")
    candidates = running.filter(reminder_sent_at__isnull=True, due_date__gte=today).values_list("pk", "due_date")
    for pk, due in candidates:
        if deadlines.reminder_day(due, calendar) <= today:
            sent["remind"] += _alert(pk, "reminder_sent_at", "remind")
    return sent
