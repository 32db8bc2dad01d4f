"""Issue 15: 我的待办 lists only steps the user can decide; "在站点上查看" on a draft
opens the preview instead of a 404."""

import re

import pytest
from django.contrib.auth.models import Group

from apps.editorial import actions
from apps.editorial.dashboard import for_user
from apps.editorial.models import Sensitivity
from tests.editorial.conftest import refresh


def titles(entries):
    return [e.title for e in entries]


def test_an_authors_own_submission_is_not_waiting_for_their_review(pages, people):
    author = people.reviewer2
    author.groups.add(Group.objects.get(name="编辑"))
    author = type(author).objects.get(pk=author.pk)
    mine = pages.draft(by=author, title="我写的稿件")
    actions.submit(mine, by=author)
    other = pages.in_review(title="别人的稿件")
    waiting = titles(for_user(author)["my_tasks"])
    assert "别人的稿件" in waiting and "我写的稿件" not in waiting
    assert "我写的稿件" in titles(for_user(people.reviewer)["my_tasks"])
    assert refresh(other).status == "in_review"


def test_a_step_the_user_may_not_take_under_distinct_reviewers_is_not_listed(pages, people):
    everyone = people.reviewer2
    everyone.groups.add(*Group.objects.filter(name__in=["编辑", "审核", "签发"]))
    everyone = type(everyone).objects.get(pk=everyone.pk)
    page = pages.in_review(title="重要稿件", sensitivity=Sensitivity.IMPORTANT)
    assert "重要稿件" in titles(for_user(everyone)["my_tasks"])
    actions.approve(page, by=everyone)  # 初审
    assert "重要稿件" not in titles(for_user(everyone)["my_tasks"])  # 复审 needs someone else
    assert "重要稿件" in titles(for_user(people.reviewer)["my_tasks"])


def test_view_on_site_of_a_never_published_draft_opens_its_preview(pages, people, client):
    page = pages.draft()
    client.force_login(people.editor)
    html = client.get(f"/admin/pages/page/{page.pk}/change/").content.decode()
    link = re.search(r'<a href="([^"]+)" class="viewsitelink"', html).group(1)
    assert link == f"/admin/pages/page/{page.pk}/revisions/{refresh(page).latest_revision.number}/preview/"
    response = client.get(link)
    assert response.status_code == 200 and page.title in response.content.decode()


def test_view_on_site_of_a_published_page_is_its_public_address(pages, people, client):
    page = pages.published()
    client.force_login(people.editor)
    html = client.get(f"/admin/pages/page/{page.pk}/change/").content.decode()
    link = re.search(r'<a href="([^"]+)" class="viewsitelink"', html).group(1)
    assert "/preview/" not in link and client.get(link, follow=True).status_code == 200
