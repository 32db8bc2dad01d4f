"""Every media write. Uploads are validated by content before anything is
stored; a refused upload raises ValidationError with a Chinese message and
leaves no row and no file. Processing never runs in a request: the upload
queues a task after commit, and the row's status records what is left to do.

User actions take the acting user (``by``) and write an audit row. The
processing functions (``process_image``, ``process_video``, ``sweep_stale``)
are what the Celery tasks call; they take ids.
"""

import hashlib
import io
import logging
import os
import shutil
import tempfile
import weakref
from datetime import timedelta
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit
from apps.core.errors import require

from . import documents, processing, video as video_tools
from .models import Attachment, Image, ProcessedAsset, Rendition, Status, Video, original_path, private_storage

logger = logging.getLogger(__name__)

IMAGE_FIELDS = ("title", "alt_text", "caption", "credit", "copyright", "focal_x", "focal_y")
VIDEO_FIELDS = ("title", "description", "credit", "captions_language")


class PermanentFailure(Exception):
    """Processing cannot succeed by retrying (the stored original is unusable)."""


def _human(n: int) -> str:
    return processing._human_bytes(n)


def _read_capped(file: IO[bytes], limit: int, message: str) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(message.format(size=f">{_human(limit)}", limit=_human(limit)), code="too_large")
    return data


def _name_of(file) -> str:
    return os.path.basename(getattr(file, "name", "") or "")[:255]


class _Written:
    """A private original this upload wrote: deleted again unless the transaction
    that records its row commits, so a rollback leaves no orphan file.

    Django has no on-rollback hook. ``keep`` is called from the upload's
    on-commit callback; when the transaction (or a savepoint the callback was
    registered in) rolls back, the connection drops the callback uncalled, this
    object goes with it and its finaliser deletes the file. An error inside the
    upload itself calls ``discard`` at once. A file that was already there
    (the same content, another row) is never a ``_Written``: it is not deleted.
    """

    def __init__(self, storage, name: str):
        self.name = name
        self._finalizer = weakref.finalize(self, _Written._delete, storage, name)
        self._finalizer.atexit = False  # an interrupted process decides nothing

    @staticmethod
    def _delete(storage, name: str, *, unless_referenced: bool = True) -> None:
        # The callback can also be dropped after a commit (an earlier on-commit
        # callback raised and Django skipped the rest): a file that a visible row
        # names is not deleted by the finaliser. When in doubt, keep it: an orphan
        # is harmless, a row without its original is not.
        try:
            if unless_referenced and _outside_any_transaction() and _referenced(name):
                return
            storage.delete(name)
        except Exception:  # noqa: BLE001 - a finaliser must not raise; the file is only an orphan
            logger.exception("media: could not delete the orphaned original %s", name)

    def keep(self) -> None:
        self._finalizer.detach()

    def discard(self) -> None:
        """The upload failed inside its own atomic block, which rolls its row back."""
        detached = self._finalizer.detach()
        if detached is not None:  # not kept or deleted already
            storage, name = detached[2]
            _Written._delete(storage, name, unless_referenced=False)


def _outside_any_transaction() -> bool:
    """True when the finaliser runs after a commit (autocommit is back on); False
    while Django is rolling a transaction or savepoint back, when the row is gone
    and the connection must not be used (PostgreSQL would be left in a transaction)."""
    from django.db import connection

    return connection.get_autocommit() and not connection.in_atomic_block


def _referenced(name: str) -> bool:
    """Whether a row this connection can see names ``name`` as its private file."""
    return (
        Image.objects.filter(original=name).exists()
        or Video.objects.filter(original=name).exists()
        or Attachment.objects.filter(file=name).exists()
    )


def _store_private(name: str, content: File) -> tuple[str, "_Written | None"]:
    """Save under a content-hashed name; (name, what this call wrote or None)."""
    if private_storage.exists(name):
        return name, None
    name = private_storage.save(name, content)
    return name, _Written(private_storage._wrapped, name)  # the storage of now, even if settings change


def _keep_on_commit(written: "_Written | None") -> None:
    if written is not None:
        transaction.on_commit(written.keep)


def _create_or_reuse(model, content_hash: str, stored_name: str, written: "_Written | None", **fields):
    """Insert the row; on a concurrent insert of the same content, reuse that row."""
    try:
        with transaction.atomic():
            return model.objects.create(content_hash=content_hash, **fields), True
    except IntegrityError:
        existing = model.objects.filter(content_hash=content_hash).first()
        if written is not None:
            field = existing and (existing.file if isinstance(existing, Attachment) else existing.original)
            uses = field is not None and field.name == stored_name
            written.keep() if uses else written.discard()  # the same name: the other row's file now
        if existing is None:
            raise
        return existing, False
    except BaseException:
        if written is not None:
            written.discard()
        raise


def _queue(task_name: str, pk: int, *, keep: "_Written | None" = None) -> None:
    """Send the processing task after commit. A broker that is down must not
    fail the upload: the row stays pending and the sweep queues it later.
    ``keep``: the original the upload wrote, kept now that its row is committed
    (one callback, so a rollback drops both)."""

    def send():
        from . import tasks

        if keep is not None:
            keep.keep()

        task = {"image": tasks.render_image, "video": tasks.transcode_video}[task_name]
        try:
            task.apply_async(
                args=[pk], retry=True,
                retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5},
            )
        except Exception as exc:  # noqa: BLE001 - any broker error: the sweep will re-queue
            logger.warning("media: could not queue %s %s (%s); the sweep will re-queue it", task_name, pk, exc)

    transaction.on_commit(send)


def _fill_blanks(asset, values: dict) -> list[str]:
    changed = []
    for name, value in values.items():
        if value not in (None, "") and getattr(asset, name) in (None, ""):
            setattr(asset, name, value)
            changed.append(name)
    return changed


# --- Images ------------------------------------------------------------------------------

def validate_image(file) -> tuple[bytes, processing.ProbeResult]:
    """Read and probe an upload (no side effects); ValidationError when refused."""
    data = _read_capped(file, settings.PARKPORTAL_MEDIA_IMAGE_MAX_BYTES, processing.MESSAGES["too_large"])
    try:
        probe = processing.probe_image(
            io.BytesIO(data),
            max_pixels=settings.PARKPORTAL_MEDIA_IMAGE_MAX_PIXELS,
            max_bytes=settings.PARKPORTAL_MEDIA_IMAGE_MAX_BYTES,
        )
    except processing.ImageRejected as exc:
        raise ValidationError(exc.message, code=exc.code) from None
    if probe.animated:
        # Renditions are still images: an animation would silently lose every
        # frame but the first, so it is refused and the editor picks a frame.
        exc = processing.ImageRejected("animated", format=probe.pillow_format.replace("PNG", "APNG"),
                                       frames=probe.frames)
        raise ValidationError(exc.message, code=exc.code)
    return data, probe


def _check_focal(fields: dict) -> None:
    fx, fy = fields.get("focal_x"), fields.get("focal_y")
    if (fx is None) != (fy is None):
        raise ValidationError(_("焦点需同时填写横坐标和纵坐标。"))
    for value in (fx, fy):
        if value is not None and not 0 <= float(value) <= 1:
            raise ValidationError(_("焦点坐标应在 0 到 1 之间。"))


@transaction.atomic
def upload_image(file, *, by, title: str = "", alt_text: str = "", caption: str = "", credit: str = "",
                 copyright: str = "", focal_point: tuple[float, float] | None = None) -> Image:
    """Store an uploaded image privately as ``pending`` and queue its renditions.

    The same content uploaded again returns the existing image (``image.reused``
    is True), filling in metadata it lacked; a failed one is queued again.
    """
    require(by.has_perm("media.add_image"), _("您没有上传图片的权限。"))
    data, probe = validate_image(file)
    meta = {"title": title.strip(), "alt_text": alt_text.strip(), "caption": caption.strip(),
            "credit": credit.strip(), "copyright": copyright.strip(),
            "focal_x": focal_point[0] if focal_point else None, "focal_y": focal_point[1] if focal_point else None}
    _check_focal(meta)
    content_hash = hashlib.sha256(data).hexdigest()
    existing = Image.objects.select_for_update().filter(content_hash=content_hash).first()
    if existing is not None:
        return _reuse(existing, by=by, meta=meta, task="image", action="media.reuse_image")

    ext = processing.EXTENSIONS.get(probe.format, probe.format)
    name, written = _store_private(original_path("images", content_hash, ext), ContentFile(data))
    image, created = _create_or_reuse(
        Image, content_hash, name, written,
        original=name, original_name=_name_of(file), size_bytes=len(data), format=probe.format,
        width=probe.width, height=probe.height, status=Status.PENDING, queued_at=timezone.now(),
        created_by=by, updated_by=by, **meta,
    )
    if not created:
        return _reuse(image, by=by, meta=meta, task="image", action="media.reuse_image")
    try:
        image.reused = False
        audit(image, "media.upload_image", by=by, to_state=Status.PENDING, format=probe.format,
              width=probe.width, height=probe.height, size=len(data))
        _queue("image", image.pk, keep=written)
    except BaseException:
        if written is not None:
            written.discard()
        raise
    return image


def _reuse(asset, *, by, meta: dict, task: str | None, action: str):
    changed = _fill_blanks(asset, meta)
    requeue = task is not None and asset.status == Status.FAILED
    if requeue:
        asset.status, asset.error, asset.attempts, asset.queued_at = Status.PENDING, "", 0, timezone.now()
        changed += ["status", "error", "attempts", "queued_at"]
    if changed:
        asset.stamp(by)
        asset.save(update_fields=[*changed, "updated_by", "updated_at"])
    audit(asset, action, by=by, changed=changed)
    if requeue:
        _queue(task, asset.pk)
    asset.reused = True
    return asset


@transaction.atomic
def update_image(image: Image, *, by, fields: dict) -> Image:
    """Edit an image's description (title, alt text, caption, credit, copyright, focal point).
    A new focal point re-makes the crops."""
    require(by.has_perm("media.change_image"), _("您没有修改图片信息的权限。"))
    image = Image.objects.select_for_update().get(pk=image.pk)
    unknown = set(fields) - set(IMAGE_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    merged = {"focal_x": image.focal_x, "focal_y": image.focal_y, **fields}
    _check_focal(merged)
    before = {name: getattr(image, name) for name in fields}
    for name, value in fields.items():
        setattr(image, name, value.strip() if isinstance(value, str) else value)
    changed = [name for name in fields if getattr(image, name) != before[name]]
    if not changed:
        return image
    image.stamp(by)
    image.full_clean(exclude=["original", "content_hash"])
    image.save(update_fields=[*changed, "updated_by", "updated_at"])
    audit(image, "media.update_image", by=by, changed=changed)
    if {"focal_x", "focal_y"} & set(changed) and image.status != Status.FAILED:
        _drop_renditions(image.renditions.filter(kind=Rendition.Kind.CROP))
        _requeue(image, by=by)
    return image


def _drop_renditions(queryset) -> None:
    names = list(queryset.values_list("file", flat=True))
    queryset.delete()
    transaction.on_commit(lambda: [default_storage.delete(n) for n in names])


def _requeue(asset, *, by) -> None:
    type(asset).objects.filter(pk=asset.pk).update(
        status=Status.PENDING, error="", attempts=0, queued_at=timezone.now(), updated_by=by, updated_at=timezone.now()
    )
    asset.status = Status.PENDING
    _queue("image" if isinstance(asset, Image) else "video", asset.pk)


@transaction.atomic
def reprocess(asset: ProcessedAsset, *, by, rebuild: bool = False) -> ProcessedAsset:
    """重新处理: queue an image or video again (after a failure, or to rebuild
    every public file with ``rebuild=True``, e.g. after the rendition set changed)."""
    model = type(asset)
    perm = "media.change_image" if model is Image else "media.change_video"
    require(by.has_perm(perm), _("您没有重新处理媒体的权限。"))
    asset = model.objects.select_for_update().get(pk=asset.pk)
    if rebuild:
        if model is Image:
            _drop_renditions(asset.renditions.all())
        else:
            names = [n for n in (asset.web_file.name, asset.poster.name) if n]
            model.objects.filter(pk=asset.pk).update(web_file="", poster="")
            transaction.on_commit(lambda: [default_storage.delete(n) for n in names])
    from_state = asset.status
    _requeue(asset, by=by)
    audit(asset, "media.reprocess", by=by, from_state=from_state, to_state=Status.PENDING, rebuild=rebuild)
    return asset


# --- Processing (called by the tasks) -----------------------------------------------------

def _start(model, pk: int):
    """Mark the row processing and count the attempt; None when there is nothing to do."""
    with transaction.atomic():
        asset = model.objects.select_for_update().filter(pk=pk).first()
        if asset is None or asset.status in (Status.READY, Status.FAILED):
            return None
        now = timezone.now()
        model.objects.filter(pk=pk).update(status=Status.PROCESSING, attempts=F("attempts") + 1, started_at=now)
        asset.refresh_from_db()
        return asset


def _finish(model, pk: int, **fields) -> None:
    model.objects.filter(pk=pk).exclude(status=Status.FAILED).update(
        status=Status.READY, error="", processed_at=timezone.now(), **fields
    )


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


def rendition_name(image: Image, result: processing.Rendition) -> str:
    """Public, content-hashed: a new file never reuses an old URL, so caches may keep it forever."""
    digest = hashlib.sha256(result.data).hexdigest()[:12]
    label = f"w{result.spec.size}" if result.spec.kind == "width" else f"c{result.spec.size}"
    h = image.content_hash
    return f"renditions/{h[:2]}/{h[:16]}/{label}-{digest}.{processing.EXTENSIONS[result.spec.format]}"


def process_image(image_id: int) -> str:
    """Make every missing rendition of an image. Idempotent: renditions that
    exist are skipped, a ready or failed image is left alone."""
    image = _start(Image, image_id)
    if image is None:
        return "skipped"
    config = processing.RenditionConfig.from_mapping(settings.PARKPORTAL_MEDIA_RENDITIONS)
    existing = set(image.renditions.values_list("kind", "size", "format"))
    try:
        with image.original.open("rb") as fh:
            results = processing.render_renditions(fh, config=config, focal_point=image.focal_point, name="r")
    except FileNotFoundError:
        raise PermanentFailure(_("原图文件不存在，请重新上传。")) from None
    except processing.ImageRejected as exc:
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
                _queue(task, pk)
                counts["requeued"] += 1
    if counts["requeued"] or counts["failed"]:
        logger.info("media sweep: %s", counts)
    return counts


# --- Videos --------------------------------------------------------------------------------

def _spool(file, limit: int, tmpdir: str) -> tuple[str, str, int, bytes]:
    """Copy an upload to a temporary file: (path, sha256, size, first bytes)."""
    path = os.path.join(tmpdir, "upload")
    digest, size, head = hashlib.sha256(), 0, b""
    if hasattr(file, "seek"):
        file.seek(0)
    chunks = file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(1024 * 1024), b"")
    with open(path, "wb") as out:
        for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise ValidationError(video_tools.MESSAGES["too_large"].format(
                    size=f">{_human(limit)}", limit=_human(limit)), code="too_large")
            if len(head) < 64:
                head += chunk[: 64 - len(head)]
            digest.update(chunk)
            out.write(chunk)
    return path, digest.hexdigest(), size, head


def _probe_upload(path: str, size: int, head: bytes) -> video_tools.VideoInfo:
    if size == 0:
        raise video_tools.VideoRejected("empty")
    container = video_tools.sniff_container(head)
    if not container:
        raise video_tools.VideoRejected("not_video")
    info = video_tools.probe_video(path, container)
    limit = settings.PARKPORTAL_MEDIA_VIDEO_MAX_SECONDS
    if info.duration > limit:
        raise video_tools.VideoRejected("too_long", duration=f"{info.duration / 60:.0f} 分钟",
                                        limit=f"{limit / 60:.0f} 分钟")
    return info


def _captions_content(captions) -> ContentFile:
    data = _read_capped(captions, settings.PARKPORTAL_MEDIA_CAPTIONS_MAX_BYTES + 1, "{size}{limit}")
    try:
        text = video_tools.check_webvtt(data, settings.PARKPORTAL_MEDIA_CAPTIONS_MAX_BYTES)
    except video_tools.VideoRejected as exc:
        raise ValidationError(exc.message, code=exc.code) from None
    return ContentFile(text.encode("utf-8"))


def _save_captions(content: ContentFile, content_hash: str) -> str:
    digest = hashlib.sha256(content.read()).hexdigest()[:12]
    content.seek(0)
    name = f"videos/{content_hash[:2]}/{content_hash[:16]}/captions-{digest}.vtt"
    if not default_storage.exists(name):
        name = default_storage.save(name, content)
    return name


def validate_video(file) -> None:
    """Probe an upload without storing it (the admin form's validation)."""
    with tempfile.TemporaryDirectory(prefix="parkportal-upload-") as tmpdir:
        path, _hash, size, head = _spool(file, settings.PARKPORTAL_MEDIA_VIDEO_MAX_BYTES, tmpdir)
        try:
            _probe_upload(path, size, head)
        except video_tools.VideoRejected as exc:
            raise ValidationError(exc.message, code=exc.code) from None


def validate_captions(file) -> None:
    _captions_content(file)


@transaction.atomic
def upload_video(file, *, by, title: str = "", description: str = "", credit: str = "",
                 captions=None, captions_language: str = "zh-Hans") -> Video:
    """Store an uploaded MP4/MOV/WebM privately as ``pending`` and queue the transcode."""
    require(by.has_perm("media.add_video"), _("您没有上传视频的权限。"))
    captions_content = _captions_content(captions) if captions else None
    meta = {"title": title.strip(), "description": description.strip(), "credit": credit.strip()}
    written = None
    with tempfile.TemporaryDirectory(prefix="parkportal-upload-") as tmpdir:
        path, content_hash, size, head = _spool(file, settings.PARKPORTAL_MEDIA_VIDEO_MAX_BYTES, tmpdir)
        try:
            info = _probe_upload(path, size, head)
        except video_tools.VideoRejected as exc:
            raise ValidationError(exc.message, code=exc.code) from None
        existing = Video.objects.select_for_update().filter(content_hash=content_hash).first()
        if existing is not None:
            video = _reuse(existing, by=by, meta=meta, task="video", action="media.reuse_video")
        else:
            with open(path, "rb") as fh:
                name, written = _store_private(original_path("videos", content_hash, info.container), File(fh))
            video, created = _create_or_reuse(
                Video, content_hash, name, written,
                original=name, original_name=_name_of(file), size_bytes=size, container=info.container,
                duration=info.duration, width=info.width, height=info.height, probe=info.raw,
                status=Status.PENDING, queued_at=timezone.now(), captions_language=captions_language,
                created_by=by, updated_by=by, **meta,
            )
            video.reused = not created
            if created:
                try:
                    audit(video, "media.upload_video", by=by, to_state=Status.PENDING, container=info.container,
                          duration=info.duration, width=info.width, height=info.height, size=size)
                    _queue("video", video.pk, keep=written)
                except BaseException:
                    if written is not None:
                        written.discard()
                    raise
    try:
        if captions_content is not None:
            _attach_captions(video, captions_content, by=by)
    except BaseException:
        if written is not None:
            written.discard()
        raise
    return video


def _attach_captions(video: Video, content: ContentFile, *, by) -> None:
    name = _save_captions(content, video.content_hash)
    Video.objects.filter(pk=video.pk).update(captions=name, updated_by=by, updated_at=timezone.now())
    video.captions.name = name
    audit(video, "media.set_captions", by=by, file=name)


@transaction.atomic
def set_video_captions(video: Video, captions, *, by, language: str | None = None) -> Video:
    """Add or replace a video's WebVTT captions (字幕)."""
    require(by.has_perm("media.change_video"), _("您没有修改视频的权限。"))
    content = _captions_content(captions)
    video = Video.objects.select_for_update().get(pk=video.pk)
    if language:
        Video.objects.filter(pk=video.pk).update(captions_language=language)
    _attach_captions(video, content, by=by)
    return video


@transaction.atomic
def update_video(video: Video, *, by, fields: dict) -> Video:
    require(by.has_perm("media.change_video"), _("您没有修改视频的权限。"))
    unknown = set(fields) - set(VIDEO_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    video = Video.objects.select_for_update().get(pk=video.pk)
    changed = [n for n, v in fields.items() if getattr(video, n) != v]
    if changed:
        for name in changed:
            setattr(video, name, fields[name])
        video.stamp(by)
        video.save(update_fields=[*changed, "updated_by", "updated_at"])
        audit(video, "media.update_video", by=by, changed=changed)
    return video


# --- Attachments ----------------------------------------------------------------------------

def validate_attachment(file) -> tuple[bytes, str]:
    limit = settings.PARKPORTAL_MEDIA_ATTACHMENT_MAX_BYTES
    data = _read_capped(file, limit, documents.MESSAGES["too_large"])
    try:
        kind = documents.sniff_document(data, _name_of(file))
    except documents.DocumentRejected as exc:
        raise ValidationError(exc.message, code=exc.code) from None
    return data, kind


@transaction.atomic
def upload_attachment(file, *, by, title: str = "") -> Attachment:
    """Store a document privately; it is downloaded only through the attachment view."""
    require(by.has_perm("media.add_attachment"), _("您没有上传附件的权限。"))
    data, kind = validate_attachment(file)
    content_hash = hashlib.sha256(data).hexdigest()
    title = title.strip() or os.path.splitext(_name_of(file))[0] or _("附件")
    existing = Attachment.objects.select_for_update().filter(content_hash=content_hash).first()
    if existing is not None:
        return _reuse(existing, by=by, meta={"title": title}, task=None, action="media.reuse_attachment")
    name, written = _store_private(original_path("attachments", content_hash, kind), ContentFile(data))
    attachment, created = _create_or_reuse(
        Attachment, content_hash, name, written, file=name, kind=kind, size_bytes=len(data),
        original_name=_name_of(file), title=title[:200], created_by=by, updated_by=by,
    )
    attachment.reused = not created
    if created:
        try:
            audit(attachment, "media.upload_attachment", by=by, kind=kind, size=len(data))
            _keep_on_commit(written)
        except BaseException:
            if written is not None:
                written.discard()
            raise
    return attachment


@transaction.atomic
def update_attachment(attachment: Attachment, *, by, title: str) -> Attachment:
    require(by.has_perm("media.change_attachment"), _("您没有修改附件的权限。"))
    title = title.strip()
    if not title:
        raise ValidationError(_("附件标题不能为空。"))
    if title != attachment.title:
        Attachment.objects.filter(pk=attachment.pk).update(title=title, updated_by=by, updated_at=timezone.now())
        attachment.title = title
        audit(attachment, "media.update_attachment", by=by, changed=["title"])
    return attachment
