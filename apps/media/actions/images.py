"""Image uploads and edits. An upload is validated by content
(``validation.probe_image``) before anything is stored; a refused upload raises
ValidationError with a Chinese message and leaves no row and no file. The
renditions are made by the worker (``processing.process_image``), queued after commit.
"""

import hashlib
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import pagecache
from apps.core.audit import audit
from apps.core.errors import require

from .. import validation
from ..models import Image, Rendition, Status, in_use, original_path
from ..queueing import queue_processing
from .reprocessing import drop_renditions, requeue, reuse
from .storage import create_or_reuse, name_of, read_capped, store_private

IMAGE_FIELDS = ("title", "alt_text", "caption", "credit", "copyright", "focal_x", "focal_y")


def validate_image(file) -> tuple[bytes, validation.ProbeResult]:
    """Read and probe an upload (no side effects); ValidationError when refused."""
    data = read_capped(file, settings.PARKPORTAL_MEDIA_IMAGE_MAX_BYTES, validation.MESSAGES["too_large"])
    try:
        probe = validation.probe_image(
            io.BytesIO(data),
            max_pixels=settings.PARKPORTAL_MEDIA_IMAGE_MAX_PIXELS,
            max_bytes=settings.PARKPORTAL_MEDIA_IMAGE_MAX_BYTES,
        )
    except validation.ImageRejected as exc:
        raise ValidationError(exc.message, code=exc.code) from None
    if probe.animated:
        # Renditions are still images: an animation would silently lose every
        # frame but the first, so it is refused and the editor picks a frame.
        exc = validation.ImageRejected("animated", format=probe.pillow_format.replace("PNG", "APNG"),
                                       frames=probe.frames)
        raise ValidationError(exc.message, code=exc.code)
    return data, probe


def focal_problems(fields: dict) -> dict[str, str]:
    """Chinese messages by field for a focal point given by halves or out of range."""
    fx, fy = fields.get("focal_x"), fields.get("focal_y")
    if (fx is None) != (fy is None):
        missing = "focal_y" if fy is None else "focal_x"
        return {missing: _("焦点需同时填写横坐标和纵坐标。")}
    problems = {}
    for name, value in (("focal_x", fx), ("focal_y", fy)):
        try:
            outside = value is not None and not 0 <= float(value) <= 1
        except (TypeError, ValueError):
            outside = True
        if outside:
            problems[name] = _("焦点坐标应在 0 到 1 之间。")
    return problems


def _check_focal(fields: dict) -> None:
    problems = focal_problems(fields)
    if problems:
        raise ValidationError(problems)


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
        return reuse(existing, by=by, meta=meta, task="image", action="media.reuse_image")

    ext = "jpg" if probe.format == "jpeg" else probe.format
    name, written = store_private(original_path("images", content_hash, ext), ContentFile(data))
    image, created = create_or_reuse(
        Image, content_hash, name, written,
        original=name, original_name=name_of(file), size_bytes=len(data), format=probe.format,
        width=probe.width, height=probe.height, status=Status.PENDING, queued_at=timezone.now(),
        created_by=by, updated_by=by, **meta,
    )
    if not created:
        return reuse(image, by=by, meta=meta, task="image", action="media.reuse_image")
    try:
        image.reused = False
        audit(image, "media.upload_image", by=by, to_state=Status.PENDING, format=probe.format,
              width=probe.width, height=probe.height, size=len(data))
        queue_processing("image", image.pk, first=written.keep if written else None)
    except BaseException:
        if written is not None:
            written.discard()
        raise
    return image



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
    if in_use(image):
        pagecache.content_changed()  # alt text and caption are on the page, crops are dropped
    if {"focal_x", "focal_y"} & set(changed) and image.status != Status.FAILED:
        drop_renditions(image.renditions.filter(kind=Rendition.Kind.CROP))
        requeue(image, by=by)
    return image
