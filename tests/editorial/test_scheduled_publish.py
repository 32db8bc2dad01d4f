"""publish_due survives any failure of one item: it is recorded on the item, audited
and mailed like a refused publish, and the other due items are still published."""

import logging
from datetime import timedelta

import time_machine
from django.utils import timezone

from apps.core.models import AuditEntry
from apps.editorial import actions
from apps.editorial.models import Status, Visibility
from tests.editorial.conftest import refresh


def republish_ready(page, people, **fields):
    """A published page with an approved new version."""
    actions.save_draft(page, by=people.editor, fields=fields)
    actions.submit(page, by=people.editor)
    actions.approve(page, by=people.reviewer)
    actions.approve(page, by=people.publisher, publish=False)
    return refresh(page)


def test_an_unexpected_error_fails_one_item_and_the_run_goes_on(
    pages, people, django_capture_on_commit_callbacks, mailoutbox, broker_queue, caplog
):
    go_live = timezone.now() + timedelta(hours=1)
    # The new version of "broken" takes a slug that another page claims meanwhile:
    # writing it at go-live time violates the unique constraint (IntegrityError).
    broken = republish_ready(pages.published(slug="old-slug", title="改址页面"), people, slug="new-slug")
    actions.schedule(broken, by=people.publisher2, go_live_at=go_live, major=False)
    pages.draft(slug="new-slug")
    fine = pages.approved(title="按时发布的页面")
    actions.schedule(fine, by=people.publisher2, go_live_at=go_live)
    assert broken.pk < fine.pk  # the failing item comes first in the run

    with (
        time_machine.travel(go_live + timedelta(minutes=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
        caplog.at_level(logging.ERROR, logger="apps.editorial.actions"),
    ):
        outcome = actions.publish_due()
    broker_queue.run(only="editorial.send_notification")

    assert outcome["failed"] == [("pages.Page", broken.pk)]
    assert outcome["published"] == [("pages.Page", fine.pk)]
    row = refresh(broken)
    assert row.status == Status.APPROVED and row.slug == "old-slug"  # the public version is untouched
    # Staff see (and are mailed) a Chinese message; the database's own words go to the log only.
    assert "意外错误" in row.schedule_error and "IntegrityError" not in row.schedule_error
    failed = AuditEntry.objects.get(object_id=str(broken.pk), action="editorial.scheduled_publish_failed")
    assert failed.actor == people.publisher2 and (failed.from_state, failed.to_state) == ("scheduled", "approved")
    assert not AuditEntry.objects.filter(object_id=str(broken.pk), action="editorial.publish", data__scheduled=True).exists()
    assert any(r.exc_info and r.exc_info[0].__name__ == "IntegrityError" for r in caplog.records)
    assert refresh(fine).visibility == Visibility.LIVE
    failure_mails = [m for m in mailoutbox if m.subject.startswith("【定时发布失败】")]
    assert sorted(m.to[0] for m in failure_mails) == ["editor@example.gov.cn", "publisher2@example.gov.cn"]
    assert "意外错误" in failure_mails[0].body and "IntegrityError" not in failure_mails[0].body
    assert "UNIQUE" not in row.schedule_error.upper() and "constraint" not in failure_mails[0].body
    # Published mails for the page that went live only: the failed attempt's were dropped.
    assert {m.subject for m in mailoutbox if m.subject.startswith("【已发布】")} == {"【已发布】按时发布的页面"}

    # Recorded once: the next minute's run does not try again.
    with time_machine.travel(go_live + timedelta(minutes=2), tick=False):
        assert actions.publish_due() == {"published": [], "failed": [], "expired": []}
    assert AuditEntry.objects.filter(object_id=str(broken.pk), action="editorial.scheduled_publish_failed").count() == 1
