"""Deadline alerts: one reminder before a row's due date and one overdue alert once
it has passed, each at most once per row, whatever the number of sweeps running.

A domain's beat sweep (service requests, rectification cases, messages) passes
the rows whose clock runs, its reminder day rule and what to do for each alert
(``send(pk, kind)``: queue a task through the outbox, add an event row). The row
needs ``due_date``, ``reminder_sent_at`` and ``overdue_alert_sent_at``; the
sent-at field is claimed by a conditional UPDATE in the transaction that queues
the alert, so two sweeps at once cannot both send, and a failed send leaves the
field empty for the next sweep.
"""

from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.utils import timezone

from .calendar import working_calendar

REMIND = "remind"
OVERDUE_ALERT = "overdue_alert"


def _once(model, pk, field: str, kind: str, send: Callable) -> int:
    with transaction.atomic():
        claimed = model._default_manager.filter(pk=pk, **{f"{field}__isnull": True}).update(**{field: timezone.now()})
        if claimed != 1:
            return 0
        send(pk, kind)
    return 1


def send_due_alerts(rows, *, today: date, reminder_day: Callable, send: Callable) -> dict:
    """Alerts due ``today`` for ``rows`` (a QuerySet of rows whose clock runs).
    ``reminder_day(due_date, calendar)`` is the day the reminder goes out.
    Returns how many of each kind were sent."""
    calendar = working_calendar()
    model = rows.model
    sent = {REMIND: 0, OVERDUE_ALERT: 0}
    for pk in rows.filter(overdue_alert_sent_at__isnull=True, due_date__lt=today).values_list("pk", flat=True):
        sent[OVERDUE_ALERT] += _once(model, pk, "overdue_alert_sent_at", OVERDUE_ALERT, send)
    for pk, due in rows.filter(reminder_sent_at__isnull=True, due_date__gte=today).values_list("pk", "due_date"):
        if reminder_day(due, calendar) <= today:
            sent[REMIND] += _once(model, pk, "reminder_sent_at", REMIND, send)
    return sent
