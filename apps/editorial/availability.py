"""Which workflow buttons to show a user: the actions' own permission and state
checks, evaluated without acting. tests/editorial/test_availability.py runs
every action for every state and role and checks this agrees with the outcome."""

from .models import RoundStatus, Status, Visibility
from . import rules


def signs_off(round_, task, user) -> bool:
    """Whether this user's approval of ``task`` would also publish (签发)."""
    from .actions.steps import approval_signs_off

    return approval_signs_off(round_, task, user)


def available_actions(item, user, *, round_=None, task=None) -> set[str]:
    """Codes of the actions this user may take on this item now."""
    from .actions import last_round

    found = set()
    if not user.is_active:
        return found
    last = round_ if round_ is not None else last_round(item)
    editable = item.status in {
        Status.DRAFT, Status.CHANGES_REQUESTED, Status.APPROVED, Status.PUBLISHED,
        Status.WITHDRAWN, Status.UNPUBLISHED,
    }
    can_edit = rules.can_edit(user, item)
    locked_by_other = item.lock_is_active() and item.locked_by_id != user.pk
    if (
        can_edit and not locked_by_other
        and item.status in (Status.DRAFT, Status.CHANGES_REQUESTED) and item.latest_revision_id
    ):
        found.add("submit")
    if item.status == Status.IN_REVIEW and last is not None and last.status == RoundStatus.IN_PROGRESS:
        from .actions.steps import open_task_of, reviewer_problem

        task = task or open_task_of(last)
        if task and reviewer_problem(user, last, task) is None:
            found |= {"approve", "request_changes"}
    from .actions.steps import may_publish

    publisher_ok = may_publish(user, last)
    if item.status == Status.APPROVED and last is not None and last.status == RoundStatus.APPROVED and publisher_ok:
        found |= {"publish", "schedule"}
    if item.status == Status.SCHEDULED and user.has_perm(rules.PUBLISH):
        found.add("unschedule")
    if (
        user.has_perm(rules.URGENT_PUBLISH)
        and item.status in (Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED)  # skips a review
        and item.latest_revision_id
    ):
        from .actions import may_publish_urgently
        from .actions.steps import may_sign_off_now

        if may_publish_urgently(user, item) and not may_sign_off_now(user, item, round_=last, task=task):
            found.add("urgent_publish")
    if item.awaiting_retrospective_review and user.has_perm(rules.APPROVE_RETROSPECTIVELY):
        urgent = last if last is not None and last.status == RoundStatus.URGENT else None
        if urgent and (rules.exempt_from_two_person_rule(user) or (user.pk != urgent.urgent_by_id and user.pk not in urgent.authors)):
            found.add("approve_retrospectively")
    if user.has_perm(rules.WITHDRAW):
        if item.visibility == Visibility.LIVE:
            found.add("withdraw")
        if item.visibility in (Visibility.LIVE, Visibility.WITHDRAWN):
            found.add("unpublish")
    if (
        user.has_perm(rules.ARCHIVE)
        and item.visibility in (Visibility.NONE, Visibility.GONE)
        and item.status not in (Status.IN_REVIEW, Status.SCHEDULED, Status.ARCHIVED)
    ):
        found.add("archive")
    if can_edit and not locked_by_other:
        found.add("lock")
        if editable:
            found.add("edit")  # not an action: the change form's save button
    if item.locked_by_id and (item.locked_by_id == user.pk or user.has_perm(rules.BREAK_LOCK)):
        found.add("unlock")
    return found
