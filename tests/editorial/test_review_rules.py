"""Issue 15: urgent publishing keeps the submission checks; 三审 by three different people."""

import pytest
from django.contrib.auth.models import Group

from apps.core.errors import InvalidTransition, NotAllowed
from apps.editorial import actions
from apps.editorial.models import ReviewChain, Sensitivity, Status, Visibility
from tests.editorial.conftest import refresh
from tests.media.conftest import media_queues, media_storage  # noqa: F401  (fixtures)
from tests.news.conftest import assets, releases  # noqa: F401  (fixtures)


# --- Urgent publishing runs submission_problems ---------------------------------------

def test_urgent_publish_refuses_an_image_without_alt_text(releases, assets, people):
    release = releases.draft(cover=assets.image(alt_text=""))
    with pytest.raises(InvalidTransition, match="缺少替代文本"):
        actions.urgent_publish(release, by=people.publisher, reason="突发停水通知")
    row = refresh(release)
    assert row.visibility == Visibility.NONE and row.status == Status.DRAFT


def test_urgent_publish_refuses_an_image_not_yet_processed(releases, assets, people):
    release = releases.draft(cover=assets.image(ready=False))
    with pytest.raises(InvalidTransition, match="仍在处理中"):
        actions.urgent_publish(release, by=people.publisher, reason="突发停水通知")
    assert refresh(release).visibility == Visibility.NONE


def test_urgent_publish_of_a_complete_release_still_works(releases, assets, people):
    release = releases.draft(cover=assets.image())
    actions.urgent_publish(release, by=people.publisher, reason="突发停水通知")
    assert refresh(release).visibility == Visibility.LIVE


# --- Distinct reviewers per step ------------------------------------------------------

def _all_step_groups(user):
    user.groups.add(*Group.objects.filter(name__in=["编辑", "审核", "签发"]))
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize("tier", [Sensitivity.IMPORTANT, Sensitivity.SENSITIVE])
def test_one_person_in_every_step_group_cannot_approve_two_steps(pages, people, tier):
    everyone = _all_step_groups(people.reviewer2)
    page = pages.in_review(sensitivity=tier)
    actions.approve(page, by=everyone)  # 初审
    with pytest.raises(NotAllowed, match="三审须由不同的人完成：您已在本轮审核中通过了“初审”，“复审”须由其他人审核。"):
        actions.approve(page, by=everyone)
    actions.approve(page, by=people.reviewer)  # 复审 by someone else
    with pytest.raises(NotAllowed, match="三审须由不同的人完成"):
        actions.approve(page, by=everyone)  # 终审
    actions.approve(page, by=people.publisher)
    assert refresh(page).status in (Status.APPROVED, Status.PUBLISHED)


def test_a_superuser_cannot_approve_two_steps_of_an_important_item(pages, people, settings):
    settings.PARKPORTAL_EDITORIAL_SUPERUSER_EXEMPT = True  # even where the two-person rule exempts them
    page = pages.in_review(sensitivity=Sensitivity.IMPORTANT)
    actions.approve(page, by=people.superuser)
    with pytest.raises(NotAllowed, match="三审须由不同的人完成"):
        actions.approve(page, by=people.superuser)
    assert refresh(page).status == Status.IN_REVIEW


def test_normal_items_allow_one_person_for_both_steps_by_default(pages, people):
    everyone = _all_step_groups(people.reviewer2)
    page = pages.in_review()
    actions.approve(page, by=everyone)
    actions.approve(page, by=everyone)
    assert refresh(page).status in (Status.APPROVED, Status.PUBLISHED)


def test_the_chain_setting_decides(pages, people):
    ReviewChain.objects.filter(sensitivity=Sensitivity.NORMAL).update(distinct_reviewers=True)
    everyone = _all_step_groups(people.reviewer2)
    page = pages.in_review()
    actions.approve(page, by=everyone)
    with pytest.raises(NotAllowed, match="三审须由不同的人完成"):
        actions.approve(page, by=everyone)


def test_default_chains_require_distinct_reviewers_for_important_and_sensitive(db):
    flags = dict(ReviewChain.objects.filter(content_type=None).values_list("sensitivity", "distinct_reviewers"))
    assert flags == {Sensitivity.NORMAL: False, Sensitivity.IMPORTANT: True, Sensitivity.SENSITIVE: True}


# --- 签发: the last approval publishes --------------------------------------------------

def test_the_last_approval_publishes_by_default(pages, people):
    page = pages.in_review()
    actions.approve(page, by=people.reviewer)
    actions.approve(page, by=people.publisher)
    row = refresh(page)
    assert row.status == Status.PUBLISHED and row.visibility == Visibility.LIVE
    assert row.live_revision_id == row.latest_revision_id


def test_the_chain_can_keep_a_separate_publish_step(pages, people):
    ReviewChain.objects.filter(sensitivity=Sensitivity.NORMAL).update(last_approval_publishes=False)
    page = pages.in_review()
    actions.approve(page, by=people.reviewer)
    actions.approve(page, by=people.publisher)
    assert refresh(page).status == Status.APPROVED


def test_a_last_approver_who_may_not_publish_only_approves(pages, people):
    # A chain whose last step belongs to 审核 (reviewers hold no publish permission).
    from apps.editorial.models import ReviewStep

    chain = ReviewChain.objects.get(content_type=None, sensitivity=Sensitivity.NORMAL)
    ReviewStep.objects.filter(chain=chain, position=1).update(group=Group.objects.get(name="审核"))
    page = pages.in_review()
    actions.approve(page, by=people.reviewer)
    assert not people.reviewer2.has_perm("editorial.publish_content")
    actions.approve(page, by=people.reviewer2)
    assert refresh(page).status == Status.APPROVED


def test_signing_off_a_new_version_of_a_published_item_asks_major_or_minor(pages, people):
    from django.core.exceptions import ValidationError

    page = pages.published()
    actions.save_draft(page, by=people.editor, fields={"title": "园区概况（修订）"})
    actions.submit(page, by=people.editor)
    actions.approve(page, by=people.reviewer)
    with pytest.raises(ValidationError, match="重大更新还是一般更新"):
        actions.approve(page, by=people.publisher)
    assert refresh(page).status == Status.IN_REVIEW  # nothing half-done
    actions.approve(page, by=people.publisher, major=True, change_note="更新了园区概况")
    row = refresh(page)
    assert row.status == Status.PUBLISHED and row.title == "园区概况（修订）"


def test_urgent_publish_is_refused_once_every_step_approved(pages, people):
    page = pages.approved()
    with pytest.raises(InvalidTransition, match="已通过全部审核"):
        actions.urgent_publish(page, by=people.publisher2, reason="赶时间")
