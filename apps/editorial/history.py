"""An item's 操作记录 as editors read it: the action, the review step it concerned
(初审 / 复审 / 终审) and the states in Chinese, not the internal codes."""

from django.utils.translation import gettext as _

from apps.core.audit import history_of

from .models import Status

STATE_LABELS = dict(Status.choices)


def state_label(code: str) -> str:
    return str(STATE_LABELS.get(code, code))


def describe_change(entry) -> str:
    """"审核中 → 审核通过", or "转入“复审”" for a step approved within a review."""
    data = entry.data or {}
    if not entry.to_state:
        return ""
    if entry.from_state == entry.to_state and data.get("next_step"):
        return _("转入“%(step)s”") % {"step": data["next_step"]}
    if entry.from_state == entry.to_state:
        return state_label(entry.to_state)
    return f"{state_label(entry.from_state) if entry.from_state else '—'} → {state_label(entry.to_state)}"


def timeline(item, limit: int = 30) -> list:
    """The newest ``limit`` audit rows of the item, each with ``step`` and ``change``."""
    entries = list(history_of(item)[:limit])
    for entry in entries:
        entry.step = (entry.data or {}).get("step", "")
        entry.change = describe_change(entry)
    return entries
