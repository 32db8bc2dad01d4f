"""Taking content down: withdraw (page kept with a notice), unpublish (410 or a
redirect), archive."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.audit import audit
from apps.core.errors import require, require_state
from apps.core.scripts import neutral_path

from .. import rules, signals
from ..models import Status, Visibility
from .base import editorial_models, lock_for_update, require_text, update


@transaction.atomic
def withdraw(item, *, by, note: str) -> None:
    """Keep the page online with a dated public explanation; drop it from lists and feeds."""
    note = require_text(note, _("撤回时须填写公开的撤回说明。"))
    current = lock_for_update(item)
    require(by.is_active and by.has_perm(rules.WITHDRAW), _("您没有撤回内容的权限。"))
    require_state(current.visibility == Visibility.LIVE, _("只有公开的内容可以撤回。"))
    was = current.status
    update(current, visibility=Visibility.WITHDRAWN, status=Status.WITHDRAWN, withdrawn_at=timezone.now(),
           withdrawal_note=note, go_live_at=None)
    audit(current, "editorial.withdraw", by=by, from_state=was, to_state=Status.WITHDRAWN, note=note)
    signals.send_unpublished(current)


def _validate_redirect(current, redirect_url: str) -> str:
    """Relative paths on this site or http(s) URLs; never the item itself, never a loop."""
    url = (redirect_url or "").strip()
    if not url:
        return ""
    limit = type(current)._meta.get_field("redirect_url").max_length
    if len(url) > limit:
        raise ValidationError(_("跳转地址不能超过 %(n)s 个字符。") % {"n": limit})
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or (not parts.scheme and not url.startswith("/")) or url.startswith("//"):
        raise ValidationError(_("跳转地址须为以 / 开头的站内路径或 http(s) 网址。"))
    if parts.scheme:
        return url
    with translation.override(settings.LANGUAGE_CODE):
        own = current.get_absolute_url()
    seen = {own}
    target = _neutral_path(url)
    # Follow the chain of unpublished items that redirect elsewhere on the site.
    for _step in range(20):
        if target in seen:
            raise ValidationError(_("跳转地址会形成循环跳转（%(url)s），请换一个地址。") % {"url": target})
        seen.add(target)
        nxt = _redirect_of_path(target)
        if not nxt or urlsplit(nxt).scheme:
            return url
        target = _neutral_path(nxt)
    raise ValidationError(_("跳转链过长。"))


def _neutral_path(path: str) -> str:
    """The Simplified-Chinese path without query or fragment: /zh-hant/pages/a/ and
    /pages/a/ are one page."""
    return neutral_path(path.split("?")[0].split("#")[0])


def _redirect_of_path(path: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        for model in editorial_models():
            for item in model._base_manager.filter(visibility=Visibility.GONE).exclude(redirect_url=""):
                if item.get_absolute_url() == path:
                    return item.redirect_url
    return ""


@transaction.atomic
def unpublish(item, *, by, redirect_url: str = "", note: str = "") -> None:
    """Take the page down: 410 Gone, or a redirect to a chosen URL."""
    current = lock_for_update(item)
    require(by.is_active and by.has_perm(rules.WITHDRAW), _("您没有下线内容的权限。"))
    require_state(current.visibility in (Visibility.LIVE, Visibility.WITHDRAWN), _("只有公开或已撤回的内容可以下线。"))
    redirect_url = _validate_redirect(current, redirect_url)
    was = current.status
    update(current, visibility=Visibility.GONE, status=Status.UNPUBLISHED, unpublished_at=timezone.now(),
           redirect_url=redirect_url, go_live_at=None, expire_at=None)
    audit(current, "editorial.unpublish", by=by, from_state=was, to_state=Status.UNPUBLISHED, note=note,
          redirect_url=redirect_url)
    signals.send_unpublished(current)


@transaction.atomic
def archive(item, *, by, note: str = "") -> None:
    current = lock_for_update(item)
    require(by.is_active and by.has_perm(rules.ARCHIVE), _("您没有归档内容的权限。"))
    require_state(
        current.visibility in (Visibility.NONE, Visibility.GONE)
        and current.status not in (Status.IN_REVIEW, Status.SCHEDULED, Status.ARCHIVED),
        _("只有未公开且不在审核中的内容可以归档（公开的内容请先下线）。"),
    )
    was = current.status
    update(current, status=Status.ARCHIVED)
    audit(current, "editorial.archive", by=by, from_state=was, to_state=Status.ARCHIVED, note=note)
