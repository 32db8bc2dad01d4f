"""The beat sweep: one reminder before a request's due date and one overdue alert,
each at most once per request (``apps.core.deadline_alerts``), recorded as an
internal event and mailed to the assignee and supervisors."""

from apps.core.deadline_alerts import send_due_alerts

from .. import deadlines
from ..models import RequestEvent, ServiceRequest
from ..notifications import queue_alert


def _send(pk: int, kind: str) -> None:
    RequestEvent.objects.create(request_id=pk, kind=kind, is_public=False)
    queue_alert(pk, kind)


def send_deadline_alerts(today=None) -> dict:
    """Remind before the due date and alert once overdue (assignee and supervisors)."""
    return send_due_alerts(
        ServiceRequest.objects.clock_running(), today=today or deadlines.today(),
        reminder_day=deadlines.reminder_day, send=_send,
    )
