"""What the staff side shows: the desk's counts and the buttons a person may press."""

from django.utils.translation import gettext_lazy as _

from . import deadlines, rules
from .models import ServiceRequest, State

#: (action, label, states it applies in, inputs the form asks for)
BUTTONS = (
    ("accept", _("受理"), (State.SUBMITTED,), ("public_note", "internal_note")),
    ("start", _("开始办理"), (State.ACCEPTED,), ("public_note", "internal_note")),
    ("request_supplement", _("要求补正（暂停计时）"), (State.ACCEPTED, State.IN_PROGRESS), ("public_note", "internal_note")),
    ("resolve", _("办结"), (State.ACCEPTED, State.IN_PROGRESS), ("public_note", "internal_note")),
    ("close", _("关闭"), (State.RESOLVED,), ("public_note", "internal_note")),
    ("reject", _("不予受理 / 不予办理"), (State.SUBMITTED, State.ACCEPTED, State.IN_PROGRESS, State.WAITING),
     ("public_note", "internal_note")),
    ("duplicate", _("标记为重复诉求"), (State.SUBMITTED, State.ACCEPTED, State.IN_PROGRESS),
     ("original", "public_note", "internal_note")),
    ("refer", _("转办其他部门"), (State.SUBMITTED, State.ACCEPTED, State.IN_PROGRESS),
     ("department", "public_note", "internal_note")),
)


def available_buttons(user, item) -> list[dict]:
    if not rules.handles(user, item):
        return []
    buttons = [{"action": a, "label": label, "inputs": inputs} for a, label, states, inputs in BUTTONS if item.state in states]
    if item.is_open and item.assignee_id is None:
        buttons.insert(0, {"action": "take", "label": _("认领"), "inputs": ()})
    buttons.append({"action": "note", "label": _("添加内部备注"), "inputs": ("internal_note",)})
    return buttons


def desk_counts(user) -> dict:
    """My queue, unassigned, due soon and overdue, within what ``user`` may see (four COUNTs)."""
    today = deadlines.today()
    visible = ServiceRequest.objects.visible_to(user)
    return {
        "mine": visible.assigned_to(user).count(),
        "unassigned": visible.unassigned().count(),
        "due_soon": visible.due_soon(today, deadlines.due_soon_until(today)).count(),
        "overdue": visible.overdue(today).count(),
    }
