"""Queueing the processing tasks by name, through the outbox.

Actions (an upload, 重新处理) and the worker's sweep both queue work; neither
imports ``tasks`` (which imports the worker functions), so no import cycle
forms. The message is written in the caller's transaction
(``apps.core.outbox``) and sent after commit; a broker that is down leaves it
pending until beat's ``core.deliver_outbox`` sends it (the sweep is the second
net: the row says what still needs doing). The Celery routes send each task to
its own queue by name.
"""

from collections.abc import Callable

from django.db import transaction

from apps.core import outbox

TASKS = {"image": "media.render_image", "video": "media.transcode_video"}


def queue_processing(kind: str, pk: int, *, first: Callable[[], None] | None = None) -> None:
    """Queue the processing task for an ``"image"`` or ``"video"``: recorded now,
    sent after commit. A broker that is down never fails the caller.

    ``first``: run in the same after-commit callback before sending (an upload
    keeps the original it wrote: one callback, so a rollback drops both)."""
    message = outbox.record(TASKS[kind], pk)

    def send():
        if first is not None:
            first()
        outbox.deliver(message.pk)

    transaction.on_commit(send)
