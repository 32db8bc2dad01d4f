"""Every editorial write. Each action takes the acting user (``by``), reads the
item's state under a row lock, checks permission (NotAllowed) then state
(InvalidTransition), writes, audits, and queues notifications after commit.

Bad input (an empty reason, a time in the past) raises ValidationError.
"""

import logging
import secrets
from datetime import timedelta
from typing import Callable

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _

from apps.core.audit import audit
from apps.core.calendar import add_workdays
from apps.core.errors import InvalidTransition, NotAllowed, require, require_state

from . import rules, signals
from .chains import NoReviewChain, chain_for, steps_of
from .models import (
    ChangeNote,
    EditorialModel,
    PreviewLink,
    PreviewLinkUse,
    Revision,
    RevisionKind,
    ReviewComment,
    ReviewRound,
    ReviewTask,
    RoundStatus,
    Status,
    TaskStatus,
    Visibility,
)
from .notifications import notify
from .snapshots import draft_workspace, materialize, snapshots_equal

logger = logging.getLogger(__name__)


class StaleStep(InvalidTransition):
    """The review step the reviewer was looking at has been decided meanwhile."""


class StaleEdit(InvalidTransition):
    """The form was based on an older version than the latest one."""

    def __init__(self, message, *, base_revision_id, latest_revision_id):
        super().__init__(message)
        self.base_revision_id = base_revision_id
        self.latest_revision_id = latest_revision_id


EDITABLE = {
    Status.DRAFT, Status.CHANGES_REQUESTED, Status.APPROVED, Status.PUBLISHED,
    Status.WITHDRAWN, Status.UNPUBLISHED,
}


def lock_for_update(item: EditorialModel) -> EditorialModel:
    """Re-read the item under a row lock: state decisions use this copy only."""
    # of=("self",): lock the item row only (PostgreSQL refuses FOR UPDATE across the
    # nullable side of the outer join that select_related makes).
    return type(item)._base_manager.select_for_update(of=("self",)).select_related("latest_revision").get(pk=item.pk)


def _update(item, **fields) -> None:
    """Write workflow fields without touching content (which may be the public version)."""
    fields.setdefault("updated_at", timezone.now())
    type(item)._base_manager.filter(pk=item.pk).update(**fields)
    for name, value in fields.items():
        setattr(item, name, value)


def _ref(item) -> dict:
    return {"content_type": ContentType.objects.get_for_model(item, for_concrete_model=False), "object_id": str(item.pk)}


def _open_round(item) -> ReviewRound | None:
    return ReviewRound.objects.filter(**_ref(item), status=RoundStatus.IN_PROGRESS).first()


def _last_round(item) -> ReviewRound | None:
    return ReviewRound.objects.filter(**_ref(item)).order_by("-id").first()


def _require_text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


# --- Drafts and revisions --------------------------------------------------------------

def _refuse_if_locked_by_other(current, by):
    """Someone else is mid-edit: neither save over them nor send their draft to review."""
    if current.lock_is_active() and current.locked_by_id != by.pk:
        raise InvalidTransition(
            _("%(user)s 正在编辑该内容（%(time)s 起），请稍后再试或请其解除锁定。")
            % {"user": current.locked_by, "time": timezone.localtime(current.locked_at).strftime("%H:%M")}
        )


def _check_editable(current, by, base_revision_id):
    require(rules.can_edit(by, current), _("您没有修改该内容的权限。"))
    require_state(
        current.status in EDITABLE,
        _("“%(status)s”状态的内容不能直接修改。") % {"status": current.get_status_display()},
    )
    _refuse_if_locked_by_other(current, by)
    from .batches import refuse_if_batched

    refuse_if_batched(current)
    if base_revision_id is not None and current.latest_revision_id != base_revision_id:
        raise StaleEdit(
            _("该内容在您打开后已被他人修改并保存。为避免覆盖他人的修改，本次保存未生效，请查看差异后重新编辑。"),
            base_revision_id=base_revision_id,
            latest_revision_id=current.latest_revision_id,
        )


def record_revision(item, *, by, snapshot: dict, kind=RevisionKind.EDIT, summary="", based_on=None) -> Revision | None:
    """Store a snapshot as the item's next revision and move the workflow state.

    Returns None when nothing changed since the latest revision. Callers hold
    the row lock.
    """
    latest = item.latest_revision
    if latest is not None and snapshots_equal(latest.snapshot, snapshot) and kind == RevisionKind.EDIT:
        return None
    ref = _ref(item)
    number = (Revision.objects.filter(**ref).aggregate(n=Max("number"))["n"] or 0) + 1
    revision = Revision.objects.create(
        **ref, number=number, kind=kind, created_by=by, snapshot=snapshot,
        based_on=based_on or latest, summary=summary[:200],
    )
    from_status = item.status
    # A new version needs review again; "changes requested" stays until resubmitted.
    to_status = Status.CHANGES_REQUESTED if from_status == Status.CHANGES_REQUESTED else Status.DRAFT
    _update(item, latest_revision=revision, status=to_status, updated_by=by, schedule_error="")
    audit(
        item, "editorial.revert" if kind == RevisionKind.REVERT else "editorial.save_draft", by=by,
        from_state=from_status, to_state=to_status, note=summary, revision=number,
    )
    return revision


@transaction.atomic
def create_draft(model, *, by, fields: dict, m2m: dict | None = None, children: dict | None = None,
                 kind=RevisionKind.EDIT, summary="") -> EditorialModel:
    """A new item as a draft, with its first revision."""
    require(rules.can_add(by, model), _("您没有新建该类内容的权限。"))
    item = model(**fields)
    item.stamp(by)
    item.full_clean(exclude=list(m2m or {}))
    item.save()
    _write_relations(item, m2m, children)
    from .snapshots import serialize

    record_revision(item, by=by, snapshot=serialize(item), kind=kind, summary=summary or _("新建"))
    return item


def _write_relations(item, m2m, children):
    for name, values in (m2m or {}).items():
        getattr(item, name).set(values)
    for accessor, rows in (children or {}).items():
        manager = getattr(item, accessor)
        manager.all().delete()
        for row in rows:
            manager.create(**row)


@transaction.atomic
def save_draft(item, *, by, fields: dict | None = None, m2m: dict | None = None,
               children: dict | None = None, write: Callable | None = None,
               base_revision_id: int | None = None, summary="", kind=RevisionKind.EDIT) -> Revision | None:
    """Save a new version of an item. The public keeps the published version.

    Either pass ``fields`` / ``m2m`` / ``children`` to change, or ``write``: a
    function called with the item (the latest draft, materialised in the
    database) that makes its changes with ordinary saves (the admin does this).
    """
    current = lock_for_update(item)
    _check_editable(current, by, base_revision_id)
    with draft_workspace(current) as workspace:
        if fields:
            for name, value in fields.items():
                setattr(current, name, value)
            current.full_clean(exclude=list(m2m or {}))
        if fields or m2m or children:
            current.stamp(by)
            current.save()
            _write_relations(current, m2m, children)
        if write is not None:
            write(current)
        snapshot = workspace.capture()
        workspace.keep = True
    current = lock_for_update(item)  # reload: workflow fields, and the row as committed
    return record_revision(current, by=by, snapshot=snapshot, kind=kind, summary=summary)


@transaction.atomic
def revert(item, *, by, revision: Revision) -> Revision:
    """A new draft whose content is an old revision's."""
    current = lock_for_update(item)
    _check_editable(current, by, None)
    require_state(revision.object_id == str(item.pk), _("该版本不属于此内容。"))
    with draft_workspace(current) as workspace:
        materialize(current, revision.snapshot)
        snapshot = workspace.capture()
        workspace.keep = True
    current = lock_for_update(item)
    return record_revision(
        current, by=by, snapshot=snapshot, kind=RevisionKind.REVERT, based_on=revision,
        summary=_("恢复为第 %(n)s 版") % {"n": revision.number},
    )


# --- Review ---------------------------------------------------------------------------

def _authors_of_version(item) -> list[int]:
    """Everyone who saved a revision since the public version (all, if never published)."""
    revisions = Revision.objects.filter(**_ref(item))
    if item.live_revision_id:
        revisions = revisions.filter(id__gt=item.live_revision_id)
    return sorted(set(revisions.values_list("created_by_id", flat=True)))


def _submitters_of_version(item) -> set[int]:
    """Who sent the latest version to review (the open round's submitter, and any
    earlier round of the same revision): they may not publish it either."""
    if not item.latest_revision_id:
        return set()
    return set(
        ReviewRound.objects.filter(**_ref(item), revision_id=item.latest_revision_id)
        .exclude(status=RoundStatus.URGENT).values_list("submitted_by_id", flat=True)
    )


def may_publish_urgently(by, item) -> bool:
    """The two-person rule for urgent publishing: neither an author of the version
    nor whoever submitted it."""
    if rules.exempt_from_two_person_rule(by):
        return True
    return by.pk not in _authors_of_version(item) and by.pk not in _submitters_of_version(item)


def _open_task(round_, position: int, now=None) -> ReviewTask:
    step = round_.step(position)
    now = now or timezone.now()
    return ReviewTask.objects.create(
        round=round_, position=position, name=step["name"], group_id=step["group_id"],
        assignee_id=step.get("user_id"), opened_at=now,
        due_at=add_workdays(now, step["due_workdays"]),
    )


@transaction.atomic
def submit(item, *, by, note: str = "") -> ReviewRound:
    current = lock_for_update(item)
    require(rules.can_edit(by, current), _("您没有提交该内容的权限。"))
    require_state(
        current.status in (Status.DRAFT, Status.CHANGES_REQUESTED),
        _("只有草稿或退回修改的内容可以提交审核（当前：%(status)s）。") % {"status": current.get_status_display()},
    )
    require_state(current.latest_revision_id is not None, _("请先保存内容。"))
    _refuse_if_locked_by_other(current, by)
    from .batches import refuse_if_batched

    refuse_if_batched(current)
    problems = current.submission_problems()
    if problems:
        raise InvalidTransition(_("暂不能提交审核：") + "；".join(problems))
    try:
        steps = steps_of(chain_for(current))
    except NoReviewChain:
        raise InvalidTransition(_("没有适用于该内容的审核流程，请联系站点管理员配置。"))

    start = 0
    previous = _last_round(current)
    if (
        current.status == Status.CHANGES_REQUESTED
        and previous is not None
        and previous.status == RoundStatus.CHANGES_REQUESTED
        and not settings.PARKPORTAL_EDITORIAL_RESTART_FROM_FIRST_STEP
        and previous.steps == steps
    ):
        start = previous.current_step  # resume at the step that asked for changes

    round_ = ReviewRound.objects.create(
        **_ref(current), item_repr=str(current)[:300], revision=current.latest_revision,
        sensitivity=current.sensitivity, steps=steps, current_step=start, submitted_by=by,
        authors=sorted(set(_authors_of_version(current)) | {by.pk}),
    )
    task = _open_task(round_, start)
    from_status = current.status
    _update(current, status=Status.IN_REVIEW)
    audit(current, "editorial.submit", by=by, from_state=from_status, to_state=Status.IN_REVIEW,
          note=note, step=task.name, revision=current.latest_revision.number)
    notify("review_requested", current, group_id=task.group_id, user_id=task.assignee_id, by=by, extra={"step": task.name})
    return round_


def _current_task(current, expected_task=None) -> tuple[ReviewRound, ReviewTask]:
    """The open round and its open task, read under the caller's row lock.

    ``expected_task`` (a ReviewTask or its id) is the step the reviewer was
    looking at: if the round has moved on since (someone else decided it, or a
    second click of the same button), refuse rather than decide the next step.
    """
    expected = getattr(expected_task, "pk", expected_task)
    stale = _("该审核步骤已由他人处理，请刷新后重试。")
    if expected is not None and current.status != Status.IN_REVIEW:
        raise StaleStep(stale)
    require_state(current.status == Status.IN_REVIEW, _("该内容不在审核中（当前：%(status)s）。") % {"status": current.get_status_display()})
    round_ = _open_round(current)
    task = round_ and round_.tasks.filter(status=TaskStatus.OPEN).first()
    require_state(task is not None, _("该内容没有待处理的审核步骤。"))
    if expected is not None and task.pk != int(expected):
        raise StaleStep(stale)
    return round_, task


def _require_reviewer(by, round_, task):
    require(
        rules.can_act_on_task(by, task),
        _("“%(step)s”步骤应由“%(group)s”处理，您不能审核该步骤。") % {"step": task.name, "group": task.group.name},
    )
    require(
        rules.passes_two_person_rule(by, round_),
        _("双人审核规则：您编辑或提交了该版本，不能审核自己的稿件。"),
    )


@transaction.atomic
def approve(item, *, by, note: str = "", expected_task: ReviewTask | int | None = None) -> ReviewTask:
    """Decide the open step. Pass ``expected_task`` (what the reviewer saw) so that
    a stale or repeated click never approves the next step."""
    current = lock_for_update(item)
    round_, task = _current_task(current, expected_task)
    _require_reviewer(by, round_, task)
    now = timezone.now()
    ReviewTask.objects.filter(pk=task.pk).update(status=TaskStatus.APPROVED, decided_by=by, decided_at=now, comment=note)
    next_position = task.position + 1
    if next_position < len(round_.steps):
        ReviewRound.objects.filter(pk=round_.pk).update(current_step=next_position)
        next_task = _open_task(round_, next_position, now)
        audit(current, "editorial.approve", by=by, from_state=Status.IN_REVIEW, to_state=Status.IN_REVIEW,
              note=note, step=task.name, next_step=next_task.name)
        notify("review_requested", current, group_id=next_task.group_id, user_id=next_task.assignee_id, by=by,
               extra={"step": next_task.name})
    else:
        ReviewRound.objects.filter(pk=round_.pk).update(status=RoundStatus.APPROVED, finished_at=now)
        _update(current, status=Status.APPROVED)
        audit(current, "editorial.approve", by=by, from_state=Status.IN_REVIEW, to_state=Status.APPROVED,
              note=note, step=task.name)
        notify("approved", current, user_ids=round_.authors, by=by, extra={"note": note})
    return task


@transaction.atomic
def request_changes(item, *, by, note: str, expected_task: ReviewTask | int | None = None) -> ReviewTask:
    note = _require_text(note, _("退回修改时请填写修改意见。"))
    current = lock_for_update(item)
    round_, task = _current_task(current, expected_task)
    _require_reviewer(by, round_, task)
    now = timezone.now()
    ReviewTask.objects.filter(pk=task.pk).update(
        status=TaskStatus.CHANGES_REQUESTED, decided_by=by, decided_at=now, comment=note
    )
    ReviewRound.objects.filter(pk=round_.pk).update(status=RoundStatus.CHANGES_REQUESTED, finished_at=now)
    _update(current, status=Status.CHANGES_REQUESTED)
    audit(current, "editorial.request_changes", by=by, from_state=Status.IN_REVIEW,
          to_state=Status.CHANGES_REQUESTED, note=note, step=task.name)
    # The submitter and the authors, and every reviewer who already approved in
    # this round (Wagtail tells only the submitter).
    approvers = list(round_.tasks.filter(status=TaskStatus.APPROVED).values_list("decided_by_id", flat=True))
    notify("changes_requested", current, user_ids=set(round_.authors) | {round_.submitted_by_id} | set(approvers),
           by=by, extra={"note": note, "step": task.name})
    return task


# --- Publishing -----------------------------------------------------------------------

def _check_change_note(current, major, change_note) -> tuple[bool, str]:
    """A new version of a published item is major (with a public note) or minor."""
    if current.first_published_at is None:
        return True, _("首次发布")
    if major is None:
        raise ValidationError(_("请选择本次更新是重大更新还是一般更新。"))
    if major:
        return True, _require_text(change_note, _("重大更新须填写公开的更新说明。"))
    return False, ""


def _go_live(current, *, by, revision, major, change_note, now=None) -> str:
    """Make ``revision`` the public version; return the status it replaced.
    Callers hold the lock and have checked permission and state."""
    now = now or timezone.now()
    materialize(current, revision.snapshot)
    first = current.first_published_at is None
    was = current.status
    fields = dict(
        status=Status.PUBLISHED, visibility=Visibility.LIVE, live_revision=revision, latest_revision=revision,
        go_live_at=None, withdrawn_at=None, withdrawal_note="", unpublished_at=None, redirect_url="",
        schedule_error="", updated_by=by,
    )
    if first:
        fields["first_published_at"] = now
        fields["public_updated_at"] = now
    elif major:
        fields["public_updated_at"] = now
    _update(current, **fields)
    if major:
        ChangeNote.objects.create(**_ref(current), revision=revision, note=change_note, published_at=now, created_by=by)
    # A content type whose publication publishes others (a review batch).
    hook = getattr(current, "on_published", None)
    if hook is not None:
        hook(by=by, now=now)
    return was


def _require_publisher(by, round_, permission=rules.PUBLISH):
    require(by.is_active and by.has_perm(permission), _("您没有发布内容的权限。"))
    if round_ is not None:
        require(rules.passes_two_person_rule(by, round_), _("双人审核规则：作者不能发布自己的稿件。"))


@transaction.atomic
def publish(item, *, by, major: bool | None = None, change_note: str = "") -> None:
    current = lock_for_update(item)
    round_ = _last_round(current)
    _require_publisher(by, round_)
    require_state(current.status == Status.APPROVED, _("只有审核通过的内容可以发布（当前：%(status)s）。") % {"status": current.get_status_display()})
    require_state(round_ is not None and round_.status == RoundStatus.APPROVED, _("该内容没有通过的审核记录。"))
    major, change_note = _check_change_note(current, major, change_note)
    was = _go_live(current, by=by, revision=round_.revision, major=major, change_note=change_note)
    audit(current, "editorial.publish", by=by, from_state=was, to_state=Status.PUBLISHED,
          note=change_note, major=major, revision=round_.revision.number)
    notify("published", current, user_ids=round_.authors, by=by)
    signals.send_published(current)


@transaction.atomic
def urgent_publish(item, *, by, reason: str, major: bool | None = None, change_note: str = "") -> ReviewRound:
    """Publish without the remaining reviews: needs a written reason, is flagged,
    and must be approved afterwards by someone else."""
    reason = _require_text(reason, _("紧急发布必须填写理由。"))
    current = lock_for_update(item)
    require(by.is_active and by.has_perm(rules.URGENT_PUBLISH), _("您没有紧急发布的权限。"))
    require_state(
        current.status in (Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.APPROVED),
        _("该内容当前不能紧急发布（当前：%(status)s）。") % {"status": current.get_status_display()},
    )
    require_state(current.latest_revision_id is not None, _("请先保存内容。"))
    authors = _authors_of_version(current)
    require(
        may_publish_urgently(by, current),
        _("双人审核规则：编辑或提交该版本的人不能发布它，紧急发布也不例外。"),
    )
    major, change_note = _check_change_note(current, major, change_note)
    now = timezone.now()
    round_ = _open_round(current)
    if round_ is not None:
        round_.tasks.filter(status=TaskStatus.OPEN).update(status=TaskStatus.SKIPPED, decided_at=now)
        round_.status = RoundStatus.URGENT
        round_.urgent_reason, round_.urgent_by, round_.finished_at = reason, by, now
        round_.save(update_fields=["status", "urgent_reason", "urgent_by", "finished_at"])
    else:
        round_ = ReviewRound.objects.create(
            **_ref(current), item_repr=str(current)[:300], revision=current.latest_revision,
            sensitivity=current.sensitivity, steps=[], submitted_by=by, authors=authors,
            status=RoundStatus.URGENT, urgent_reason=reason, urgent_by=by, finished_at=now,
        )
    revision = current.latest_revision
    was = _go_live(current, by=by, revision=revision, major=major, change_note=change_note, now=now)
    _update(current, awaiting_retrospective_review=True)
    audit(current, "editorial.urgent_publish", by=by, from_state=was, to_state=Status.PUBLISHED,
          note=reason, major=major, revision=revision.number)
    notify("published", current, user_ids=authors, by=by, extra={"urgent": True, "reason": reason})
    signals.send_published(current)
    return round_


@transaction.atomic
def approve_retrospectively(item, *, by, note: str = "") -> ReviewRound:
    current = lock_for_update(item)
    require(by.is_active and by.has_perm(rules.APPROVE_RETROSPECTIVELY), _("您没有补审权限。"))
    require_state(current.awaiting_retrospective_review, _("该内容不需要补审。"))
    round_ = ReviewRound.objects.filter(**_ref(current), status=RoundStatus.URGENT, retrospective_at__isnull=True).order_by("-id").first()
    require_state(round_ is not None, _("找不到紧急发布记录。"))
    require(
        rules.exempt_from_two_person_rule(by) or (by.pk != round_.urgent_by_id and by.pk not in round_.authors),
        _("补审须由紧急发布人和作者以外的人完成。"),
    )
    now = timezone.now()
    ReviewRound.objects.filter(pk=round_.pk).update(retrospective_by=by, retrospective_at=now)
    _update(current, awaiting_retrospective_review=False)
    audit(current, "editorial.approve_retrospectively", by=by, note=note)
    return round_


@transaction.atomic
def schedule(item, *, by, go_live_at, expire_at=None, major: bool | None = None, change_note: str = "") -> None:
    current = lock_for_update(item)
    round_ = _last_round(current)
    _require_publisher(by, round_)
    require_state(current.status == Status.APPROVED, _("只有审核通过的内容可以定时发布。"))
    if go_live_at is None or go_live_at < timezone.now() + settings.PARKPORTAL_EDITORIAL_MIN_SCHEDULE_LEAD:
        minutes = int(settings.PARKPORTAL_EDITORIAL_MIN_SCHEDULE_LEAD.total_seconds() // 60)
        raise ValidationError(_("定时发布时间须至少在 %(m)s 分钟之后。") % {"m": minutes})
    if expire_at is not None and expire_at <= go_live_at:
        raise ValidationError(_("到期下线时间须晚于发布时间。"))
    major, change_note = _check_change_note(current, major, change_note)
    ReviewRound.objects.filter(pk=round_.pk).update(scheduled_by=by, publish_major=major, publish_note=change_note)
    _update(current, status=Status.SCHEDULED, go_live_at=go_live_at, expire_at=expire_at, schedule_error="")
    audit(current, "editorial.schedule", by=by, from_state=Status.APPROVED, to_state=Status.SCHEDULED,
          go_live_at=go_live_at.isoformat(), expire_at=expire_at.isoformat() if expire_at else None)


@transaction.atomic
def unschedule(item, *, by) -> None:
    current = lock_for_update(item)
    require(by.is_active and by.has_perm(rules.PUBLISH), _("您没有取消定时发布的权限。"))
    require_state(current.status == Status.SCHEDULED, _("该内容没有定时发布。"))
    _update(current, status=Status.APPROVED, go_live_at=None, expire_at=None)
    audit(current, "editorial.unschedule", by=by, from_state=Status.SCHEDULED, to_state=Status.APPROVED)


def editorial_models():
    return [m for m in apps.get_models() if issubclass(m, EditorialModel)]


def publish_due(now=None) -> dict:
    """Beat, every minute: publish scheduled items whose time has come (never early,
    never twice), and take down live items past their expiry.

    One item's failure never stops the run: each is handled in its own transaction,
    and whatever goes wrong is recorded on the item, audited and mailed."""
    now = now or timezone.now()
    published, failed, expired = [], [], []
    for model in editorial_models():
        due = model._base_manager.filter(status=Status.SCHEDULED, go_live_at__lte=now).values_list("pk", flat=True)
        for pk in list(due):
            try:
                outcome = _publish_scheduled(model, pk, now)
            except Exception:  # even recording the failure failed: log it, go on with the others
                logger.exception("Scheduled publish of %s %s failed and could not be recorded", model._meta.label, pk)
                outcome = False
            (published if outcome is True else failed if outcome is False else []).append((model._meta.label, pk))
        for pk in list(model._base_manager.filter(visibility=Visibility.LIVE, expire_at__lte=now).values_list("pk", flat=True)):
            try:
                if _expire(model, pk, now):
                    expired.append((model._meta.label, pk))
            except Exception:
                logger.exception("Expiry of %s %s failed", model._meta.label, pk)
    return {"published": published, "failed": failed, "expired": expired}


def _publish_scheduled(model, pk, now) -> bool | None:
    with transaction.atomic():
        current = model._base_manager.select_for_update().get(pk=pk)
        if current.status != Status.SCHEDULED or current.go_live_at is None or current.go_live_at > now:
            return None  # already handled by another beat run, or unscheduled meanwhile
        round_ = _last_round(current)
        scheduler = round_.scheduled_by if round_ else None
        try:
            # A savepoint: a failure undoes this attempt (and drops the mails and
            # signals it queued), and the failure is recorded below instead.
            with transaction.atomic():
                require(scheduler is not None, _("没有排期人。"))
                _require_publisher(scheduler, round_)
                was = _go_live(current, by=scheduler, revision=round_.revision, major=round_.publish_major,
                               change_note=round_.publish_note, now=now)
                audit(current, "editorial.publish", by=scheduler, from_state=was, to_state=Status.PUBLISHED,
                      note=_("定时发布"), scheduled=True, revision=round_.revision.number)
                notify("published", current, user_ids=round_.authors, by=scheduler)
                signals.send_published(current)
            return True
        except (NotAllowed, InvalidTransition, ValidationError) as exc:
            reason = getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [])) or str(exc)
        except Exception as exc:  # a bug or a database error: record it, never retry every minute
            logger.exception("Scheduled publish of %s %s failed", model._meta.label, pk)
            reason = _("发布时发生意外错误（%(error)s），请联系技术人员处理后重新排期。") % {
                "error": f"{type(exc).__name__}: {exc}"[:300],
            }
        current = model._base_manager.get(pk=pk)  # the row as it is, not as the failed attempt left it
        _update(current, status=Status.APPROVED, schedule_error=reason)
        audit(current, "editorial.scheduled_publish_failed", by=scheduler or current.created_by,
              from_state=Status.SCHEDULED, to_state=Status.APPROVED, note=reason)
        recipients = set(round_.authors if round_ else []) | ({scheduler.pk} if scheduler else set())
        # The scheduler is told too: beat acted on their behalf and failed.
        notify("schedule_failed", current, user_ids=recipients, by=None, extra={"reason": reason})
        return False


def _expire(model, pk, now) -> bool:
    with transaction.atomic():
        current = model._base_manager.select_for_update().get(pk=pk)
        if current.visibility != Visibility.LIVE or current.expire_at is None or current.expire_at > now:
            return False
        round_ = _last_round(current)
        actor = (round_.scheduled_by if round_ and round_.scheduled_by_id else None) or current.updated_by or current.created_by
        _update(current, visibility=Visibility.GONE, status=Status.UNPUBLISHED, unpublished_at=now, expire_at=None)
        audit(current, "editorial.expire", by=actor, from_state=Status.PUBLISHED, to_state=Status.UNPUBLISHED,
              note=_("到期自动下线"))
        return True


# --- Taking content down ----------------------------------------------------------------

@transaction.atomic
def withdraw(item, *, by, note: str) -> None:
    """Keep the page online with a dated public explanation; drop it from lists and feeds."""
    note = _require_text(note, _("撤回时须填写公开的撤回说明。"))
    current = lock_for_update(item)
    require(by.is_active and by.has_perm(rules.WITHDRAW), _("您没有撤回内容的权限。"))
    require_state(current.visibility == Visibility.LIVE, _("只有公开的内容可以撤回。"))
    was = current.status
    _update(current, visibility=Visibility.WITHDRAWN, status=Status.WITHDRAWN, withdrawn_at=timezone.now(),
            withdrawal_note=note, go_live_at=None)
    audit(current, "editorial.withdraw", by=by, from_state=was, to_state=Status.WITHDRAWN, note=note)
    signals.send_unpublished(current)


def _validate_redirect(current, redirect_url: str) -> str:
    """Relative paths on this site or http(s) URLs; never the item itself, never a loop."""
    from urllib.parse import urlsplit

    url = (redirect_url or "").strip()
    if not url:
        return ""
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
    """The Simplified-Chinese path: /zh-hant/pages/a/ and /pages/a/ are one page."""
    prefix = "/zh-hant/"
    path = path.split("?")[0].split("#")[0]
    return "/" + path[len(prefix):] if path.startswith(prefix) else path


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
    _update(current, visibility=Visibility.GONE, status=Status.UNPUBLISHED, unpublished_at=timezone.now(),
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
    _update(current, status=Status.ARCHIVED)
    audit(current, "editorial.archive", by=by, from_state=was, to_state=Status.ARCHIVED, note=note)


# --- Edit locks -------------------------------------------------------------------------

@transaction.atomic
def lock(item, *, by) -> None:
    current = lock_for_update(item)
    require(rules.can_edit(by, current), _("您没有编辑该内容的权限。"))
    if current.lock_is_active() and current.locked_by_id != by.pk:
        raise InvalidTransition(_("%(user)s 已锁定该内容。") % {"user": current.locked_by})
    _update(current, locked_by=by, locked_at=timezone.now())
    audit(current, "editorial.lock", by=by)


@transaction.atomic
def unlock(item, *, by) -> None:
    current = lock_for_update(item)
    require_state(current.locked_by_id is not None, _("该内容没有被锁定。"))
    require(
        current.locked_by_id == by.pk or by.has_perm(rules.BREAK_LOCK),
        _("只有锁定人或有权限的管理人员可以解除锁定。"),
    )
    previous = current.locked_by_id
    _update(current, locked_by=None, locked_at=None)
    audit(current, "editorial.unlock", by=by, previous_holder=previous)


# --- Review comments --------------------------------------------------------------------

@transaction.atomic
def add_comment(item, *, by, body: str, field_name: str = "", parent: ReviewComment | None = None) -> ReviewComment:
    body = _require_text(body, _("意见内容不能为空。"))
    require(by.is_active and by.is_staff and rules.can_view(by, item), _("您没有对该内容发表意见的权限。"))
    if field_name and field_name not in {f.name for f in type(item)._meta.get_fields()}:
        raise ValidationError(_("没有名为“%(f)s”的字段。") % {"f": field_name})
    if parent is not None:
        require_state(parent.object_id == str(item.pk) and parent.parent_id is None, _("只能回复该内容的意见。"))
    comment = ReviewComment.objects.create(
        **_ref(item), revision_id=item.latest_revision_id, field_name=field_name, body=body,
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


# --- Preview links ----------------------------------------------------------------------

PREVIEW_SALT = "editorial.preview-link"


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
        **_ref(item), revision=revision, created_by=by, note=note[:200],
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


class PreviewLinkInvalid(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


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
