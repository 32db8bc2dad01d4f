"""Who may decide a review step, and when approving the last one publishes (签发).
Read by the review and publishing actions and by the buttons (``availability``),
so that what is offered and what is allowed are one rule."""

from django.utils.translation import gettext as _

from .. import rules
from ..models import RoundStatus, Status, TaskStatus
from .base import last_round


def reviewer_problem(by, round_, task) -> str | None:
    """Why ``by`` may not decide ``task`` of ``round_``, or ``None`` if they may."""
    if not rules.can_act_on_task(by, task):
        return _("“%(step)s”步骤应由“%(group)s”处理，您不能审核该步骤。") % {"step": task.name, "group": task.group.name}
    if not rules.passes_two_person_rule(by, round_):
        return _("双人审核规则：您编辑或提交了该版本，不能审核自己的稿件。")
    if round_.distinct_reviewers:
        earlier = round_.tasks.filter(status=TaskStatus.APPROVED, decided_by=by).exclude(pk=task.pk).first()
        if earlier is not None:
            return (
                _("三审须由不同的人完成：您已在本轮审核中通过了“%(done)s”，“%(step)s”须由其他人审核。")
                % {"done": earlier.name, "step": task.name}
            )
    return None


def may_publish(by, round_) -> bool:
    """Whether ``by`` may publish what ``round_`` approved (``None``: no round yet):
    the publish permission and the two-person rule (``publishing.require_publisher``
    is this rule with its refusals)."""
    return by.is_active and by.has_perm(rules.PUBLISH) and (round_ is None or rules.passes_two_person_rule(by, round_))


def may_sign_off(by, round_) -> bool:
    """Whether approving the last step of ``round_`` may also publish it (签发):
    the approver could press 发布 afterwards."""
    return may_publish(by, round_)


def approval_signs_off(round_, task, by) -> bool:
    """Whether ``by``'s approval of ``task`` would also publish (签发): the last
    step of a chain whose last approval publishes, by someone who may publish."""
    return bool(
        round_ is not None and task is not None and round_.last_approval_publishes
        and task.position == len(round_.steps) - 1 and may_sign_off(by, round_)
    )


def open_task_of(round_):
    return round_.tasks.filter(status=TaskStatus.OPEN).select_related("group").first()


def may_sign_off_now(by, current, *, round_=None, task=None) -> bool:
    """Whether ``by`` may approve the open last step of ``current``'s review and so
    publish it: an urgent publication would then skip nothing but that click."""
    if current.status != Status.IN_REVIEW:
        return False
    round_ = round_ if round_ is not None else last_round(current)
    if round_ is None or round_.status != RoundStatus.IN_PROGRESS:
        return False
    task = task if task is not None else open_task_of(round_)
    return approval_signs_off(round_, task, by) and reviewer_problem(by, round_, task) is None
