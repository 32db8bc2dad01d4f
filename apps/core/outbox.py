"""Work an action queues, kept safe from a dead broker (issue 10, item 3).

``enqueue(task_name, *args, **kwargs)`` writes an ``OutboxMessage`` row in the
caller's transaction: if the action rolls back, nothing is sent; if it commits,
the row says what still has to be sent. After commit the message is sent by
task name; a broker error is logged and never raised, so the action's response
and the on-commit callbacks after it (signals, the page cache) are unaffected.
Beat's ``core.deliver_outbox`` re-sends what is still pending once the broker is
back: delivery is at least once, so the tasks sent this way are idempotent or
harmless to repeat.
"""

import logging
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# A dead broker must not hold the response up: one quick retry, then the beat's turn.
SEND_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def grace() -> timedelta:
    """The beat leaves a message this fresh to the after-commit send that is on its way
    (PARKPORTAL_OUTBOX_GRACE, 30 s)."""
    return settings.PARKPORTAL_OUTBOX_GRACE


def enqueue(task_name: str, *args, **kwargs) -> OutboxMessage:
    """Queue the task ``task_name`` with JSON-serialisable arguments: written now,
    sent after commit (outside a transaction: at once)."""
    message = record(task_name, *args, **kwargs)
    transaction.on_commit(lambda: deliver(message.pk), robust=True)
    return message


def record(task_name: str, *args, **kwargs) -> OutboxMessage:
    """Write the message only: the caller sends it after commit with ``deliver(message.pk)``,
    from an on-commit callback that has something to do first (an upload keeps its file)."""
    return OutboxMessage.objects.create(task_name=task_name, args=list(args), kwargs=kwargs)


def deliver(pk: int) -> bool:
    """Send one pending message; True when the broker took it. Never raises."""
    try:
        message = OutboxMessage.objects.pending().filter(pk=pk).first()
        return message is not None and _send(message)
    except Exception:  # the database failed after commit: the beat will find the row
        logger.exception("outbox: could not deliver message %s", pk)
        return False


def _send(message: OutboxMessage) -> bool:
    try:
        current_app.send_task(
            message.task_name, args=message.args, kwargs=message.kwargs,
            retry=True, retry_policy=SEND_RETRY_POLICY,
        )
    except Exception as exc:  # the broker is down or refuses: keep the row pending
        logger.warning("outbox: broker refused %s #%s: %s: %s", message.task_name, message.pk, type(exc).__name__, exc)
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:500],
        )
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now(), attempts=F("attempts") + 1, last_error="")
    return True


def deliver_pending(*, now=None, limit: int = 1000) -> int:
    """Beat: send the messages still pending (the broker was down when their action
    committed). Stops at the first refusal: the broker is still down. Returns the number sent."""
    cutoff = (now or timezone.now()) - grace()
    sent = 0
    for message in OutboxMessage.objects.pending().filter(created_at__lte=cutoff).order_by("pk")[:limit]:
        if not _send(message):
            break
        sent += 1
    return sent


def prune_sent(*, now=None, keep: timedelta = timedelta(days=7)) -> int:
    """Forget messages sent more than ``keep`` ago."""
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=(now or timezone.now()) - keep).delete()
    return deleted
