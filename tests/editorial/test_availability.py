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
from apps.editorial.models import Revision
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
    # Editing is not a workflow button but the change form's save; revert is
    # offered where editing is (the history's "恢复" link).
    "edit": lambda item, user: actions.save_draft(item, by=user, fields={"title": "另一位的修改"}),
    "revert": lambda item, user: actions.revert(item, by=user, revision=first_revision(item)),
}


def first_revision(item):
    return Revision.objects.filter(**Revision.ref_filter(item)).order_by("number").first()


# What available_actions() calls each code.
SHOWN_AS = {"revert": "edit"}


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
    archived = pages.draft()
    actions.archive(archived, by=people.publisher)
    return {
        "draft": pages.draft(), "in_review": pages.in_review(), "second_step": second_step,
        "changes_requested": changes, "approved": pages.approved(), "scheduled": scheduled,
        "published": pages.published(), "edited_live": edited_live, "urgent": urgent,
        "withdrawn": withdrawn, "gone": gone, "locked": locked, "archived": archived,
    }


def test_available_actions_match_what_the_actions_allow(pages, people):
    items = states(pages, people)
    users = [people.editor, people.editor2, people.reviewer, people.publisher, people.publisher2, people.outsider, people.superuser]
    mismatches = []
    for state, item in items.items():
        for user in users:
            shown = available_actions(refresh(item), user)
            for code in ACTIONS:
                allowed = attempt(code, item, user)
                if allowed != (SHOWN_AS.get(code, code) in shown):
                    mismatches.append(f"{state}/{user.username}/{code}: action {'allows' if allowed else 'refuses'}, UI {'shows' if code in shown else 'hides'}")
    assert mismatches == []


# The rules as a table: for each state, what each role may do. Reading down a
# column shows a role's powers; a change here is a change of policy.
EXPECTED = {
    #                    editor (author)            editor2 (another editor)          reviewer                   publisher (签发 group)                       publisher2                                    agentsuperuser
    "draft":             ["edit,lock,revert,submit", "edit,lock,revert,submit",        "",                        "archive,urgent_publish",                  "archive,urgent_publish",                     "", "archive,edit,lock,revert,submit,urgent_publish"],
    "in_review":         ["lock",                    "lock",                           "approve,request_changes", "urgent_publish",                          "urgent_publish",                             "", "approve,lock,request_changes,urgent_publish"],
    "second_step":       ["lock",                    "lock",                           "",                        "approve,request_changes",                 "approve,request_changes",                    "", "approve,lock,request_changes"],
    "changes_requested": ["edit,lock,revert,submit", "edit,lock,revert,submit",        "",                        "archive,urgent_publish",                  "archive,urgent_publish",                     "", "archive,edit,lock,revert,submit,urgent_publish"],
    "approved":          ["edit,lock,revert",        "edit,lock,revert",               "",                        "archive,publish,schedule",                "archive,publish,schedule",                   "", "archive,edit,lock,publish,revert,schedule"],
    "scheduled":         ["lock",                    "lock",                           "",                        "unschedule",                              "unschedule",                                 "", "lock,unschedule"],
    "published":         ["edit,lock,revert",        "edit,lock,revert",               "",                        "unpublish,withdraw",                      "unpublish,withdraw",                         "", "edit,lock,revert,unpublish,withdraw"],
    "edited_live":       ["edit,lock,revert,submit", "edit,lock,revert,submit",        "",                        "unpublish,urgent_publish,withdraw",       "unpublish,urgent_publish,withdraw",          "", "edit,lock,revert,submit,unpublish,urgent_publish,withdraw"],
    "urgent":            ["edit,lock,revert",        "edit,lock,revert",               "approve_retrospectively", "unpublish,withdraw",                      "approve_retrospectively,unpublish,withdraw", "", "approve_retrospectively,edit,lock,revert,unpublish,withdraw"],
    "withdrawn":         ["edit,lock,revert",        "edit,lock,revert",               "",                        "unpublish",                               "unpublish",                                  "", "edit,lock,revert,unpublish"],
    "gone":              ["edit,lock,revert",        "edit,lock,revert",               "",                        "archive",                                 "archive",                                    "", "archive,edit,lock,revert"],
    "locked":            ["",                        "edit,lock,revert,submit,unlock", "",                        "archive,unlock,urgent_publish",           "archive,unlock,urgent_publish",              "", "archive,unlock,urgent_publish"],
    "archived":          ["lock",                    "lock",                           "",                        "",                                        "",                                           "", "lock"],
}


def test_every_state_action_and_role_is_allowed_or_refused_as_specified(pages, people):
    """In "edited_live" editor2 wrote the new draft; in "urgent" publisher published
    urgently; in "locked" editor2 holds the edit lock."""
    items = states(pages, people)
    users = [people.editor, people.editor2, people.reviewer, people.publisher, people.publisher2, people.outsider, people.superuser]
    actual = {
        state: [",".join(sorted(code for code in ACTIONS if attempt(code, item, user))) for user in users]
        for state, item in items.items()
    }
    assert actual == EXPECTED
