"""Urgent publishing obeys the two-person rule: whoever authored or submitted the
version cannot publish it, with or without review."""

import pytest
from django.contrib.auth.models import Group

from apps.core.errors import InvalidTransition, NotAllowed
from apps.core.models import AuditEntry
from apps.editorial import actions
from apps.editorial.availability import available_actions
from apps.editorial.models import Status, Visibility
from tests.editorial.conftest import refresh


@pytest.mark.parametrize("who", ["publisher", "superuser"])
def test_the_submitter_of_the_open_round_cannot_publish_it_urgently(pages, people, who):
    submitter = getattr(people, who)
    submitter.groups.add(Group.objects.get(name="编辑"))  # may submit; wrote nothing
    submitter = type(submitter).objects.get(pk=submitter.pk)
    page = pages.draft(by=people.editor)
    actions.submit(page, by=submitter)
    assert "urgent_publish" not in available_actions(refresh(page), submitter)
    with pytest.raises(NotAllowed, match="双人审核"):
        actions.urgent_publish(page, by=submitter, reason="突发停水通知")
    row = refresh(page)
    assert row.status == Status.IN_REVIEW and row.visibility == Visibility.NONE
    assert not AuditEntry.objects.filter(object_id=str(page.pk), action="editorial.urgent_publish").exists()
    # Someone else still may.
    assert "urgent_publish" in available_actions(row, people.publisher2)
    actions.urgent_publish(page, by=people.publisher2, reason="突发停水通知")
    assert refresh(page).visibility == Visibility.LIVE


def test_the_submitter_of_an_approved_version_cannot_publish_it_urgently(pages, people):
    people.publisher.groups.add(Group.objects.get(name="编辑"))
    page = pages.draft(by=people.editor)
    actions.submit(page, by=people.publisher)
    actions.approve(page, by=people.reviewer)
    actions.approve(page, by=people.publisher2, publish=False)
    with pytest.raises(NotAllowed, match="双人审核"):
        actions.publish(page, by=people.publisher)
    # Every step approved: urgent publishing would skip nothing, so it is not offered.
    with pytest.raises(InvalidTransition, match="已通过全部审核"):
        actions.urgent_publish(page, by=people.publisher2, reason="赶时间")
    assert refresh(page).status == Status.APPROVED


@pytest.mark.parametrize("last_approval_publishes", [True, False])
def test_urgent_publish_is_offered_only_where_it_skips_more_than_the_publishers_own_sign_off(
    pages, people, last_approval_publishes
):
    from apps.editorial.models import ReviewChain, Sensitivity

    ReviewChain.objects.filter(sensitivity=Sensitivity.NORMAL).update(last_approval_publishes=last_approval_publishes)
    page = pages.in_review()
    # While an earlier step is open, urgency skips a review.
    assert "urgent_publish" in available_actions(refresh(page), people.publisher)
    actions.approve(page, by=people.reviewer)
    row = refresh(page)  # the last step is open, and it is the publisher's
    assert "approve" in available_actions(row, people.publisher)
    if last_approval_publishes:
        # Approving it is 签发: urgent publishing would skip nothing but that click.
        assert "urgent_publish" not in available_actions(row, people.publisher)
        with pytest.raises(InvalidTransition, match="签发"):
            actions.urgent_publish(page, by=people.publisher, reason="突发停水通知")
        assert refresh(page).visibility == Visibility.NONE
        assert not AuditEntry.objects.filter(object_id=str(page.pk), action="editorial.urgent_publish").exists()
        actions.approve(page, by=people.publisher)
    else:
        # Approving only approves; publishing at once skips nothing either, but the
        # chain asked for 发布 as a separate step: urgency is what does it in one go.
        assert "urgent_publish" in available_actions(row, people.publisher)
        actions.urgent_publish(page, by=people.publisher, reason="突发停水通知")
    assert refresh(page).visibility == Visibility.LIVE
