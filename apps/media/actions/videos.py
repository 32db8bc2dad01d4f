"""Video uploads, captions and edits. An upload is spooled to a temporary file
and probed (``video.probe_video``) before anything is stored; a refused upload,
or a server without FFmpeg, raises ValidationError with a Chinese message. The
web MP4 and poster are made by the worker (``processing.process_video``).
"""

import hashlib
import os
import tempfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import pagecache
from apps.core.audit import audit
from apps.core.errors import require

from .. import video as video_tools
from ..models import Status, Video, in_use, original_path
from ..queueing import queue_processing
from ..validation import human_bytes
from .reprocessing import reuse
from .storage import create_or_reuse, name_of, read_capped, store_private

VIDEO_FIELDS = ("title", "description", "credit", "captions_language", "transcript")


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
                    size=f">{human_bytes(limit)}", limit=human_bytes(limit)), code="too_large")
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
    data = read_capped(captions, settings.PARKPORTAL_MEDIA_CAPTIONS_MAX_BYTES + 1, "{size}{limit}")
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
        except (video_tools.VideoRejected, video_tools.VideoToolMissing) as exc:
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
        except (video_tools.VideoRejected, video_tools.VideoToolMissing) as exc:
            raise ValidationError(exc.message, code=exc.code) from None
        existing = Video.objects.select_for_update().filter(content_hash=content_hash).first()
        if existing is not None:
            video = reuse(existing, by=by, meta=meta, task="video", action="media.reuse_video")
        else:
            with open(path, "rb") as fh:
                name, written = store_private(original_path("videos", content_hash, info.container), File(fh))
            video, created = create_or_reuse(
                Video, content_hash, name, written,
                original=name, original_name=name_of(file), size_bytes=size, container=info.container,
                duration=info.duration, width=info.width, height=info.height, probe=info.raw,
                status=Status.PENDING, queued_at=timezone.now(), captions_language=captions_language,
                created_by=by, updated_by=by, **meta,
            )
            video.reused = not created
            if created:
                try:
                    audit(video, "media.upload_video", by=by, to_state=Status.PENDING, container=info.container,
                          duration=info.duration, width=info.width, height=info.height, size=size)
                    queue_processing("video", video.pk, first=written.keep if written else None)
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
    if in_use(video):
        pagecache.content_changed()


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
        if in_use(video):
            pagecache.content_changed()
    return video
