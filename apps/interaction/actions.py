"""Every write of the consultation desk. Each reads the message under a row lock,
checks who and the state, writes, and appends one audit row (``interaction.<verb>``).

``submit_message`` is the one write a visitor makes without an account: it records
``submitted_by`` and an audit row when the writer is signed in; an anonymous message
is its own record (its row, time and tracking number), as no person can be named.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from apps.core import outbox
from apps.core.audit import audit
from apps.core.deadline_alerts import send_due_alerts
from apps.core.errors import require, require_state
from apps.core.textclean import has_html_tag
from apps.core.tracking import create_with_number, phone_digits
from apps.editorial import actions as editorial

from . import deadlines, tracking
from .models import Consultation, Kind, Message, State

CONFIRM_TASK = "interaction.confirm"
ALERT_TASK = "interaction.alert"


def may_handle(user) -> bool:
    return bool(user and user.is_active and user.has_perm("interaction.handle_message"))


def _lock(message) -> Message:
    return Message.objects.select_for_update().get(pk=message.pk)


def clean_submission(data: dict) -> dict:
    """Every field rule (also the form's); a ``ValidationError`` keyed by field."""
    errors = {}
    cleaned = {key: (data.get(key) or "").strip() if isinstance(data.get(key), str) else data.get(key)
               for key in ("kind", "name", "phone", "email", "subject", "text")}
    if cleaned["kind"] not in Kind.values:
        errors["kind"] = _("请选择留言类型。")
    for field, label, limit in (("name", _("姓名"), 50), ("phone", _("联系电话"), 30),
                                ("subject", _("标题"), 100), ("text", _("内容"), 3000)):
        if not cleaned[field]:
            errors[field] = _("请填写%(label)s。") % {"label": label}
        elif len(cleaned[field]) > limit:
            errors[field] = _("%(label)s不能超过 %(n)s 个字。") % {"label": label, "n": limit}
    digits = phone_digits(cleaned["phone"])
    if cleaned["phone"] and not 7 <= len(digits) <= 15:
        errors["phone"] = _("请填写有效的联系电话（7 至 15 位数字）。")
    if any(has_html_tag(cleaned[f]) for f in ("subject", "text")):
        errors["text"] = _("内容请使用纯文本，不要包含网页代码。")
    if errors:
        raise ValidationError(errors)
    cleaned["publish_consent"] = bool(data.get("publish_consent"))
    return cleaned


@transaction.atomic
def submit_message(data: dict, *, by=None) -> Message:
    """A visitor's message; returns it with its tracking number. ``by``: the signed-in
    account, or None for an anonymous visitor."""
    cleaned = clean_submission(data)
    author = by if by is not None and getattr(by, "is_authenticated", False) else None
    try:
        message = create_with_number(Message, tracking.PREFIX, submitted_by=author, **cleaned)
    except IntegrityError:  # pragma: no cover - 27^6 numbers a year
        raise ValidationError(_("暂时无法提交，请稍后再试。")) from None
    if author is not None:
        audit(message, "interaction.submit", by=author, to_state=State.SUBMITTED)
    if message.email:
        outbox.enqueue(CONFIRM_TASK, message.pk)
    return message


@transaction.atomic
def accept(message, *, by, department: str, note: str = "") -> Message:
    """受理: route to a department; the reply is due in N working days."""
    message = _lock(message)
    require(may_handle(by), _("您没有受理留言的权限。"))
    require_state(message.state == State.SUBMITTED, _("该留言已被他人受理或处理，请刷新后查看。"))
    department = (department or "").strip()
    if not department:
        raise ValidationError({"department": _("请填写答复部门。")})
    now = timezone.now()
    Message.objects.filter(pk=message.pk).update(
        state=State.ACCEPTED, accepted_at=now, accepted_by=by, department=department[:100],
        due_date=deadlines.due_date(now),
    )
    audit(message, "interaction.accept", by=by, note=note, from_state=State.SUBMITTED, to_state=State.ACCEPTED,
          department=department)
    return Message.objects.get(pk=message.pk)


@transaction.atomic
def route(message, *, by, department: str, note: str = "") -> Message:
    """转办: another department answers (the deadline is unchanged)."""
    message = _lock(message)
    require(may_handle(by), _("您没有转办留言的权限。"))
    require_state(message.state == State.ACCEPTED and not message.reply_published,
                  _("只有已受理且尚未答复的留言可以转办。"))
    department = (department or "").strip()
    if not department:
        raise ValidationError({"department": _("请填写答复部门。")})
    previous = message.department
    Message.objects.filter(pk=message.pk).update(department=department[:100])
    consultation = getattr(message, "consultation", None)
    audit(message, "interaction.route", by=by, note=note, previous=previous, department=department)
    if consultation is not None and consultation.first_published_at is None:
        editorial.save_draft(consultation, by=by, fields={"department": department[:100]}, summary=_("转办"))
    return Message.objects.get(pk=message.pk)


@transaction.atomic
def reject(message, *, by, reason: str) -> Message:
    """不予受理 (spam, abuse, not the park's business), with the reason the writer sees."""
    message = _lock(message)
    require(may_handle(by), _("您没有处理留言的权限。"))
    require_state(message.state == State.SUBMITTED, _("只有待受理的留言可以不予受理。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写不予受理的理由。")})
    Message.objects.filter(pk=message.pk).update(state=State.REJECTED, rejection_reason=reason[:300])
    audit(message, "interaction.reject", by=by, note=reason, from_state=State.SUBMITTED, to_state=State.REJECTED)
    return Message.objects.get(pk=message.pk)


@transaction.atomic
def draft_reply(message, *, by, reply: str, question: str | None = None) -> Consultation:
    """Write (or rewrite) the reply as a draft of the message's ``Consultation``, which then
    goes through review like any editorial item (submit, approve, publish)."""
    if not strip_tags(reply).strip():
        raise ValidationError({"reply": _("请填写答复内容。")})
    message = _lock(message)
    require(may_handle(by), _("您没有答复留言的权限。"))
    require_state(message.state == State.ACCEPTED, _("只有已受理的留言可以答复。"))
    fields = {"reply": reply, "department": message.department}
    if question is not None:
        fields["question"] = question
    consultation = Consultation._base_manager.filter(message=message).first()
    if consultation is None:
        consultation = editorial.create_draft(Consultation, by=by, fields={
            "message": message, "public": message.publish_consent, "kind": message.kind,
            "subject": message.subject, "question": message.text if question is None else question,
            "accepted_on": deadlines.local_day(message.accepted_at), **fields,
        })
    else:
        editorial.save_draft(consultation, by=by, fields=fields, summary=_("修改答复"))
    audit(message, "interaction.draft_reply", by=by)
    return Consultation._base_manager.get(pk=consultation.pk)


# --- deadlines (beat) -----------------------------------------------------------------

def _send_alert(pk: int, kind: str) -> None:
    outbox.enqueue(ALERT_TASK, pk, kind)


def send_deadline_alerts(today=None) -> dict:
    """One reminder before the due date and one overdue alert per message, each at
    most once (``apps.core.deadline_alerts``), to the desk."""
    return send_due_alerts(
        Message.objects.awaiting_reply(), today=today or deadlines.today(),
        reminder_day=deadlines.reminder_day, send=_send_alert,
    )
