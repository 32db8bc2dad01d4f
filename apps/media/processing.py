"""The worker's side of media: what the Celery tasks call. Never runs in a request.

``process_image`` makes an image's renditions (``renditions.render_renditions``),
``process_video`` a video's web MP4 and poster (``video``), ``sweep_stale``
re-queues what the broker lost. They take ids, are idempotent (what exists is
skipped; a ready or failed row is left alone) and record progress on the row:
``status`` with ``attempts`` and ``error``. A finished rendition set or poster
changes the public pages that show the media, so it bumps the page cache.
"""

import hashlib
import logging
import os
import shutil
import tempfile
import threading
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import IntegrityError, connections, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import pagecache

from . import renditions, validation, video as video_tools
from .models import Image, Rendition, Status, Video, in_use
from .queueing import queue_processing

logger = logging.getLogger(__name__)


class PermanentFailure(Exception):
    """Processing cannot succeed by retrying (the stored original is unusable)."""


def _start(model, pk: int):
    """Mark the row processing and count the attempt; None when there is nothing to do."""
    with transaction.atomic():
        asset = model.objects.select_for_update().filter(pk=pk).first()
        if asset is None or asset.status in (Status.READY, Status.FAILED):
            return None
        now = timezone.now()
        model.objects.filter(pk=pk).update(
            status=Status.PROCESSING, attempts=F("attempts") + 1, started_at=now, alive_at=now
        )
        asset.refresh_from_db()
        return asset


@contextmanager
def kept_alive(model, pk: int):
    """While the run lasts, a thread touches the row's ``alive_at`` every
    PARKPORTAL_MEDIA_PROCESSING_HEARTBEAT. A killed worker stops touching it, and the
    sweep re-queues the row PARKPORTAL_MEDIA_REQUEUE_PROCESSING_GRACE later, however
    long the task may run (a video: 25 minutes); a run stuck past its hard time limit
    is killed by Celery and stops touching it too."""
    stop = threading.Event()
    interval = settings.PARKPORTAL_MEDIA_PROCESSING_HEARTBEAT.total_seconds()

    def touch():
        try:
            while not stop.wait(interval):
                model.objects.filter(pk=pk, status=Status.PROCESSING).update(alive_at=timezone.now())
        except Exception:  # noqa: BLE001 - the database is away: the run goes on, the sweep may re-queue
            logger.exception("media: could not record that %s %s is being processed", model.__name__, pk)
        finally:
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=touch, name=f"alive-{model.__name__}-{pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)


def _finish(model, pk: int, **fields) -> None:
    """Mark the row ready; the public pages that show it change (new rendition or
    poster URLs), so the page cache is invalidated when it is in use."""
    with transaction.atomic():
        done = model.objects.filter(pk=pk).exclude(status=Status.FAILED).update(
            status=Status.READY, error="", processed_at=timezone.now(), **fields
        )
        if done and in_use(model.objects.get(pk=pk)):
            pagecache.content_changed()


def record_failure(model, pk: int, reason: str) -> None:
    """Final failure: the status says why; the admin offers 重新处理."""
    model.objects.filter(pk=pk).exclude(status=Status.READY).update(
        status=Status.FAILED, error=reason[:2000], processed_at=timezone.now()
    )
    logger.warning("media: %s %s failed: %s", model.__name__, pk, reason)


def record_retry(model, pk: int, reason: str) -> None:
    """A transient error: back to pending (the retry is queued), with the reason kept."""
    model.objects.filter(pk=pk, status=Status.PROCESSING).update(
        status=Status.PENDING, error=reason[:2000], queued_at=timezone.now()
    )


def rendition_name(image: Image, result: renditions.Rendition) -> str:
    """Public, content-hashed: a new file never reuses an old URL, so caches may keep it forever."""
    digest = hashlib.sha256(result.data).hexdigest()[:12]
    label = f"w{result.spec.size}" if result.spec.kind == "width" else f"c{result.spec.size}"
    h = image.content_hash
    return f"renditions/{h[:2]}/{h[:16]}/{label}-{digest}.{renditions.EXTENSIONS[result.spec.format]}"


def process_image(image_id: int) -> str:
    """Make every missing rendition of an image. Idempotent: renditions that
    exist are skipped, a ready or failed image is left alone."""
    image = _start(Image, image_id)
    if image is None:
        return "skipped"
    with kept_alive(Image, image.pk):
        return _render_image(image)


def _render_image(image: Image) -> str:
    config = renditions.RenditionConfig.from_mapping(settings.PARKPORTAL_MEDIA_RENDITIONS)
    existing = set(image.renditions.values_list("kind", "size", "format"))
    try:
        with image.original.open("rb") as fh:
            results = renditions.render_renditions(fh, config=config, focal_point=image.focal_point, name="r")
    except FileNotFoundError:
        raise PermanentFailure(_("原图文件不存在，请重新上传。")) from None
    except validation.ImageRejected as exc:
        raise PermanentFailure(exc.message) from None
    for result in results:
        key = (result.spec.kind, result.spec.size, result.spec.format)
        if key in existing:
            continue
        name = rendition_name(image, result)
        if not default_storage.exists(name):  # same name, same bytes: a killed run's file is reused
            name = default_storage.save(name, ContentFile(result.data))
        try:
            with transaction.atomic():
                Rendition.objects.create(
                    image=image, kind=result.spec.kind, size=result.spec.size, format=result.spec.format,
                    width=result.width, height=result.height, file=name, size_bytes=result.nbytes,
                )
        except IntegrityError:
            pass  # another run made it meanwhile
    _finish(Image, image.pk, width=results.source_width, height=results.source_height)
    return "ready"


def _local_copy(field, suffix: str, tmpdir: str) -> str:
    try:
        return field.path  # filesystem storage: use the file where it is
    except (NotImplementedError, AttributeError):
        target = os.path.join(tmpdir, "original" + suffix)
        with field.open("rb") as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)
        return target


def _save_public(prefix: str, label: str, ext: str, path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    name = f"{prefix}/{label}-{digest.hexdigest()[:12]}.{ext}"
    if not default_storage.exists(name):
        with open(path, "rb") as fh:
            name = default_storage.save(name, File(fh))
    return name


def process_video(video_id: int) -> str:
    """Make the web MP4 and the poster frame. Idempotent like process_image."""
    video = _start(Video, video_id)
    if video is None:
        return "skipped"
    with kept_alive(Video, video.pk):
        return _transcode_video(video)


def _transcode_video(video: Video) -> str:
    timeout = max(30, settings.PARKPORTAL_MEDIA_VIDEO_TIME_LIMIT - 30)
    h = video.content_hash
    prefix = f"videos/{h[:2]}/{h[:16]}"
    updates = {}
    with tempfile.TemporaryDirectory(prefix="parkportal-video-") as tmpdir:
        try:
            source = _local_copy(video.original, "." + (video.container or "mp4"), tmpdir)
            if not os.path.exists(source):
                raise FileNotFoundError(source)
        except FileNotFoundError:
            raise PermanentFailure(_("原视频文件不存在，请重新上传。")) from None
        has_audio = any(s.get("codec_type") == "audio" for s in video.probe.get("streams", []))
        if not (video.web_file.name and default_storage.exists(video.web_file.name)):
            target = os.path.join(tmpdir, "web.mp4")
            video_tools.transcode(source, target, has_audio=has_audio, timeout=timeout)
            updates["web_width"], updates["web_height"] = video_tools.stream_size(target)
            updates["web_file"] = _save_public(prefix, "web", "mp4", target)
            Video.objects.filter(pk=video.pk).update(**updates)  # a killed run keeps what is done
        if not (video.poster.name and default_storage.exists(video.poster.name)):
            target = os.path.join(tmpdir, "poster.jpg")
            at = min(1.0, (video.duration or 0) / 3)
            video_tools.extract_poster(source, target, at=at, timeout=timeout)
            updates["poster"] = _save_public(prefix, "poster", "jpg", target)
    _finish(Video, video.pk, **updates)
    return "ready"


def sweep_stale(now=None) -> dict[str, int]:
    """Re-queue images and videos the broker lost (never queued, worker killed);
    after PARKPORTAL_MEDIA_MAX_ATTEMPTS they are failed with a reason instead."""
    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0}
    for model, task, limit in (
        (Image, "image", settings.PARKPORTAL_MEDIA_IMAGE_TIME_LIMIT),
        (Video, "video", settings.PARKPORTAL_MEDIA_VIDEO_TIME_LIMIT),
    ):
        for pk in model.objects.stale(now=now, time_limit=timedelta(seconds=limit)).values_list("pk", flat=True):
            with transaction.atomic():
                asset = model.objects.select_for_update().get(pk=pk)
                if asset.attempts >= settings.PARKPORTAL_MEDIA_MAX_ATTEMPTS:
                    record_failure(model, pk, _("已尝试处理 %(n)s 次仍未完成（处理进程可能被终止），请检查后重新处理。")
                                   % {"n": asset.attempts})
                    counts["failed"] += 1
                    continue
                model.objects.filter(pk=pk).update(status=Status.PENDING, queued_at=now)
                queue_processing(task, pk)
                counts["requeued"] += 1
    if counts["requeued"] or counts["failed"]:
        logger.info("media sweep: %s", counts)
    return counts
