"""Queueing the processing tasks by name, after commit.

Actions (an upload, 重新处理) and the worker's sweep both queue work; neither
imports ``tasks`` (which imports the worker functions), so no import cycle
forms. The Celery routes send each task to its own queue by name.
"""

import logging
from collections.abc import Callable

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)

TASKS = {"image": "media.render_image", "video": "media.transcode_video"}
_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}


def queue_processing(kind: str, pk: int, *, first: Callable[[], None] | None = None) -> None:
    """Send the processing task for an ``"image"`` or ``"video"`` after commit.

    A broker that is down must not fail the caller: the row stays pending and
    the sweep queues it later. ``first``: run in the same after-commit callback
    before sending (an upload keeps the original it wrote: one callback, so a
    rollback drops both)."""
    name = TASKS[kind]

    def send():
        if first is not None:
            first()
        try:
            current_app.send_task(name, args=[pk], retry=True, retry_policy=_RETRY_POLICY)
        except Exception as exc:  # noqa: BLE001 - any broker error: the sweep will re-queue
            logger.warning("media: could not queue %s %s (%s); the sweep will re-queue it", kind, pk, exc)

    transaction.on_commit(send)
