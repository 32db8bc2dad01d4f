"""Staff actions on a request: assignment, acceptance and the decisions that follow.

Each reads the request under a row lock, checks who acts (NotAllowed) and the
state (InvalidTransition), writes the change, a timeline event and an audit row.
Two people acting at once: the second finds the state already changed and gets
InvalidTransition, which the views answer with 409.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.errors import InvalidTransition, NotAllowed, require, require_state

from .. import deadlines, rules
from ..models import ServiceRequest, State
from ..models.requests import OPEN_STATES
from ..statistics import statistics_changed
from .base import change, finish_waiting, lock, now, record, require_handler, require_in

STALE = _("该诉求的状态已由他人改变（现为“%(state)s”），请刷新后重试。")


def _stale(request) -> str:
    return STALE % {"state": State(request.state).label}


@transaction.atomic
def assign(request: ServiceRequest, *, by, to, internal_note: str = "") -> ServiceRequest:
    """A supervisor assigns (or reassigns) an open request to a service agent."""
    request = lock(request)
    require(rules.is_supervisor(by), _("只有督办（服务主管）可以分派诉求。"))
    require_in(request, OPEN_STATES, _stale(request))
    require(to is not None and (rules.is_agent(to) or rules.is_supervisor(to)),
            _("只能分派给服务专员或服务主管。"))
    if request.assignee_id == to.pk:
        raise InvalidTransition(_("该诉求已分派给 %(name)s。") % {"name": to})
    previous = request.assignee_id
    change(request, assignee=to)
    record(request, "reassign" if previous else "assign", by=by, public=False, internal_note=internal_note,
           assignee=to.pk, previous_assignee=previous)
    return request


@transaction.atomic
def take(request: ServiceRequest, *, by) -> ServiceRequest:
    """An agent of the request's department takes an unassigned request."""
    request = lock(request)
    require(rules.is_agent(by) or rules.is_supervisor(by), _("只有服务专员可以认领诉求。"))
    require(rules.handles(by, request), _("只能认领本部门的诉求。"))
    require_in(request, OPEN_STATES, _stale(request))
    require_state(request.assignee_id is None, _("该诉求已由 %(name)s 认领，请刷新后查看。") % {"name": request.assignee})
    change(request, assignee=by)
    record(request, "take", by=by, public=False, assignee=by.pk)
    return request


@transaction.atomic
def accept(request: ServiceRequest, *, by, public_note: str = "", internal_note: str = "") -> ServiceRequest:
    """受理: the deadline clock starts; the due date counts working days from today."""
    request = lock(request)
    require_handler(by, request)
    if request.state != State.SUBMITTED:
        raise InvalidTransition(_("该诉求已被他人受理或处理（现为“%(state)s”），请刷新后查看。") % {
            "state": State(request.state).label})
    accepted_at = now()
    days = request.service.deadline_days
    fields = {"accepted_at": accepted_at, "deadline_days": days,
              "due_date": deadlines.due_date(accepted_at, days)}
    if request.assignee_id is None:
        fields["assignee"] = by
    change(request, State.ACCEPTED, **fields)
    record(request, "accept", by=by, from_state=State.SUBMITTED, public=True, public_note=public_note,
           internal_note=internal_note, due_date=str(request.due_date))
    statistics_changed()  # 受理件数
    return request


@transaction.atomic
def start(request: ServiceRequest, *, by, public_note: str = "", internal_note: str = "") -> ServiceRequest:
    request = lock(request)
    require_handler(by, request)
    require_in(request, (State.ACCEPTED,), _stale(request))
    change(request, State.IN_PROGRESS)
    record(request, "start", by=by, from_state=State.ACCEPTED, public=True, public_note=public_note,
           internal_note=internal_note)
    return request


def _require_text(value: str, message: str) -> None:
    if not (value or "").strip():
        raise InvalidTransition(message)


@transaction.atomic
def request_supplement(request: ServiceRequest, *, by, public_note: str, internal_note: str = "") -> ServiceRequest:
    """补正: ask the requester for more; the clock stops until they answer."""
    request = lock(request)
    require_handler(by, request)
    require_in(request, (State.ACCEPTED, State.IN_PROGRESS), _stale(request))
    _require_text(public_note, _("请在公开说明中写明需要企业补正的内容。"))
    previous = request.state
    change(request, State.WAITING, waiting_since=now())
    record(request, "request_supplement", by=by, from_state=previous, public=True, public_note=public_note,
           internal_note=internal_note)
    return request


@transaction.atomic
def resolve(request: ServiceRequest, *, by, public_note: str, internal_note: str = "") -> ServiceRequest:
    request = lock(request)
    require_handler(by, request)
    require_in(request, (State.ACCEPTED, State.IN_PROGRESS), _stale(request))
    _require_text(public_note, _("办结时请在公开说明中写明办理结果。"))
    previous = request.state
    resolved_at = now()
    change(request, State.RESOLVED, resolved_at=resolved_at,
           workdays_used=deadlines.workdays_used(request.accepted_at, resolved_at, request.waited_workdays))
    record(request, "resolve", by=by, from_state=previous, public=True, public_note=public_note,
           internal_note=internal_note)
    statistics_changed()
    return request


@transaction.atomic
def close(request: ServiceRequest, *, by, public_note: str = "", internal_note: str = "") -> ServiceRequest:
    request = lock(request)
    require_handler(by, request)
    require_in(request, (State.RESOLVED,), _stale(request))
    change(request, State.CLOSED, closed_at=now())
    record(request, "close", by=by, from_state=State.RESOLVED, public=True, public_note=public_note,
           internal_note=internal_note)
    return request


@transaction.atomic
def reject(request: ServiceRequest, *, by, public_note: str, internal_note: str = "") -> ServiceRequest:
    """不予受理 / 不予办理, with the reason the enterprise reads."""
    request = lock(request)
    require_handler(by, request)
    require_in(request, OPEN_STATES, _stale(request))
    _require_text(public_note, _("请在公开说明中写明不予受理的理由。"))
    previous = request.state
    change(request, State.REJECTED, closed_at=now(), **finish_waiting(request))
    record(request, "reject", by=by, from_state=previous, public=True, public_note=public_note,
           internal_note=internal_note)
    return request


@transaction.atomic
def mark_duplicate(request: ServiceRequest, *, by, original: ServiceRequest, public_note: str = "",
                   internal_note: str = "") -> ServiceRequest:
    request = lock(request)
    require_handler(by, request)
    require_in(request, (State.SUBMITTED, State.ACCEPTED, State.IN_PROGRESS), _stale(request))
    require_state(original is not None and original.pk != request.pk, _("请指定另一条诉求作为原诉求。"))
    require_state(original.enterprise_id == request.enterprise_id, _("原诉求须是同一企业提交的诉求。"))
    require_state(original.state != State.DUPLICATE, _("原诉求本身是重复诉求，请指向最初的那一条。"))
    previous = request.state
    change(request, State.DUPLICATE, duplicate_of=original, closed_at=now())
    record(request, "mark_duplicate", by=by, from_state=previous, public=True,
           public_note=public_note or _("与诉求 %(number)s 重复，将在该诉求中一并办理。") % {"number": original.tracking_number},
           internal_note=internal_note, original=original.pk)
    return request


@transaction.atomic
def refer(request: ServiceRequest, *, by, department: str, public_note: str = "", internal_note: str = "") -> ServiceRequest:
    """转办: another department is responsible; the enterprise is told which."""
    request = lock(request)
    require_handler(by, request)
    require_in(request, (State.SUBMITTED, State.ACCEPTED, State.IN_PROGRESS), _stale(request))
    department = (department or "").strip()[:100]
    require_state(bool(department), _("请填写转办的部门名称。"))
    previous = request.state
    change(request, State.REFERRED, referred_to=department, closed_at=now())
    record(request, "refer", by=by, from_state=previous, public=True,
           public_note=public_note or _("已转交%(department)s办理。") % {"department": department},
           internal_note=internal_note, department=department)
    return request


@transaction.atomic
def add_internal_note(request: ServiceRequest, *, by, internal_note: str) -> ServiceRequest:
    request = lock(request)
    require_handler(by, request)
    _require_text(internal_note, _("请填写内部备注。"))
    record(request, "note", by=by, public=False, internal_note=internal_note)
    return request


def assignable_staff():
    """People a supervisor may assign to (agents and supervisors), for the admin's choice list."""
    from apps.accounts.roles import ROLES, SERVICE_AGENT, SERVICE_SUPERVISOR

    names = [ROLES[SERVICE_AGENT].group_name, ROLES[SERVICE_SUPERVISOR].group_name]
    return get_user_model().objects.filter(is_active=True, is_staff=True, groups__name__in=names).distinct().order_by(
        "department", "username")


__all__ = ["NotAllowed", "InvalidTransition"]
