"""Every transition: allowed and refused (state, role) pairs, the two-person rule,
urgent publish, scheduling, withdraw/unpublish, audit rows and queued notifications."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.core.errors import InvalidTransition, NotAllowed
from apps.core.models import AuditEntry
from apps.editorial import actions
from apps.editorial.models import (
    ChangeNote, ReviewRound, ReviewTask, RoundStatus, Sensitivity, Status, TaskStatus, Visibility,
)
from tests.editorial.conftest import refresh


def audit_actions(item):
    return list(AuditEntry.objects.filter(object_id=str(item.pk)).order_by("id").values_list("action", flat=True))


# --- Chains ---------------------------------------------------------------------------

def test_normal_items_go_through_review_then_sign_off(pages, people):
    page = pages.in_review()
    round_ = ReviewRound.objects.get(object_id=str(page.pk))
    assert [s["name"] for s in round_.steps] == ["复审", "签发"]
    assert ReviewTask.objects.get(round=round_).name == "复审"


@pytest.mark.parametrize("tier", [Sensitivity.IMPORTANT, Sensitivity.SENSITIVE])
def test_important_and_sensitive_items_get_three_reviews(pages, people, tier):
    page = pages.in_review(sensitivity=tier)
    round_ = ReviewRound.objects.get(object_id=str(page.pk))
    assert [s["name"] for s in round_.steps] == ["初审", "复审", "终审（签发）"]
    actions.approve(page, by=people.editor2)      # 初审 by another editor
    actions.approve(page, by=people.reviewer)     # 复审
    actions.approve(page, by=people.publisher, publish=False)    # 终审
    assert refresh(page).status == Status.APPROVED


def test_step_due_time_counts_working_days(pages, people):
    with time_machine.travel(timezone.datetime(2025, 9, 30, 10, 0, tzinfo=timezone.get_current_timezone()), tick=False):
        page = pages.in_review()
    task = ReviewTask.objects.get(round__object_id=str(page.pk))
    # 复审 has 2 working days; 1-8 October 2025 is the National Day holiday.
    due = timezone.localtime(task.due_at)
    assert (due.year, due.month, due.day, due.hour) == (2025, 10, 10, 10)


# --- Allowed and refused (state, action, role) ---------------------------------------

def test_only_drafts_and_changes_requested_can_be_submitted(pages, people):
    for state in ("in_review", "approved", "published"):
        page = getattr(pages, state)()
        with pytest.raises(InvalidTransition):
            actions.submit(page, by=people.editor)


def test_reviewer_outside_the_step_group_cannot_approve(pages, people):
    page = pages.in_review()
    for user in (people.publisher, people.editor2, people.outsider):
        with pytest.raises(NotAllowed):
            actions.approve(page, by=user)  # 复审 belongs to 审核
    actions.approve(page, by=people.reviewer)
    with pytest.raises(NotAllowed):
        actions.approve(page, by=people.reviewer2)  # 签发 belongs to 签发


def test_approve_outside_review_is_a_state_error(pages, people):
    page = pages.draft()
    with pytest.raises(InvalidTransition):
        actions.approve(page, by=people.reviewer)


def test_named_person_on_a_step_is_the_only_one_who_may_act(pages, people):
    from apps.editorial.chains import chain_for

    page = pages.draft()
    step = chain_for(page).steps.get(position=0)
    step.user = people.reviewer2
    step.save()
    actions.submit(page, by=people.editor)
    with pytest.raises(NotAllowed):
        actions.approve(page, by=people.reviewer)
    actions.approve(page, by=people.reviewer2)


def test_publish_needs_approval_and_the_publish_permission(pages, people):
    draft = pages.draft()
    with pytest.raises(InvalidTransition):
        actions.publish(draft, by=people.publisher2)
    approved = pages.approved()
    for user in (people.reviewer, people.editor2):
        with pytest.raises(NotAllowed):
            actions.publish(approved, by=user)
    actions.publish(approved, by=people.publisher2)
    assert refresh(approved).visibility == Visibility.LIVE


# --- Two-person rule ------------------------------------------------------------------

def test_submitter_cannot_approve_own_submission(pages, people):
    page = pages.draft()
    # The editor also belongs to 审核 for this test: group membership is not enough.
    from django.contrib.auth.models import Group

    people.editor.groups.add(Group.objects.get(name="审核"))
    actions.submit(page, by=people.editor)
    with pytest.raises(NotAllowed, match="双人审核"):
        actions.approve(page, by=people.editor)


def test_a_co_author_cannot_approve(pages, people):
    from django.contrib.auth.models import Group

    page = pages.draft()
    people.reviewer.groups.add(Group.objects.get(name="编辑"))
    actions.save_draft(page, by=people.reviewer, fields={"title": "审核人也改了一处"})
    actions.submit(page, by=people.editor)
    with pytest.raises(NotAllowed, match="双人审核"):
        actions.approve(page, by=people.reviewer)


def test_author_cannot_publish_own_work(pages, people):
    from django.contrib.auth.models import Group

    people.publisher.groups.add(Group.objects.get(name="编辑"))
    page = pages.draft(by=people.publisher)
    actions.submit(page, by=people.publisher)
    actions.approve(page, by=people.reviewer)
    actions.approve(page, by=people.publisher2, publish=False)
    with pytest.raises(NotAllowed, match="作者不能发布"):
        actions.publish(page, by=people.publisher)


def test_superusers_obey_the_two_person_rule_by_default(pages, people, settings):
    page = pages.draft(by=people.superuser)
    actions.submit(page, by=people.superuser)
    with pytest.raises(NotAllowed):
        actions.approve(page, by=people.superuser, publish=False)
    settings.PARKPORTAL_EDITORIAL_SUPERUSER_EXEMPT = True
    actions.approve(page, by=people.superuser, publish=False)


# --- Request changes ------------------------------------------------------------------

def test_request_changes_needs_a_comment(pages, people):
    page = pages.in_review()
    with pytest.raises(ValidationError):
        actions.request_changes(page, by=people.reviewer, note="  ")
    assert refresh(page).status == Status.IN_REVIEW


def test_request_changes_notifies_submitter_and_earlier_approvers(
    pages, people, django_capture_on_commit_callbacks, mailoutbox, broker_queue
):
    page = pages.in_review(sensitivity=Sensitivity.IMPORTANT)
    actions.approve(page, by=people.editor2)
    actions.approve(page, by=people.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_changes(page, by=people.publisher, note="第二段的数据需要核实来源。")
    broker_queue.run(only="editorial.send_notification")
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == ["editor2@example.gov.cn", "editor@example.gov.cn", "reviewer@example.gov.cn"]
    assert all("第二段的数据需要核实来源。" in m.body for m in mailoutbox)
    assert mailoutbox[0].subject.startswith("【退回修改】")


def test_resubmission_resumes_at_the_step_that_asked_for_changes(pages, people):
    page = pages.in_review(sensitivity=Sensitivity.IMPORTANT)
    actions.approve(page, by=people.editor2)
    actions.request_changes(page, by=people.reviewer, note="请补充政策依据。")
    actions.save_draft(page, by=people.editor, fields={"body": "<p>已补充依据。</p>"})
    assert refresh(page).status == Status.CHANGES_REQUESTED
    round_ = actions.submit(page, by=people.editor)
    assert round_.current_step == 1
    assert ReviewTask.objects.get(round=round_, status=TaskStatus.OPEN).name == "复审"


def test_a_setting_restarts_resubmission_from_the_first_step(pages, people, settings):
    settings.PARKPORTAL_EDITORIAL_RESTART_FROM_FIRST_STEP = True
    page = pages.in_review(sensitivity=Sensitivity.IMPORTANT)
    actions.approve(page, by=people.editor2)
    actions.request_changes(page, by=people.reviewer, note="请补充。")
    assert actions.submit(page, by=people.editor).current_step == 0


# --- Publishing, public history -------------------------------------------------------

def test_first_publication_sets_both_public_dates_and_a_history_entry(pages, people):
    page = pages.published()
    assert page.first_published_at and page.public_updated_at == page.first_published_at
    assert ChangeNote.objects.get(object_id=str(page.pk)).note == "首次发布"


def test_republishing_asks_major_or_minor(pages, people):
    page = pages.published()
    actions.save_draft(page, by=people.editor, fields={"title": "修订"})
    actions.submit(page, by=people.editor)
    actions.approve(page, by=people.reviewer)
    actions.approve(page, by=people.publisher, publish=False)
    with pytest.raises(ValidationError, match="重大更新还是一般更新"):
        actions.publish(page, by=people.publisher2)
    with pytest.raises(ValidationError, match="更新说明"):
        actions.publish(page, by=people.publisher2, major=True, change_note="")
    assert refresh(page).status == Status.APPROVED  # nothing half-done


def test_major_change_moves_the_public_update_time_and_minor_does_not(pages, people):
    page = pages.published()
    first = refresh(page).public_updated_at

    def new_version(major, note=""):
        actions.save_draft(page, by=people.editor, fields={"body": f"<p>{timezone.now()}</p>"})
        actions.submit(page, by=people.editor)
        actions.approve(page, by=people.reviewer)
        actions.approve(page, by=people.publisher, publish=False)
        actions.publish(page, by=people.publisher2, major=major, change_note=note)

    new_version(False)
    assert refresh(page).public_updated_at == first
    new_version(True, "更新了联系电话。")
    assert refresh(page).public_updated_at > first
    notes = list(ChangeNote.objects.filter(object_id=str(page.pk)).values_list("note", flat=True))
    assert notes == ["更新了联系电话。", "首次发布"]


# --- Urgent publish ------------------------------------------------------------------------

def test_urgent_publish_needs_a_reason_and_flags_the_item(pages, people):
    page = pages.in_review()
    with pytest.raises(ValidationError):
        actions.urgent_publish(page, by=people.publisher, reason="")
    actions.urgent_publish(page, by=people.publisher, reason="突发停水通知，须立即发布。")
    row = refresh(page)
    assert row.visibility == Visibility.LIVE and row.awaiting_retrospective_review
    round_ = ReviewRound.objects.get(object_id=str(page.pk))
    assert round_.status == RoundStatus.URGENT
    assert set(round_.tasks.values_list("status", flat=True)) == {TaskStatus.SKIPPED}


def test_only_publishers_may_publish_urgently(pages, people):
    page = pages.draft()
    with pytest.raises(NotAllowed):
        actions.urgent_publish(page, by=people.reviewer, reason="紧急")


def test_retrospective_approval_must_be_by_someone_else(pages, people):
    page = pages.draft()
    actions.urgent_publish(page, by=people.publisher, reason="紧急通知")
    for user in (people.publisher, people.editor):
        with pytest.raises(NotAllowed):
            actions.approve_retrospectively(page, by=user)
    actions.approve_retrospectively(page, by=people.reviewer, note="内容无误。")
    assert not refresh(page).awaiting_retrospective_review
    with pytest.raises(InvalidTransition):
        actions.approve_retrospectively(page, by=people.publisher2)


# --- Scheduling ------------------------------------------------------------------------

def test_schedule_needs_lead_time(pages, people):
    page = pages.approved()
    with pytest.raises(ValidationError, match="分钟之后"):
        actions.schedule(page, by=people.publisher2, go_live_at=timezone.now() + timedelta(minutes=1))
    with pytest.raises(ValidationError, match="晚于发布时间"):
        at = timezone.now() + timedelta(hours=1)
        actions.schedule(page, by=people.publisher2, go_live_at=at, expire_at=at)


def test_scheduled_publish_is_never_early_and_never_twice(pages, people):
    start = timezone.now()
    page = pages.approved()
    go_live = start + timedelta(hours=2)
    actions.schedule(page, by=people.publisher2, go_live_at=go_live)
    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        assert actions.publish_due()["published"] == []
        assert refresh(page).visibility == Visibility.NONE
    with time_machine.travel(go_live + timedelta(seconds=30), tick=False):
        assert actions.publish_due()["published"] == [("pages.Page", page.pk)]
        assert actions.publish_due()["published"] == []
    row = refresh(page)
    assert row.visibility == Visibility.LIVE and row.status == Status.PUBLISHED
    assert audit_actions(page).count("editorial.publish") == 1


def test_unschedule_returns_to_approved(pages, people):
    page = pages.approved()
    actions.schedule(page, by=people.publisher2, go_live_at=timezone.now() + timedelta(hours=1))
    actions.unschedule(page, by=people.publisher2)
    row = refresh(page)
    assert row.status == Status.APPROVED and row.go_live_at is None


def test_failed_scheduled_publish_is_recorded_and_notified(
    pages, people, django_capture_on_commit_callbacks, mailoutbox, broker_queue
):
    page = pages.approved()
    go_live = timezone.now() + timedelta(hours=1)
    actions.schedule(page, by=people.publisher2, go_live_at=go_live)
    people.publisher2.groups.clear()  # the scheduler lost the right to publish meanwhile
    people.publisher2 = type(people.publisher2).objects.get(pk=people.publisher2.pk)
    with time_machine.travel(go_live + timedelta(minutes=1), tick=False), django_capture_on_commit_callbacks(execute=True):
        outcome = actions.publish_due()
    broker_queue.run(only="editorial.send_notification")
    assert outcome["failed"] == [("pages.Page", page.pk)]
    row = refresh(page)
    assert row.status == Status.APPROVED and row.visibility == Visibility.NONE
    assert "发布" in row.schedule_error
    assert "editorial.scheduled_publish_failed" in audit_actions(page)
    assert {m.to[0] for m in mailoutbox} == {"editor@example.gov.cn", "publisher2@example.gov.cn"}
    assert mailoutbox[0].subject.startswith("【定时发布失败】")


def test_expiry_takes_a_live_item_down(pages, people):
    page = pages.approved()
    go_live = timezone.now() + timedelta(hours=1)
    actions.schedule(page, by=people.publisher2, go_live_at=go_live, expire_at=go_live + timedelta(days=1))
    with time_machine.travel(go_live + timedelta(minutes=1), tick=False):
        actions.publish_due()
    with time_machine.travel(go_live + timedelta(days=1, minutes=1), tick=False):
        assert actions.publish_due()["expired"] == [("pages.Page", page.pk)]
    assert refresh(page).visibility == Visibility.GONE


# --- Withdraw, unpublish, archive -------------------------------------------------------------

def test_withdraw_needs_a_public_explanation_and_keeps_the_page_viewable(pages, people):
    from apps.pages.models import Page

    page = pages.published()
    with pytest.raises(ValidationError):
        actions.withdraw(page, by=people.publisher, note="")
    actions.withdraw(page, by=people.publisher, note="该政策已废止，以新文件为准。")
    assert Page.objects.viewable().filter(pk=page.pk).exists()
    assert not Page.objects.published().filter(pk=page.pk).exists()


def test_editors_cannot_withdraw_or_unpublish(pages, people):
    page = pages.published()
    with pytest.raises(NotAllowed):
        actions.withdraw(page, by=people.editor, note="x")
    with pytest.raises(NotAllowed):
        actions.unpublish(page, by=people.editor)


def test_unpublish_refuses_a_redirect_to_itself_or_a_loop(pages, people):
    a = pages.published(slug="a")
    b = pages.published(slug="b")
    with pytest.raises(ValidationError, match="循环"):
        actions.unpublish(a, by=people.publisher, redirect_url="/pages/a/")
    actions.unpublish(a, by=people.publisher, redirect_url="/pages/b/")
    with pytest.raises(ValidationError, match="循环"):
        actions.unpublish(b, by=people.publisher, redirect_url="/pages/a/")
    with pytest.raises(ValidationError):
        actions.unpublish(b, by=people.publisher, redirect_url="javascript:alert(1)")
    actions.unpublish(b, by=people.publisher, redirect_url="https://www.gov.cn/")


def test_archive_only_what_is_not_public(pages, people):
    live = pages.published()
    with pytest.raises(InvalidTransition):
        actions.archive(live, by=people.publisher)
    draft = pages.draft()
    actions.archive(draft, by=people.publisher)
    assert refresh(draft).status == Status.ARCHIVED
    with pytest.raises(InvalidTransition):
        actions.save_draft(draft, by=people.editor, fields={"title": "x"})


# --- Locks ---------------------------------------------------------------------------------

def test_edit_lock_blocks_others_until_released_or_expired(pages, people, settings):
    page = pages.draft()
    actions.lock(page, by=people.editor)
    with pytest.raises(InvalidTransition, match="正在编辑"):
        actions.save_draft(page, by=people.editor2, fields={"title": "x"})
    with pytest.raises(NotAllowed):
        actions.unlock(page, by=people.editor2)
    with time_machine.travel(timezone.now() + settings.PARKPORTAL_EDITORIAL_LOCK_TIMEOUT + timedelta(seconds=1)):
        actions.save_draft(page, by=people.editor2, fields={"title": "锁已过期"})
    actions.unlock(page, by=people.publisher)  # break_lock permission


# --- Audit and notifications -----------------------------------------------------------------

def test_every_step_of_the_flow_is_audited_with_actor_and_states(pages, people):
    page = pages.published()
    actions.withdraw(page, by=people.publisher, note="撤回说明")
    actions.unpublish(page, by=people.publisher)
    assert audit_actions(page) == [
        "editorial.save_draft", "editorial.submit", "editorial.approve", "editorial.approve",
        "editorial.publish", "editorial.withdraw", "editorial.unpublish",
    ]
    publish = AuditEntry.objects.get(object_id=str(page.pk), action="editorial.publish")
    assert publish.actor == people.publisher2
    assert (publish.from_state, publish.to_state) == ("approved", "published")


def test_notifications_are_queued_only_after_commit(
    pages, people, django_capture_on_commit_callbacks, mailoutbox, broker_queue
):
    page = pages.draft()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.submit(page, by=people.editor)
    assert broker_queue.drain() == []  # nothing queued inside the transaction
    assert len(callbacks) == 1
    callbacks[0]()
    queued = broker_queue.drain()
    assert [(name, args[0]) for name, args, _ in queued] == [("editorial.send_notification", "review_requested")]
    from parkportal.celery import app

    app.tasks["editorial.send_notification"].apply(args=queued[0][1]).get()
    assert sorted(m.to[0] for m in mailoutbox) == ["reviewer2@example.gov.cn", "reviewer@example.gov.cn"]
    assert "复审" in mailoutbox[0].body


def test_users_can_opt_out_of_a_kind_of_mail(pages, people, django_capture_on_commit_callbacks, mailoutbox, broker_queue):
    from apps.editorial.models import EmailOptOut

    EmailOptOut.objects.create(user=people.reviewer2, kind="review_requested")
    page = pages.draft()
    with django_capture_on_commit_callbacks(execute=True):
        actions.submit(page, by=people.editor)
    broker_queue.run(only="editorial.send_notification")
    assert [m.to[0] for m in mailoutbox] == ["reviewer@example.gov.cn"]


def test_one_open_round_per_item_is_a_database_constraint(pages, people):
    from django.db import IntegrityError, transaction

    page = pages.in_review()
    round_ = ReviewRound.objects.get(object_id=str(page.pk))
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewRound.objects.create(
            content_type=round_.content_type, object_id=round_.object_id, item_repr="x",
            revision=round_.revision, sensitivity="normal", steps=[], submitted_by=people.editor,
        )


def test_redirect_loop_is_caught_whichever_script_is_active(pages, people):
    from django.utils import translation

    a = pages.published(slug="loop-a")
    b = pages.published(slug="loop-b")
    with translation.override("zh-hant"):
        actions.unpublish(a, by=people.publisher, redirect_url="/zh-hant/pages/loop-b/")
        with pytest.raises(ValidationError, match="循环"):
            actions.unpublish(b, by=people.publisher, redirect_url="/pages/loop-a/")
