"""Thin Celery tasks: they take ids and call the worker's functions (``processing``).

Both are idempotent (what exists is skipped), ``acks_late`` (a killed worker's
message is delivered again), time-limited, and retried with exponential
backoff; on the final failure the reason is recorded on the row, where the
admin shows it and offers 重新处理. ``media.sweep_stale`` (beat, every
PARKPORTAL_MEDIA_SWEEP_INTERVAL) re-queues whatever the broker lost or a killed
worker left processing.
"""

from celery import shared_task
from django.conf import settings

from . import processing
from .models import Image, Video


def _run(task, model, pk: int, process) -> str:
    try:
        return process(pk)
    except processing.PermanentFailure as exc:
        processing.record_failure(model, pk, str(exc))
        return "failed"
    except Exception as exc:  # noqa: BLE001 - anything else may pass on a retry
        reason = f"{type(exc).__name__}: {exc}"
        if task.request.retries >= task.max_retries:
            processing.record_failure(model, pk, f"重试 {task.max_retries} 次后仍失败：{reason}")
            return "failed"
        processing.record_retry(model, pk, reason)
        countdown = settings.PARKPORTAL_MEDIA_RETRY_BACKOFF * (2 ** task.request.retries)
        raise task.retry(exc=exc, countdown=countdown)


@shared_task(
    name="media.render_image", bind=True, acks_late=True, ignore_result=True,
    max_retries=settings.PARKPORTAL_MEDIA_MAX_RETRIES,
    soft_time_limit=settings.PARKPORTAL_MEDIA_IMAGE_TIME_LIMIT,
    time_limit=settings.PARKPORTAL_MEDIA_IMAGE_TIME_LIMIT + 30,
)
def render_image(self, image_id: int) -> str:
    return _run(self, Image, image_id, processing.process_image)


@shared_task(
    name="media.transcode_video", bind=True, acks_late=True, ignore_result=True,
    max_retries=settings.PARKPORTAL_MEDIA_MAX_RETRIES,
    soft_time_limit=settings.PARKPORTAL_MEDIA_VIDEO_TIME_LIMIT,
    time_limit=settings.PARKPORTAL_MEDIA_VIDEO_TIME_LIMIT + 60,
)
def transcode_video(self, video_id: int) -> str:
    return _run(self, Video, video_id, processing.process_video)


@shared_task(name="media.sweep_stale", ignore_result=True, acks_late=True, soft_time_limit=120, time_limit=150)
def sweep_stale() -> dict:
    return processing.sweep_stale()
