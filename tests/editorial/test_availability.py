"""The buttons the admin shows agree with what the actions allow.

For items in every state and every role, each action is attempted for real inside
a rolled-back transaction; refused with NotAllowed/InvalidTransition means
"not available", anything else (success, or a request for more input) means
"available". available_actions() must say the same.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.core.errors import InvalidTransition, NotAllowed
from apps.editorial import actions
from apps.editorial.availability import available_actions
from tests.editorial.conftest import refresh

ACTIONS = {
    "submit": lambda item, user: actions.submit(item, by=user),
    "approve": lambda item, user: actions.approve(item, by=user),
    "request_changes": lambda item, user: actions.request_changes(item, by=user, note="请修改"),
    "publish": lambda item, user: actions.publish(item, by=user, major=False),
    "schedule": lambda item, user: actions.schedule(item, by=user, go_live_at=timezone.now() + timedelta(days=1), major=False),
    "unschedule": lambda item, user: actions.unschedule(item, by=user),
    "urgent_publish": lambda item, user: actions.urgent_publish(item, by=user, reason="紧急", major=False),
    "approve_retrospectively": lambda item, user: actions.approve_retrospectively(item, by=user),
    "withdraw": lambda item, user: actions.withdraw(item, by=user, note="说明"),
    "unpublish": lambda item, user: actions.unpublish(item, by=user),
    "archive": lambda item, user: actions.archive(item, by=user),
    "lock": lambda item, user: actions.lock(item, by=user),
    "unlock": lambda item, user: actions.unlock(item, by=user),
}


def attempt(code, item, user) -> bool:
    try:
        with transaction.atomic():
            ACTIONS[code](refresh(item), user)
            raise _Rollback
    except _Rollback:
        return True
    except ValidationError:
        return True
    except (NotAllowed, InvalidTransition):
        return False


class _Rollback(Exception):
    pass


def states(pages, people):
    scheduled = pages.approved()
    actions.schedule(scheduled, by=people.publisher2, go_live_at=timezone.now() + timedelta(hours=1))
    urgent = pages.draft()
    actions.urgent_publish(urgent, by=people.publisher, reason="突发")
    withdrawn = pages.published()
    actions.withdraw(withdrawn, by=people.publisher, note="撤回")
    gone = pages.published()
    actions.unpublish(gone, by=people.publisher)
    changes = pages.in_review()
    actions.request_changes(changes, by=people.reviewer, note="改")
    edited_live = pages.published()
    actions.save_draft(edited_live, by=people.editor2, fields={"title": "改过"})
    locked = pages.draft()
    actions.lock(locked, by=people.editor2)
    second_step = pages.in_review()
    actions.approve(second_step, by=people.reviewer)
    return {
        "draft": pages.draft(), "in_review": pages.in_review(), "second_step": second_step,
        "changes_requested": changes, "approved": pages.approved(), "scheduled": scheduled,
        "published": pages.published(), "edited_live": edited_live, "urgent": urgent,
        "withdrawn": withdrawn, "gone": gone, "locked": locked,
    }


def test_available_actions_match_what_the_actions_allow(pages, people):
    items = states(pages, people)
    users = [people.editor, people.editor2, people.reviewer, people.publisher, people.publisher2, people.outsider, people.superuser]
    mismatches = []
    for state, item in items.items():
        for user in users:
            shown = available_actions(refresh(item), user) - {"edit"}
            for code in ACTIONS:
                allowed = attempt(code, item, user)
                if allowed != (code in shown):
                    mismatches.append(f"{state}/{user.username}/{code}: action {'allows' if allowed else 'refuses'}, UI {'shows' if code in shown else 'hides'}")
    assert mismatches == []
