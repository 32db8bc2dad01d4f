"""Document attachments: typed by content (``documents.sniff_document``), stored
privately, downloaded only through the attachment view."""

import hashlib
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import pagecache
from apps.core.audit import audit
from apps.core.errors import require

from .. import documents
from ..models import Attachment, in_use, original_path
from .reprocessing import reuse
from .storage import create_or_reuse, keep_on_commit, name_of, read_capped, store_private


def validate_attachment(file) -> tuple[bytes, str]:
    limit = settings.PARKPORTAL_MEDIA_ATTACHMENT_MAX_BYTES
    data = read_capped(file, limit, documents.MESSAGES["too_large"])
    try:
        kind = documents.sniff_document(data, name_of(file))
    except documents.DocumentRejected as exc:
        raise ValidationError(exc.message, code=exc.code) from None
    return data, kind


@transaction.atomic
def upload_attachment(file, *, by, title: str = "") -> Attachment:
    """Store a document privately; it is downloaded only through the attachment view."""
    require(by.has_perm("media.add_attachment"), _("您没有上传附件的权限。"))
    data, kind = validate_attachment(file)
    content_hash = hashlib.sha256(data).hexdigest()
    given = title.strip()
    title = given or os.path.splitext(name_of(file))[0] or _("附件")
    existing = Attachment.objects.select_for_update().filter(content_hash=content_hash).first()
    if existing is not None:
        # Only a title the uploader typed can differ from the record's; a file name is no news.
        return reuse(existing, by=by, meta={"title": given}, task=None, action="media.reuse_attachment")
    name, written = store_private(original_path("attachments", content_hash, kind), ContentFile(data))
    attachment, created = create_or_reuse(
        Attachment, content_hash, name, written, file=name, kind=kind, size_bytes=len(data),
        original_name=name_of(file), title=title[:200], created_by=by, updated_by=by,
    )
    attachment.reused = not created
    if created:
        try:
            audit(attachment, "media.upload_attachment", by=by, kind=kind, size=len(data))
            keep_on_commit(written)
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
        if in_use(attachment):
            pagecache.content_changed()
    return attachment
