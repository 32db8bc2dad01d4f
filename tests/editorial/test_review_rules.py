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
