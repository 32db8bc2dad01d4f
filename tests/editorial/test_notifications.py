"""Workflow mail: queued only after commit (never from a rolled-back action), to the
right people, with Chinese subjects, and users can opt out per kind."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from apps.editorial import actions
from apps.editorial.models import EmailOptOut


def submit(pages, people):
    page = pages.draft()
    return lambda: actions.submit(page, by=people.editor)


def approve_step(pages, people):
    page = pages.in_review()
    return lambda: actions.approve(page, by=people.reviewer)


def approve_last(pages, people):
    page = pages.in_review()
    actions.approve(page, by=people.reviewer)
    return lambda: actions.approve(page, by=people.publisher, publish=False)


def request_changes(pages, people):
    page = pages.in_review()
    return lambda: actions.request_changes(page, by=people.reviewer, note="请核实")


def publish(pages, people):
    page = pages.approved()
    return lambda: actions.publish(page, by=people.publisher2)


def urgent_publish(pages, people):
    page = pages.in_review()
    return lambda: actions.urgent_publish(page, by=people.publisher, reason="突发")


def _due(pages, people, *, lose_permission=False):
    page = pages.approved()
    at = timezone.now() + timedelta(hours=1)
    actions.schedule(page, by=people.publisher2, go_live_at=at)
    if lose_permission:
        people.publisher2.groups.clear()

    def run():
        with time_machine.travel(at + timedelta(minutes=1), tick=False):
            actions.publish_due()

    return run


def scheduled_publish(pages, people):
    return _due(pages, people)


def scheduled_publish_failed(pages, people):
    return _due(pages, people, lose_permission=True)


CASES = [
    # setup, kind, recipients
    (submit, "review_requested", ["reviewer", "reviewer2"]),
    (approve_step, "review_requested", ["publisher", "publisher2"]),
    (approve_last, "approved", ["editor"]),
    (request_changes, "changes_requested", ["editor"]),
    (publish, "published", ["editor"]),
    (urgent_publish, "published", ["editor"]),
    (scheduled_publish, "published", ["editor"]),
    (scheduled_publish_failed, "schedule_failed", ["editor", "publisher2"]),
]
IDS = [c[0].__name__ for c in CASES]


class _Rollback(Exception):
    pass


@pytest.mark.parametrize("setup, kind, recipients", CASES, ids=IDS)
def test_notifications_are_queued_only_after_commit(
    pages, people, django_capture_on_commit_callbacks, mailoutbox, broker_queue, setup, kind, recipients
):
    call = setup(pages, people)
    broker_queue.drain()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call()
    assert broker_queue.drain() == []  # nothing reaches the broker inside the transaction
    assert callbacks
    for callback in callbacks:
        callback()
    queued = broker_queue.drain()
    notifications = [args for name, args, _kw in queued if name == "editorial.send_notification"]
    assert [args[0] for args in notifications] == [kind]
    from parkportal.celery import app

    app.tasks["editorial.send_notification"].apply(args=notifications[0]).get()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(f"{u}@example.gov.cn" for u in recipients)


@pytest.mark.parametrize("setup, kind, recipients", CASES, ids=IDS)
def test_a_rolled_back_action_queues_nothing(
    pages, people, django_capture_on_commit_callbacks, broker_queue, setup, kind, recipients
):
    call = setup(pages, people)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(_Rollback), transaction.atomic():
            call()
            raise _Rollback
    assert callbacks == []
    assert broker_queue.drain() == []


def _mails(django_capture_on_commit_callbacks, broker_queue, call):
    with django_capture_on_commit_callbacks(execute=True):
        call()
    broker_queue.run(only="editorial.send_notification")


def test_approved_mail_goes_to_the_authors_in_chinese(
    pages, people, django_capture_on_commit_callbacks, mailoutbox, broker_queue
):
    page = pages.draft(title="高新区人才政策解读")
    actions.save_draft(page, by=people.editor2, fields={"body": "<p>补充了十百千计划。</p>"})  # a co-author
    actions.submit(page, by=people.editor)
    actions.approve(page, by=people.reviewer)
    mailoutbox.clear()
    _mails(django_capture_on_commit_callbacks, broker_queue,
           lambda: actions.approve(page, by=people.publisher, note="可以发布", publish=False))
    assert sorted(m.to[0] for m in mailoutbox) == ["editor2@example.gov.cn", "editor@example.gov.cn"]
    mail = mailoutbox[0]
    assert mail.subject == "【审核通过】高新区人才政策解读"
    assert "《高新区人才政策解读》已通过全部审核" in mail.body
    assert f"签发人：{people.publisher}" in mail.body and "签发意见：可以发布" in mail.body


def test_published_mail_goes_to_the_authors_with_the_public_link(
    pages, people, django_capture_on_commit_callbacks, mailoutbox, broker_queue
):
    page = pages.approved(title="园区概况", slug="overview-mail")
    mailoutbox.clear()
    _mails(django_capture_on_commit_callbacks, broker_queue, lambda: actions.publish(page, by=people.publisher2))
    assert [m.to[0] for m in mailoutbox] == ["editor@example.gov.cn"]
    mail = mailoutbox[0]
    assert mail.subject == "【已发布】园区概况"
    assert f"已由 {people.publisher2} 发布" in mail.body and "/pages/overview-mail/" in mail.body
    assert "紧急发布" not in mail.body


def test_urgent_published_mail_gives_the_reason(
    pages, people, django_capture_on_commit_callbacks, mailoutbox, broker_queue
):
    page = pages.draft(title="停水通知")
    _mails(django_capture_on_commit_callbacks, broker_queue,
           lambda: actions.urgent_publish(page, by=people.publisher, reason="突发管道抢修"))
    assert [m.to[0] for m in mailoutbox] == ["editor@example.gov.cn"]
    assert mailoutbox[0].subject == "【已发布】停水通知"
    assert "紧急发布，发布理由：突发管道抢修" in mailoutbox[0].body


@pytest.mark.parametrize("kind", ["approved", "published"])
def test_users_can_opt_out_of_approved_and_published_mail(
    pages, people, django_capture_on_commit_callbacks, mailoutbox, broker_queue, kind
):
    EmailOptOut.objects.create(user=people.editor2, kind=kind)
    page = pages.draft()
    actions.save_draft(page, by=people.editor2, fields={"title": "两人合写"})
    actions.submit(page, by=people.editor)
    actions.approve(page, by=people.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve(page, by=people.publisher, publish=False)
        actions.publish(page, by=people.publisher2)
    broker_queue.run(only="editorial.send_notification")
    label = {"approved": "【审核通过】", "published": "【已发布】"}
    received = {(label_of, m.to[0]) for m in mailoutbox for label_of in label if m.subject.startswith(label[label_of])}
    other = {"approved": "published", "published": "approved"}[kind]
    assert (kind, "editor2@example.gov.cn") not in received
    assert (kind, "editor@example.gov.cn") in received
    assert (other, "editor2@example.gov.cn") in received
