"""The workflow buttons of the change form: their labels and inputs, and the
action each press calls (``run_action``)."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import actions
from ..models import Status

BASE_REVISION_FIELD = "_editorial_base_revision"

ACTION_LABELS = {
    "submit": gettext_lazy("提交审核"),
    "approve": gettext_lazy("审核通过"),
    "request_changes": gettext_lazy("退回修改"),
    "publish": gettext_lazy("发布"),
    "schedule": gettext_lazy("定时发布"),
    "unschedule": gettext_lazy("取消定时发布"),
    "urgent_publish": gettext_lazy("紧急发布（事后补审）"),
    "approve_retrospectively": gettext_lazy("补审通过"),
    "withdraw": gettext_lazy("撤回（保留页面并公开说明）"),
    "unpublish": gettext_lazy("下线（410 或跳转）"),
    "archive": gettext_lazy("归档"),
    "lock": gettext_lazy("锁定编辑"),
    "unlock": gettext_lazy("解除锁定"),
}
# Which inputs each button's form asks for.
SIGN_OFF_LABEL = gettext_lazy("签发（审核通过并发布）")
SIGN_OFF_INPUTS = ["note", "major", "change_note", "hold"]
ACTION_INPUTS = {
    "submit": ["note"],
    "approve": ["note"],
    "request_changes": ["note!"],
    "publish": ["major", "change_note"],
    "schedule": ["go_live_at", "expire_at", "major", "change_note"],
    "urgent_publish": ["reason!", "major", "change_note"],
    "approve_retrospectively": ["note"],
    "withdraw": ["note!"],
    "unpublish": ["redirect_url", "note"],
    "archive": ["note"],
}


def _parse_when(raw: str):
    if not raw:
        return None
    try:
        value = parse_datetime(raw.strip().replace(" ", "T"))
    except ValueError:  # well formed but impossible, e.g. month 13
        value = None
    if value is None:
        raise ValidationError(_("时间格式应为 年-月-日 时:分，例如 2026-12-01 09:00。"))
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _parse_major(raw: str):
    return {"major": True, "minor": False}.get(raw or "")


def _parse_task(raw: str):
    """The review task the reviewer's form was rendered for (posted as ``task``)."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationError(_("审核步骤编号无效，请刷新后重试。"))


def run_action(code: str, item, user, data) -> str:
    """Call the action for a button press; return the success message."""
    note = data.get("note", "")
    if code == "submit":
        actions.submit(item, by=user, note=note)
        return _("已提交审核。")
    if code == "approve":
        actions.approve(
            item, by=user, note=note, expected_task=_parse_task(data.get("task")),
            publish=not data.get("hold"), major=_parse_major(data.get("major")),
            change_note=data.get("change_note", ""),
        )
        if type(item)._base_manager.filter(pk=item.pk, status=Status.PUBLISHED).exists():
            return _("已签发，内容已发布。")
        return _("已审核通过。")
    if code == "request_changes":
        actions.request_changes(item, by=user, note=note, expected_task=_parse_task(data.get("task")))
        return _("已退回修改。")
    if code == "publish":
        actions.publish(item, by=user, major=_parse_major(data.get("major")), change_note=data.get("change_note", ""))
        return _("已发布。")
    if code == "schedule":
        actions.schedule(
            item, by=user, go_live_at=_parse_when(data.get("go_live_at", "")),
            expire_at=_parse_when(data.get("expire_at", "")),
            major=_parse_major(data.get("major")), change_note=data.get("change_note", ""),
        )
        return _("已定时发布。")
    if code == "unschedule":
        actions.unschedule(item, by=user)
        return _("已取消定时发布。")
    if code == "urgent_publish":
        actions.urgent_publish(
            item, by=user, reason=data.get("reason", ""),
            major=_parse_major(data.get("major")), change_note=data.get("change_note", ""),
        )
        return _("已紧急发布，须由他人补审。")
    if code == "approve_retrospectively":
        actions.approve_retrospectively(item, by=user, note=note)
        return _("已补审通过。")
    if code == "withdraw":
        actions.withdraw(item, by=user, note=note)
        return _("已撤回。")
    if code == "unpublish":
        actions.unpublish(item, by=user, redirect_url=data.get("redirect_url", ""), note=note)
        return _("已下线。")
    if code == "archive":
        actions.archive(item, by=user, note=note)
        return _("已归档。")
    if code == "lock":
        actions.lock(item, by=user)
        return _("已锁定，其他人暂时不能保存修改。")
    if code == "unlock":
        actions.unlock(item, by=user)
        return _("已解除锁定。")
    raise Http404
