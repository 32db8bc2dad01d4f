"""Review comments on an item (optionally on one field), with replies."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit
from apps.core.errors import require, require_state

from .. import rules
from ..models import ReviewComment
from .base import ref, require_text


@transaction.atomic
def add_comment(item, *, by, body: str, field_name: str = "", parent: ReviewComment | None = None) -> ReviewComment:
    body = require_text(body, _("意见内容不能为空。"))
    require(by.is_active and by.is_staff and rules.can_view(by, item), _("您没有对该内容发表意见的权限。"))
    if field_name and field_name not in {f.name for f in type(item)._meta.get_fields()}:
        raise ValidationError(_("没有名为“%(f)s”的字段。") % {"f": field_name})
    if parent is not None:
        require_state(parent.object_id == str(item.pk) and parent.parent_id is None, _("只能回复该内容的意见。"))
    comment = ReviewComment.objects.create(
        **ref(item), revision_id=item.latest_revision_id, field_name=field_name, body=body,
        author=by, parent=parent,
    )
    audit(item, "editorial.comment", by=by, note=body[:200], field=field_name, reply_to=parent.pk if parent else None)
    return comment


@transaction.atomic
def resolve_comment(comment: ReviewComment, *, by) -> None:
    item = comment.get_item()
    require(by.is_active and by.is_staff and rules.can_view(by, item), _("您没有处理该意见的权限。"))
    require_state(comment.resolved_at is None, _("该意见已解决。"))
    ReviewComment.objects.filter(pk=comment.pk).update(resolved_at=timezone.now(), resolved_by=by)
    audit(item, "editorial.resolve_comment", by=by, comment=comment.pk)
