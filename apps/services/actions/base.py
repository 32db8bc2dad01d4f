"""What every request action shares: the row lock, the state change, the event
row with its public and internal notes, the audit row and the mail."""

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit
from apps.core.errors import InvalidTransition, require, require_state

from .. import deadlines, rules
from ..models import RequestEvent, ServiceRequest, State
from ..notifications import notify_request_changed
from ..validation import clean_plain

NOTE_MAX = 4000


def lock(request: ServiceRequest) -> ServiceRequest:
    """The request re-read under a row lock: every decision reads this copy."""
    return ServiceRequest.objects.select_for_update().get(pk=request.pk)


def require_handler(by, request) -> None:
    require(rules.handles(by, request), _("您不能办理该诉求：它不属于您所在部门，也没有分派给您。"))


def require_in(request, states, message: str) -> None:
    require_state(request.state in states, message)


def clean_note(value: str, label: str) -> str:
    from django.core.exceptions import ValidationError

    try:
        return clean_plain(value or "", label, NOTE_MAX)
    except ValidationError as exc:
        raise InvalidTransition(exc.messages[0]) from None


def change(request: ServiceRequest, to_state: str | None = None, **fields) -> None:
    """Write the new state and fields to the locked row (and to the instance)."""
    fields["updated_at"] = timezone.now()
    if to_state is not None:
        fields["state"] = to_state
    ServiceRequest.objects.filter(pk=request.pk).update(**fields)
    for name, value in fields.items():
        setattr(request, name, value)


def record(request: ServiceRequest, kind: str, *, by, from_state: str = "", public: bool,
           public_note: str = "", internal_note: str = "", **data) -> RequestEvent:
    """One timeline event and one audit row; a public event mails the enterprise after commit."""
    public_note = clean_note(public_note, _("公开说明"))
    internal_note = clean_note(internal_note, _("内部备注"))
    to_state = request.state if from_state and from_state != request.state else ""
    event = RequestEvent.objects.create(
        request=request, actor=by, kind=kind, from_state=from_state if to_state else "", to_state=to_state,
        is_public=public, public_note=public_note if public else "", internal_note=internal_note,
    )
    audit(request, f"service_requests.{kind}", by=by, note=public_note, from_state=from_state if to_state else "",
          to_state=to_state, internal_note=internal_note, **data)
    if public:
        notify_request_changed(request.pk, event.pk)
    return event


def finish_waiting(request) -> dict:
    """Fields that end a 补正 pause: the waited working days move the due date."""
    if request.state != State.WAITING:
        return {}
    waited = request.waited_workdays + deadlines.waited(request.waiting_since, now())
    return {"waiting_since": None, "waited_workdays": waited,
            "due_date": deadlines.due_date(request.accepted_at, request.deadline_days, waited)}


def now():
    return timezone.now()


__all__ = ["State", "change", "lock", "now", "record", "require_handler", "require_in"]
