"""Parent and subpages follow the public read rule (also in previews), and a page
can be neither its own parent nor its descendant's child."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from apps.editorial import actions
from apps.editorial.models import Revision
from apps.pages.models import Page
from tests.editorial.conftest import refresh


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def parent_in(state, pages, people):
    if state == "draft":
        return pages.draft(title="未发布的上级")
    if state == "in_review":
        return pages.in_review(title="未发布的上级")
    parent = pages.published(title="未发布的上级")
    if state == "withdrawn":
        actions.withdraw(parent, by=people.publisher, note="撤回")
    else:
        actions.unpublish(parent, by=people.publisher)
    return parent


@pytest.mark.parametrize("state", ["draft", "in_review", "withdrawn", "unpublished"])
def test_page_detail_hides_a_parent_that_is_not_published(client, pages, people, state):
    parent = parent_in(state, pages, people)
    child = pages.published(title="下级页面", parent=parent)
    html = client.get(child.get_absolute_url()).content.decode()
    assert "未发布的上级" not in html and parent.get_absolute_url() not in html


def test_page_detail_links_a_published_parent(client, pages):
    parent = pages.published(title="园区概况")
    child = pages.published(title="发展历程", parent=parent)
    html = client.get(child.get_absolute_url()).content.decode()
    assert "返回上级：园区概况" in html and f'href="{parent.get_absolute_url()}"' in html


def test_previews_list_only_published_subpages_and_parent(pages, people):
    parent = pages.draft(title="草稿上级")
    page = pages.draft(title="待核对的页面", parent=parent)
    pages.published(title="公开的下级", parent=page)
    pages.draft(title="草稿下级标题", parent=page)
    pages.in_review(title="审核中下级标题", parent=page)
    _link, token = actions.create_preview_link(page, by=people.editor)
    shared = Client().get(reverse("editorial:shared_preview", args=[token])).content.decode()
    number = refresh(page).latest_revision.number
    staff = client_for(people.reviewer).get(reverse("admin:pages_page_preview", args=[page.pk, number])).content.decode()
    for html in (shared, staff):
        assert "待核对的页面" in html and "公开的下级" in html
        assert "草稿下级标题" not in html and "审核中下级标题" not in html and "草稿上级" not in html


def test_a_page_cannot_be_its_own_parent(pages, people):
    page = pages.draft()
    with pytest.raises(ValidationError, match="上级页面不能是本页面"):
        actions.save_draft(page, by=people.editor, fields={"parent": refresh(page)})
    assert refresh(page).parent_id is None and refresh(page).latest_revision.number == 1


def test_a_page_cannot_be_moved_under_its_own_descendant(pages, people):
    top = pages.draft(title="一级")
    middle = pages.draft(title="二级", parent=top)
    bottom = pages.draft(title="三级", parent=middle)
    with pytest.raises(ValidationError) as refused:
        actions.save_draft(top, by=people.editor, fields={"parent": bottom})
    assert "上级页面不能是本页面或本页面的下级页面" in str(refused.value.message_dict["parent"])
    assert refresh(top).parent_id is None


@pytest.mark.parametrize("target", ["self", "descendant"])
def test_the_admin_refuses_a_parent_cycle_with_a_form_error(pages, people, target):
    from tests.editorial.test_admin import form_data

    page = pages.draft(title="上级")
    child = pages.draft(title="下级", parent=page)
    revisions = Revision.objects.count()
    parent_pk = page.pk if target == "self" else child.pk
    response = client_for(people.editor).post(
        reverse("admin:pages_page_change", args=[page.pk]), form_data(page, parent=parent_pk)
    )
    assert response.status_code == 200  # the form again, with the error
    html = response.content.decode()
    assert "上级页面不能是本页面或本页面的下级页面" in html and "errorlist" in html
    assert Revision.objects.count() == revisions
    assert Page.objects.get(pk=page.pk).parent_id is None


# --- Exact query counts ------------------------------------------------------------

DETAIL_QUERIES = 6  # the page, its published parent, published subpages, links, clusters, change notes


def test_page_detail_runs_an_exact_number_of_queries_whatever_the_data(client, pages, people, django_assert_num_queries, settings):
    settings.PARKPORTAL_PAGECACHE_ENABLED = False  # the render's queries, not a page cache hit
    from apps.core.models import IndustryCluster
    from apps.pages.models import PageLink

    parent = pages.published(title="上级")
    page = pages.published(title="本页", parent=parent)
    url = page.get_absolute_url()
    client.get(url)  # warm the site-settings cache
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(url).status_code == 200
    for i in range(8):
        PageLink.objects.create(page=page, position=i, title=f"链接{i}", url=f"/x{i}/")
    page.clusters.set(IndustryCluster.objects.all())
    for i in range(3):
        pages.published(title=f"下级{i}", parent=page)
        pages.draft(title=f"草稿下级{i}", parent=page)
    actions.save_draft(page, by=people.editor, fields={"body": "<p>新版本</p>"})
    actions.submit(page, by=people.editor)
    actions.approve(page, by=people.reviewer)
    actions.approve(page, by=people.publisher, publish=False)
    actions.publish(page, by=people.publisher2, major=True, change_note="补充了内容。")
    with django_assert_num_queries(DETAIL_QUERIES):
        html = client.get(url).content.decode()
    assert html.count("下级") >= 3 and "草稿下级" not in html and "补充了内容。" in html
    assert IndustryCluster.objects.exists()
