"""Review: submitting a version, deciding its steps, and the retrospective review
of an urgent publication."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit
from apps.core.calendar import add_workdays
from apps.core.errors import InvalidTransition, require, require_state

from .. import checks, rules
from ..chains import NoReviewChain, chain_for, steps_of
from ..models import ReviewRound, ReviewTask, RoundStatus, Status, TaskStatus
from ..notifications import notify
from .base import (
    StaleStep, last_round, lock_for_update, open_round, ref, refuse_if_batched, refuse_if_locked_by_other,
    require_text, update,
)
from .publishing import check_publishable, publish_approved
from .steps import may_sign_off, reviewer_problem
from .versions import authors_of_version, may_publish_urgently, refresh_media_text  # noqa: F401 - re-exported


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
    refuse_if_locked_by_other(current, by)
    refuse_if_batched(current)
    refresh_media_text(current, by=by)
    checks.require_no_problems(current, stage=checks.SUBMIT, by=by, revision=current.latest_revision)
    try:
        chain = chain_for(current)
        steps = steps_of(chain)
    except NoReviewChain:
        raise InvalidTransition(_("没有适用于该内容的审核流程，请联系站点管理员配置。"))

    start = 0
    previous = last_round(current)
    if (
        current.status == Status.CHANGES_REQUESTED
        and previous is not None
        and previous.status == RoundStatus.CHANGES_REQUESTED
        and not settings.PARKPORTAL_EDITORIAL_RESTART_FROM_FIRST_STEP
        and previous.steps == steps
    ):
        start = previous.current_step  # resume at the step that asked for changes

    round_ = ReviewRound.objects.create(
        **ref(current), item_repr=str(current)[:300], revision=current.latest_revision,
        sensitivity=current.sensitivity, steps=steps, current_step=start, submitted_by=by,
        authors=sorted(set(authors_of_version(current)) | {by.pk}),
        distinct_reviewers=chain.distinct_reviewers, last_approval_publishes=chain.last_approval_publishes,
    )
    task = _open_task(round_, start)
    from_status = current.status
    update(current, status=Status.IN_REVIEW)
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
    round_ = open_round(current)
    task = round_ and round_.tasks.filter(status=TaskStatus.OPEN).first()
    require_state(task is not None, _("该内容没有待处理的审核步骤。"))
    if expected is not None and task.pk != int(expected):
        raise StaleStep(stale)
    return round_, task


def _require_reviewer(by, round_, task):
    problem = reviewer_problem(by, round_, task)
    require(problem is None, problem)


@transaction.atomic
def approve(item, *, by, note: str = "", expected_task: ReviewTask | int | None = None,
            publish: bool = True, major: bool | None = None, change_note: str = "") -> ReviewTask:
    """Decide the open step. Pass ``expected_task`` (what the reviewer saw) so that
    a stale or repeated click never approves the next step.

    签发: when the chain says its last approval publishes (the default), approving
    the last step publishes the approved version at once, if the approver may
    publish it; ``publish=False`` only approves (to schedule it afterwards).
    Republishing asks ``major`` / ``change_note`` as ``publish`` does."""
    current = lock_for_update(item)
    round_, task = _current_task(current, expected_task)
    _require_reviewer(by, round_, task)
    now = timezone.now()
    next_position = task.position + 1
    last_step = next_position >= len(round_.steps)
    signs_off = last_step and publish and round_.last_approval_publishes and may_sign_off(by, round_)
    if signs_off:  # 签发 is a publish: the publish gate (change note, a serious wording error …) applies
        major, change_note = check_publishable(current, round_, by=by, major=major, change_note=change_note)
    ReviewTask.objects.filter(pk=task.pk).update(status=TaskStatus.APPROVED, decided_by=by, decided_at=now, comment=note)
    if not last_step:
        ReviewRound.objects.filter(pk=round_.pk).update(current_step=next_position)
        next_task = _open_task(round_, next_position, now)
        audit(current, "editorial.approve", by=by, from_state=Status.IN_REVIEW, to_state=Status.IN_REVIEW,
              note=note, step=task.name, next_step=next_task.name)
        notify("review_requested", current, group_id=next_task.group_id, user_id=next_task.assignee_id, by=by,
               extra={"step": next_task.name})
        return task
    ReviewRound.objects.filter(pk=round_.pk).update(status=RoundStatus.APPROVED, finished_at=now)
    update(current, status=Status.APPROVED)
    audit(current, "editorial.approve", by=by, from_state=Status.IN_REVIEW, to_state=Status.APPROVED,
          note=note, step=task.name)
    if not signs_off:
        notify("approved", current, user_ids=round_.authors, by=by, extra={"note": note})
        return task
    publish_approved(current, round_, by=by, major=major, change_note=change_note, now=now,
                     step=task.name, signed_off=True)
    return task


@transaction.atomic
def request_changes(item, *, by, note: str, expected_task: ReviewTask | int | None = None) -> ReviewTask:
    note = require_text(note, _("退回修改时请填写修改意见。"))
    current = lock_for_update(item)
    round_, task = _current_task(current, expected_task)
    _require_reviewer(by, round_, task)
    now = timezone.now()
    ReviewTask.objects.filter(pk=task.pk).update(
        status=TaskStatus.CHANGES_REQUESTED, decided_by=by, decided_at=now, comment=note
    )
    ReviewRound.objects.filter(pk=round_.pk).update(status=RoundStatus.CHANGES_REQUESTED, finished_at=now)
    update(current, status=Status.CHANGES_REQUESTED)
    audit(current, "editorial.request_changes", by=by, from_state=Status.IN_REVIEW,
          to_state=Status.CHANGES_REQUESTED, note=note, step=task.name)
    # The submitter and the authors, and every reviewer who already approved in
    # this round (Wagtail tells only the submitter).
    approvers = list(round_.tasks.filter(status=TaskStatus.APPROVED).values_list("decided_by_id", flat=True))
    notify("changes_requested", current, user_ids=set(round_.authors) | {round_.submitted_by_id} | set(approvers),
           by=by, extra={"note": note, "step": task.name})
    return task


@transaction.atomic
def approve_retrospectively(item, *, by, note: str = "") -> ReviewRound:
    current = lock_for_update(item)
    require(by.is_active and by.has_perm(rules.APPROVE_RETROSPECTIVELY), _("您没有补审权限。"))
    require_state(current.awaiting_retrospective_review, _("该内容不需要补审。"))
    round_ = ReviewRound.objects.filter(**ref(current), status=RoundStatus.URGENT, retrospective_at__isnull=True).order_by("-id").first()
    require_state(round_ is not None, _("找不到紧急发布记录。"))
    require(
        rules.exempt_from_two_person_rule(by) or (by.pk != round_.urgent_by_id and by.pk not in round_.authors),
        _("补审须由紧急发布人和作者以外的人完成。"),
    )
    now = timezone.now()
    ReviewRound.objects.filter(pk=round_.pk).update(retrospective_by=by, retrospective_at=now)
    update(current, awaiting_retrospective_review=False)
    audit(current, "editorial.approve_retrospectively", by=by, note=note)
    return round_
