"""Queueing media (again): an upload of content that exists already, a new focal
point, and 重新处理 by staff. Each changes which public files exist, so the page
cache is invalidated when the media is in use on a page.
"""

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import pagecache
from apps.core.audit import audit
from apps.core.errors import require

from ..models import Image, ProcessedAsset, Status, in_use
from ..queueing import queue_processing


def fill_blanks(asset, values: dict) -> list[str]:
    changed = []
    for name, value in values.items():
        if value not in (None, "") and getattr(asset, name) in (None, ""):
            setattr(asset, name, value)
            changed.append(name)
    return changed


def reuse(asset, *, by, meta: dict, task: str | None, action: str):
    """The same bytes uploaded again: the existing row is used (one file, one record).
    Its blank fields take the new values; a value that differs from one the row has
    is not written, and is listed in ``asset.ignored`` ({field: value}) so the
    uploader is told rather than losing it silently."""
    asset.ignored = {
        name: value for name, value in meta.items()
        if value not in (None, "") and getattr(asset, name) not in (None, "") and getattr(asset, name) != value
    }
    changed = fill_blanks(asset, meta)
    requeue = task is not None and asset.status == Status.FAILED
    if requeue:
        asset.status, asset.error, asset.attempts, asset.queued_at = Status.PENDING, "", 0, timezone.now()
        changed += ["status", "error", "attempts", "queued_at"]
    if changed:
        asset.stamp(by)
        asset.save(update_fields=[*changed, "updated_by", "updated_at"])
    audit(asset, action, by=by, changed=changed, ignored=sorted(asset.ignored))
    if requeue:
        queue_processing(task, asset.pk)
    asset.reused = True
    return asset


def drop_renditions(queryset) -> None:
    """Delete renditions (their files after commit). The caller bumps the page cache."""
    names = list(queryset.values_list("file", flat=True))
    queryset.delete()
    transaction.on_commit(lambda: [default_storage.delete(n) for n in names])


def requeue(asset, *, by) -> None:
    type(asset).objects.filter(pk=asset.pk).update(
        status=Status.PENDING, error="", attempts=0, queued_at=timezone.now(), updated_by=by, updated_at=timezone.now()
    )
    asset.status = Status.PENDING
    queue_processing("image" if isinstance(asset, Image) else "video", asset.pk)


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
            drop_renditions(asset.renditions.all())
        else:
            names = [n for n in (asset.web_file.name, asset.poster.name) if n]
            model.objects.filter(pk=asset.pk).update(web_file="", poster="")
            transaction.on_commit(lambda: [default_storage.delete(n) for n in names])
    from_state = asset.status
    requeue(asset, by=by)
    audit(asset, "media.reprocess", by=by, from_state=from_state, to_state=Status.PENDING, rebuild=rebuild)
    if in_use(asset):
        pagecache.content_changed()  # its pages change now (pending, files dropped) and again when it is ready
    return asset
