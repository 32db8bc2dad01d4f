"""The one place that queues the e-mail to an enterprise about its request (and the staff alerts).

Every public state change calls ``notify_request_changed`` from its action, inside the
action's transaction: the mail goes through the outbox (``apps.core.outbox``), written
with the change and sent by task name after commit, so a broker that is down loses
nothing (beat re-sends it) and never turns a committed change into an error.
"""

from apps.core import outbox

TASK_NAME = "services.notify"
ALERT_TASK_NAME = "services.alert"


def notify_request_changed(request_id: int, event_id: int) -> None:
    """Queue the mail about public event ``event_id`` of request ``request_id`` (sent after commit)."""
    outbox.enqueue(TASK_NAME, request_id, event_id)


def queue_alert(request_id: int, kind: str) -> None:
    """Queue a deadline reminder or overdue alert, in the transaction that claimed it."""
    outbox.enqueue(ALERT_TASK_NAME, request_id, kind)
