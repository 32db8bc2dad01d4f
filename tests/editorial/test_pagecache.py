"""The page cache hears of every change the public can see, from the engine:
the content generation is bumped after commit (never before, never for a
refused or rolled-back action), and the next scheduled change is announced."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from apps.core import pagecache
from apps.core.errors import NotAllowed
from apps.editorial import actions
from apps.editorial.batches import create_batch
from apps.editorial.public import next_scheduled_change
from apps.editorial.signals import content_unpublished
from tests.editorial.conftest import refresh


def publish(pages, people):
    page = pages.approved()
    return lambda: actions.publish(page, by=people.publisher2)


def urgent_publish(pages, people):
    page = pages.in_review()
    return lambda: actions.urgent_publish(page, by=people.publisher, reason="突发")


def scheduled_publish(pages, people):
    page = pages.approved()
    at = timezone.now() + timedelta(hours=1)
    actions.schedule(page, by=people.publisher2, go_live_at=at)

    def run():
        with time_machine.travel(at + timedelta(minutes=1), tick=False):
            assert actions.publish_due()["published"]

    return run


def expiry(pages, people):
    page = pages.approved()
    at = timezone.now() + timedelta(hours=1)
    actions.schedule(page, by=people.publisher2, go_live_at=at, expire_at=at + timedelta(days=1))
    with time_machine.travel(at + timedelta(minutes=1), tick=False):
        actions.publish_due()

    def run():
        with time_machine.travel(at + timedelta(days=1, minutes=1), tick=False):
            assert actions.publish_due()["expired"]

    return run


def withdraw(pages, people):
    page = pages.published()
    return lambda: actions.withdraw(page, by=people.publisher, note="政策已废止")


def unpublish(pages, people):
    page = pages.published()
    return lambda: actions.unpublish(page, by=people.publisher, note="过时")


def archive(pages, people):
    page = pages.published()
    actions.unpublish(page, by=people.publisher)
    return lambda: actions.archive(page, by=people.publisher)


def batch_publish(pages, people):
    items = [refresh(pages.draft(title=f"导入页面{i}", slug=f"import-{i}")) for i in range(3)]
    batch = create_batch(title="批次", items=[(i, i.latest_revision) for i in items], by=people.editor)
    actions.submit(batch, by=people.editor)
    actions.approve(batch, by=people.reviewer)
    actions.approve(batch, by=people.publisher, publish=False)
    return lambda: actions.publish(batch, by=people.publisher2)


CASES = [publish, urgent_publish, scheduled_publish, expiry, withdraw, unpublish, archive, batch_publish]


@pytest.mark.parametrize("setup", CASES, ids=[c.__name__ for c in CASES])
def test_the_generation_is_bumped_again_after_commit(pages, people, django_capture_on_commit_callbacks, setup):
    # The page cache bumps at once (nothing cached before the change is served after it)
    # and again after commit (a page rendered from the uncommitted state is dropped too).
    call = setup(pages, people)
    before = pagecache.generation()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call()
        during = pagecache.generation()
    assert during != before
    assert pagecache.generation() == during  # committed, callbacks not yet run
    for callback in callbacks:
        callback()
    assert pagecache.generation() not in (before, during)


def test_a_batch_publication_bumps_once_however_many_members(pages, people, django_capture_on_commit_callbacks):
    call = batch_publish(pages, people)
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.content_changed()  # the generation exists: each later bump adds one
    before = pagecache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        call()
    assert pagecache.generation() == before + 2  # once at once, once after commit: not per member


@pytest.mark.parametrize("setup", CASES, ids=[c.__name__ for c in CASES])
def test_a_rolled_back_action_bumps_nothing(pages, people, django_capture_on_commit_callbacks, setup):
    call = setup(pages, people)
    during = None
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            call()
            during = pagecache.generation()
            1 / 0
    assert callbacks == [] or pagecache.generation() == during  # no bump after the rollback
    assert pagecache.generation() == during


def test_a_refused_action_bumps_nothing(pages, people, django_capture_on_commit_callbacks):
    page = pages.approved()
    live = pages.published()
    before = pagecache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(NotAllowed):
            actions.publish(page, by=people.editor)  # the author may not publish
        with pytest.raises(NotAllowed):
            actions.unpublish(live, by=people.editor)
    assert pagecache.generation() == before


def test_drafts_and_review_of_a_live_item_do_not_bump(pages, people, django_capture_on_commit_callbacks):
    page = pages.published()
    before = pagecache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        actions.save_draft(page, by=people.editor, fields={"title": "新标题"})
        actions.submit(page, by=people.editor)
    assert pagecache.generation() == before  # the public still sees the published version


def test_expiry_sends_content_unpublished(pages, people, django_capture_on_commit_callbacks):
    run = expiry(pages, people)
    received = []

    def receiver(sender, item, **kwargs):
        received.append(item.pk)

    content_unpublished.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run()
    finally:
        content_unpublished.disconnect(receiver)
    assert len(received) == 1


def test_next_change_is_the_earliest_future_go_live_or_expiry(pages, people):
    now = timezone.now()
    assert next_scheduled_change(now) is None
    later = pages.approved()
    actions.schedule(later, by=people.publisher2, go_live_at=now + timedelta(hours=5))
    sooner = pages.approved()
    actions.schedule(sooner, by=people.publisher2, go_live_at=now + timedelta(hours=2),
                     expire_at=now + timedelta(hours=3))
    assert next_scheduled_change(now) == now + timedelta(hours=2)
    assert pagecache.next_change(now) == now + timedelta(hours=2)  # registered by EditorialConfig.ready

    with time_machine.travel(now + timedelta(hours=2, minutes=1), tick=False):
        actions.publish_due()
    # sooner is live now: its expiry (3 h) comes before later's go-live (5 h).
    assert next_scheduled_change(now + timedelta(hours=2, minutes=1)) == now + timedelta(hours=3)
    assert next_scheduled_change(now + timedelta(hours=4)) == now + timedelta(hours=5)
    assert next_scheduled_change(now + timedelta(hours=6)) is None
