"""Signed, expiring, revocable preview links for readers without an account."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit
from apps.core.errors import require, require_state

from .. import rules
from ..models import PreviewLink, PreviewLinkUse, Revision
from .base import ref

PREVIEW_SALT = "editorial.preview-link"


class PreviewLinkInvalid(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@transaction.atomic
def create_preview_link(item, *, by, revision: Revision | None = None, days: int | None = None, note: str = "") -> tuple[PreviewLink, str]:
    """A link an outside fact-checker can open without an account. Returns (link, token)."""
    require(rules.can_edit(by, item), _("您没有分享该内容预览的权限。"))
    revision = revision or item.latest_revision
    require_state(revision is not None, _("请先保存内容。"))
    days = days or settings.PARKPORTAL_EDITORIAL_PREVIEW_LINK_DAYS
    if not 1 <= days <= 30:
        raise ValidationError(_("有效期须在 1 到 30 天之间。"))
    link = PreviewLink.objects.create(
        **ref(item), revision=revision, created_by=by, note=note[:200],
        expires_at=timezone.now() + timedelta(days=days),
    )
    token = signing.dumps({"id": link.pk, "n": secrets.token_hex(4)}, salt=PREVIEW_SALT)
    audit(item, "editorial.create_preview_link", by=by, link=link.pk, revision=revision.number, days=days)
    return link, token


@transaction.atomic
def revoke_preview_link(link: PreviewLink, *, by) -> None:
    item = link.get_item()
    require(rules.can_edit(by, item), _("您没有撤销该预览链接的权限。"))
    require_state(link.revoked_at is None, _("该预览链接已撤销。"))
    PreviewLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now(), revoked_by=by)
    audit(item, "editorial.revoke_preview_link", by=by, link=link.pk)


@transaction.atomic
def use_preview_link(token: str, *, ip_address=None, user_agent: str = "") -> PreviewLink:
    """Check a token and log its use. Raises PreviewLinkInvalid with a message."""
    max_age = timedelta(days=30)
    try:
        data = signing.loads(token, salt=PREVIEW_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise PreviewLinkInvalid(_("该预览链接已过期。"))
    except signing.BadSignature:
        raise PreviewLinkInvalid(_("预览链接无效。"))
    link = PreviewLink.objects.select_related("revision", "created_by").filter(pk=data.get("id")).first()
    if link is None:
        raise PreviewLinkInvalid(_("预览链接无效。"))
    if link.revoked_at is not None:
        raise PreviewLinkInvalid(_("该预览链接已被撤销。"))
    if link.expires_at <= timezone.now():
        raise PreviewLinkInvalid(_("该预览链接已过期。"))
    PreviewLinkUse.objects.create(link=link, ip_address=ip_address, user_agent=(user_agent or "")[:300])
    # The outside reader has no account: the link's creator vouches for the access.
    item = link.get_item()
    audit(item, "editorial.use_preview_link", by=link.created_by, link=link.pk, ip=ip_address or "")
    return link
