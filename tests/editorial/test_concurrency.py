"""Two reviewers acting at once: the row lock lets exactly one approval through."""

import threading

import pytest
from django.db import connection, connections

from apps.core.errors import InvalidTransition, NotAllowed
from apps.editorial import actions
from apps.editorial.models import ReviewTask, Status, TaskStatus
from tests.conftest import missing
from tests.editorial.conftest import refresh

pytestmark = pytest.mark.django_db(transaction=True)


def run_at_once(*calls):
    """Start every call together; return each outcome ("ok" or the exception)."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait()
            call()
            outcomes[i] = "ok"
        except Exception as exc:  # the outcome is the point of the test
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        missing("row locks are tested on PostgreSQL (set DATABASE_URL)")


def test_concurrent_approval_lets_exactly_one_through(postgresql, pages, people):
    page = pages.in_review()
    outcomes = run_at_once(
        lambda: actions.approve(page, by=people.reviewer, note="A"),
        lambda: actions.approve(page, by=people.reviewer2, note="B"),
    )
    assert outcomes.count("ok") == 1, outcomes
    loser = next(o for o in outcomes if o != "ok")
    # Reading state under the lock, the loser found 复审 decided and the round at
    # 签发, which is not theirs to approve: refused, never a second approval.
    assert isinstance(loser, (InvalidTransition, NotAllowed)) and "签发" in str(loser)
    tasks = ReviewTask.objects.filter(round__object_id=str(page.pk)).order_by("position")
    assert [t.status for t in tasks] == [TaskStatus.APPROVED, TaskStatus.OPEN]
    assert tasks[1].name == "签发"


def test_concurrent_publish_publishes_once(postgresql, pages, people):
    from apps.core.models import AuditEntry

    page = pages.approved()
    outcomes = run_at_once(
        lambda: actions.publish(page, by=people.publisher2),
        lambda: actions.publish(page, by=people.superuser),
    )
    assert outcomes.count("ok") == 1, outcomes
    assert refresh(page).status == Status.PUBLISHED
    assert AuditEntry.objects.filter(object_id=str(page.pk), action="editorial.publish").count() == 1


def test_two_reviewers_of_the_same_group_on_the_same_step_approve_it_once(postgresql, pages, people):
    """Both steps belong to 审核: without the expected step the slower click would
    find 签发 open, pass the group check and approve it too."""
    from django.contrib.auth.models import Group

    from apps.core.models import AuditEntry
    from apps.editorial.chains import chain_for

    page = pages.draft()
    step = chain_for(page).steps.get(position=1)
    step.group = Group.objects.get(name="审核")
    step.save()
    actions.submit(page, by=people.editor)
    seen = ReviewTask.objects.get(round__object_id=str(page.pk), status=TaskStatus.OPEN)
    outcomes = run_at_once(
        lambda: actions.approve(page, by=people.reviewer, note="A", expected_task=seen.pk),
        lambda: actions.approve(page, by=people.reviewer2, note="B", expected_task=seen.pk),
    )
    assert outcomes.count("ok") == 1, outcomes
    loser = next(o for o in outcomes if o != "ok")
    assert isinstance(loser, actions.StaleStep) and "已由他人处理" in str(loser)
    tasks = ReviewTask.objects.filter(round__object_id=str(page.pk)).order_by("position")
    assert [t.status for t in tasks] == [TaskStatus.APPROVED, TaskStatus.OPEN]
    assert refresh(page).status == Status.IN_REVIEW
    assert AuditEntry.objects.filter(object_id=str(page.pk), action="editorial.approve").count() == 1
