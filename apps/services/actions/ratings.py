"""好差评 actions: the enterprise rates a served request once; a bad rating opens a
rectification case (整改) that the supervisor verifies by call-back, fixes and
reports back on, within working days; staff appeal malicious ratings and the
supervisor decides. Each reads its row under a lock and writes an audit row.

Refusals: NotAllowed (who), InvalidTransition (state: already rated, window
closed, case already reported), ValidationError (bad input, keyed by field).
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import outbox
from apps.core.audit import audit
from apps.core.deadline_alerts import send_due_alerts
from apps.core.errors import InvalidTransition, require, require_state

from .. import deadlines, rules
from ..models import Appeal, AppealState, CaseState, Rating, Rectification, ServiceRequest, State
from ..models.ratings import DIMENSIONS, Score
from ..statistics import statistics_changed
from ..validation import clean_plain
from .base import lock, record

RATEABLE_STATES = (State.RESOLVED, State.CLOSED)
CASE_ALERT_TASK = "services.rectification_alert"
COMMENT_MAX = 500
TEXT_MAX = 4000


def window_days() -> int:
    return int(getattr(settings, "PARKPORTAL_RATINGS_WINDOW_DAYS", 30))


def rating_closes_at(request: ServiceRequest):
    """The end of the rating window (None before the request is resolved)."""
    return request.resolved_at + timedelta(days=window_days()) if request.resolved_at else None


def may_rate(user, request: ServiceRequest, *, now=None) -> bool:
    """The form shows: an account of the enterprise, a resolved request, in the window, not rated yet."""
    closes = rating_closes_at(request)
    return (rules.is_requester(user, request) and request.state in RATEABLE_STATES and closes is not None
            and (now or timezone.now()) <= closes and not Rating.objects.filter(request_id=request.pk).exists())


def _score(value, label: str, *, required: bool):
    if value in (None, ""):
        if required:
            raise ValidationError(_("请选择%(label)s。") % {"label": label})
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = 0
    if number not in Score.values:
        raise ValidationError(_("%(label)s只能是 1 到 5 之间的等级。") % {"label": label})
    return number


def _text(value: str, label: str, limit: int, *, required: bool, key: str) -> str:
    try:
        text = clean_plain(value or "", label, limit)
    except ValidationError as exc:
        raise ValidationError({key: exc.messages}) from None
    if required and not text:
        raise ValidationError({key: _("请填写%(label)s。") % {"label": label}})
    return text


def clean_rating(score, comment: str = "", **dimensions) -> dict:
    """Every check of a rating's input, with nothing written: the cleaned fields or one ValidationError."""
    errors, cleaned = {}, {}
    unknown = set(dimensions) - {name for name, _label in DIMENSIONS}
    if unknown:
        raise TypeError(f"unknown rating dimensions: {sorted(unknown)}")
    for name, label, required, value in [("score", _("总体评价"), True, score)] + [
            (name, label, False, dimensions.get(name)) for name, label in DIMENSIONS]:
        try:
            cleaned[name] = _score(value, str(label), required=required)
        except ValidationError as exc:
            errors[name] = exc.messages
    try:
        cleaned["comment"] = _text(comment, _("评价内容"), COMMENT_MAX, required=False, key="comment")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def rate(request: ServiceRequest, *, by, score, comment: str = "", **dimensions) -> Rating:
    """一事一评: the enterprise rates its resolved request once, within the window.
    A bad rating opens the rectification case and tells the supervisors (after commit)."""
    request = lock(request)
    require(rules.is_requester(by, request), _("只有提交诉求的企业可以评价。"))
    require_state(request.state in RATEABLE_STATES, _("诉求办结后才能评价（现为“%(state)s”）。") % {
        "state": State(request.state).label})
    require_state(not Rating.objects.filter(request_id=request.pk).exists(),
                  _("该诉求已经评价过了，每件诉求只能评价一次。"))
    require_state(timezone.now() <= rating_closes_at(request),
                  _("评价期限已过：诉求办结后 %(days)s 天内可以评价。") % {"days": window_days()})
    cleaned = clean_rating(score, comment, **dimensions)
    rating = Rating.objects.create(request=request, rater=by, **cleaned)
    audit(rating, "ratings.rate", by=by, score=rating.score)
    if rating.is_bad:
        open_case(rating, by=by)
    statistics_changed()
    return rating


def open_case(rating: Rating, *, by) -> Rectification:
    """The one rectification case of a bad rating (inside ``rate``'s transaction)."""
    opened_at = timezone.now()
    days, due = deadlines.rectify_due_date(opened_at)
    case = Rectification.objects.create(rating=rating, request_id=rating.request_id, opened_at=opened_at,
                                        deadline_days=days, due_date=due)
    audit(case, "ratings.open_case", by=by, due_date=str(due))
    outbox.enqueue(CASE_ALERT_TASK, case.pk, "opened")
    return case


def _lock_case(case: Rectification) -> Rectification:
    return Rectification.objects.select_for_update().select_related("request").get(pk=case.pk)


@transaction.atomic
def verify(case: Rectification, *, by, finding: str) -> Rectification:
    """回访核实: the supervisor called the enterprise back and records what was found."""
    case = _lock_case(case)
    require(rules.is_supervisor(by), _("只有督办（服务主管）可以办理差评整改。"))
    require_state(case.state == CaseState.OPEN, _("该整改已核实或已办结（现为“%(state)s”）。") % {
        "state": CaseState(case.state).label})
    finding = _text(finding, _("回访核实情况"), TEXT_MAX, required=True, key="finding")
    now = timezone.now()
    Rectification.objects.filter(pk=case.pk).update(state=CaseState.VERIFIED, finding=finding, verified_at=now,
                                                    handled_by=by)
    audit(case, "ratings.verify", by=by, from_state=CaseState.OPEN, to_state=CaseState.VERIFIED, note=finding)
    case.refresh_from_db()
    return case


@transaction.atomic
def report_back(case: Rectification, *, by, fix: str, report: str) -> Rectification:
    """整改反馈: the fix is recorded and the enterprise is told the outcome (a public
    note on its request, mailed like every public change)."""
    case = _lock_case(case)
    require(rules.is_supervisor(by), _("只有督办（服务主管）可以办理差评整改。"))
    require_state(case.state == CaseState.VERIFIED, _("请先回访核实，再反馈整改结果（现为“%(state)s”）。") % {
        "state": CaseState(case.state).label})
    errors = {}
    values = {}
    for key, label, value in (("fix", _("整改措施"), fix), ("report", _("反馈企业的整改结果"), report)):
        try:
            values[key] = _text(value, label, TEXT_MAX, required=True, key=key)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    Rectification.objects.filter(pk=case.pk).update(state=CaseState.REPORTED, reported_at=now, handled_by=by,
                                                    **values)
    record(lock(case.request), "rectification_report", by=by, public=True, public_note=values["report"])
    audit(case, "ratings.report_back", by=by, from_state=CaseState.VERIFIED, to_state=CaseState.REPORTED,
          note=values["fix"], on_time=deadlines.local_day(now) <= case.due_date)
    statistics_changed()
    case.refresh_from_db()
    return case


@transaction.atomic
def file_appeal(rating: Rating, *, by, reason: str) -> Appeal:
    """A member of staff who handled the request says the rating is malicious (恶意评价)."""
    rating = Rating.objects.select_for_update().select_related("request").get(pk=rating.pk)
    # rules.may_file_appeal, one check at a time so each refusal says what is missing.
    require(rules.may_appeal(by, rating), _("只有办理该诉求的工作人员可以申诉。"))
    require_state(rating.excluded_at is None, _("该评价的申诉已经成立，不需要再申诉。"))
    require_state(not rating.appeals.pending().exists(),
                  _("该评价已有待裁定的申诉。"))
    reason = _text(reason, _("申诉理由"), TEXT_MAX, required=True, key="reason")
    appeal = Appeal.objects.create(rating=rating, filed_by=by, reason=reason)
    audit(appeal, "ratings.file_appeal", by=by, note=reason, rating=rating.pk)
    return appeal


@transaction.atomic
def decide_appeal(appeal: Appeal, *, by, upheld: bool, reason: str) -> Appeal:
    """The supervisor decides, with a reason. Upheld: the rating leaves the statistics
    (it is never deleted) and its open rectification case is cancelled."""
    appeal = Appeal.objects.select_for_update().select_related("rating").get(pk=appeal.pk)
    # rules.may_decide_appeal, one check at a time so each refusal says what is missing.
    require(rules.is_supervisor(by), _("只有督办（服务主管）可以裁定申诉。"))
    require(appeal.filed_by_id != by.pk, _("不能裁定自己提出的申诉，请由另一位督办裁定。"))
    require_state(appeal.is_pending, _("该申诉已经裁定（%(state)s）。") % {
        "state": AppealState(appeal.state).label})
    reason = _text(reason, _("裁定理由"), TEXT_MAX, required=True, key="decision_reason")
    state = AppealState.UPHELD if upheld else AppealState.REFUSED
    now = timezone.now()
    Appeal.objects.filter(pk=appeal.pk).update(state=state, decided_by=by, decided_at=now, decision_reason=reason)
    if upheld:
        Rating.objects.filter(pk=appeal.rating_id).update(excluded_at=now)
        cancelled = Rectification.objects.filter(rating_id=appeal.rating_id, state__in=(CaseState.OPEN,
                                                                                        CaseState.VERIFIED))
        for case in cancelled.select_for_update():
            Rectification.objects.filter(pk=case.pk).update(state=CaseState.CANCELLED)
            audit(case, "ratings.cancel_case", by=by, from_state=case.state, to_state=CaseState.CANCELLED,
                  appeal=appeal.pk)
        statistics_changed()
    audit(appeal, "ratings.decide_appeal", by=by, from_state=AppealState.PENDING, to_state=state, note=reason)
    appeal.refresh_from_db()
    return appeal


def _send_case_alert(pk: int, kind: str) -> None:
    outbox.enqueue(CASE_ALERT_TASK, pk, kind)


def send_rectification_alerts(today=None) -> dict:
    """Beat: remind before a case's due date, alert once it is overdue (each at most once)."""
    return send_due_alerts(
        Rectification.objects.open(), today=today or deadlines.today(),
        reminder_day=deadlines.reminder_day, send=_send_case_alert,
    )


__all__ = ["InvalidTransition"]
