"""The one place that queues the e-mail to an enterprise about its request (and the staff alerts).

Every public state change calls ``notify_request_changed`` from its action; the
mail is queued after commit by task name, and a broker that is down is logged,
never raised (the change itself is already committed).
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)

TASK_NAME = "services.notify"


def _send(request_id: int, event_id: int) -> None:
    from celery import current_app

    try:
        current_app.send_task(TASK_NAME, args=[request_id, event_id])
    except Exception:  # noqa: BLE001 - the broker is outside the project; the change is committed
        logger.exception("services: could not queue the mail for request %s (event %s)", request_id, event_id)


def notify_request_changed(request_id: int, event_id: int) -> None:
    """Queue the mail about public event ``event_id`` of request ``request_id`` after commit."""
    transaction.on_commit(lambda: _send(request_id, event_id))


def queue_alert(request_id: int, kind: str) -> None:
    """Queue a deadline reminder or overdue alert (called after commit by the sweep)."""
    from celery import current_app

    try:
        current_app.send_task("services.alert", args=[request_id, kind])
    except Exception:  # noqa: BLE001 - the sent-at mark is the record; the broker is outside the project
        logger.exception("services: could not queue the %s alert for request %s", kind, request_id)
