"""Public page views: only published content, withdrawal notices, 410 and redirects,
the 47号 article meta, public dates and change notes, constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.editorial import actions
from apps.pages.models import PageLink
from tests.editorial.conftest import refresh


def test_draft_and_in_review_pages_are_not_public(client, pages):
    for page in (pages.draft(), pages.in_review(), pages.approved()):
        assert client.get(page.get_absolute_url()).status_code == 404


def test_published_page_shows_article_meta_and_public_dates(client, pages, people):
    page = pages.published(title="园区概况", content_source="高新区党政办")
    html = client.get(page.get_absolute_url()).content.decode()
    assert "<h1>园区概况</h1>" in html
    assert '<meta name="ArticleTitle" content="园区概况">' in html
    assert '<meta name="ContentSource" content="高新区党政办">' in html
    assert '<meta name="PubDate" content="' in html
    assert "发布时间" in html and "更新记录" in html and "首次发布" in html


def test_public_sees_the_published_version_until_the_new_one_is_published(client, pages, people):
    page = pages.published(title="旧标题")
    actions.save_draft(page, by=people.editor, fields={"title": "新标题"})
    html = client.get(page.get_absolute_url()).content.decode()
    assert "旧标题" in html and "新标题" not in html


def test_major_change_note_and_update_time_are_public(client, pages, people):
    page = pages.published()
    actions.save_draft(page, by=people.editor, fields={"body": "<p>联系电话已更新。</p>"})
    actions.submit(page, by=people.editor)
    actions.approve(page, by=people.reviewer)
    actions.approve(page, by=people.publisher, publish=False)
    actions.publish(page, by=people.publisher2, major=True, change_note="更新了咨询电话。")
    html = client.get(page.get_absolute_url()).content.decode()
    assert "更新时间" in html and "更新了咨询电话。" in html


def test_withdrawn_page_stays_online_with_a_dated_explanation_and_leaves_lists(client, pages, people):
    page = pages.published(title="旧政策解读")
    actions.withdraw(page, by=people.publisher, note="所涉政策已修订，请以新版为准。")
    response = client.get(page.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "本文已于" in html and "撤回" in html and "所涉政策已修订，请以新版为准。" in html
    assert "旧政策解读" not in client.get("/pages/").content.decode()


def test_unpublished_page_answers_410_gone(client, pages, people):
    page = pages.published()
    actions.unpublish(page, by=people.publisher)
    response = client.get(page.get_absolute_url())
    assert response.status_code == 410
    assert "已下线" in response.content.decode()
    assert client.get("/zh-hant" + page.get_absolute_url()).status_code == 410


def test_unpublished_page_with_a_redirect_redirects(client, pages, people):
    page = pages.published()
    actions.unpublish(page, by=people.publisher, redirect_url="/pages/")
    response = client.get(page.get_absolute_url())
    assert response.status_code == 301 and response["Location"] == "/pages/"


def test_traditional_version_of_a_page(client, pages):
    page = pages.published(title="乌鲁木齐高新区干部培训", slug="training")
    html = client.get("/zh-hant/pages/training/").content.decode()
    assert "烏魯木齊高新區幹部培訓" in html


def test_page_detail_keeps_a_constant_number_of_queries(client, pages, people, django_assert_num_queries, settings):
    settings.PARKPORTAL_PAGECACHE_ENABLED = False  # the render's queries, not a page cache hit
    from apps.core.models import IndustryCluster

    page = pages.published()
    url = page.get_absolute_url()
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    before = count()
    for i in range(8):
        PageLink.objects.create(page=page, position=i, title=f"链接{i}", url=f"/x{i}/")
    page.clusters.set(IndustryCluster.objects.all())
    for i in range(3):
        child = pages.published(slug=f"child-{i}", parent=page)
    assert count() == before
    with django_assert_num_queries(before):
        client.get(url)
    del child


def test_page_index_keeps_a_constant_number_of_queries(client, pages, settings):
    settings.PARKPORTAL_PAGECACHE_ENABLED = False  # the render's queries, not a page cache hit
    pages.published()
    client.get("/pages/")
    with CaptureQueriesContext(connection) as few:
        client.get("/pages/")
    for i in range(10):
        pages.published(slug=f"more-{i}")
    with CaptureQueriesContext(connection) as many:
        html = client.get("/pages/").content.decode()
    assert len(many) == len(few) and html.count("card-title") == 11


def test_sitemap_lists_only_published_pages(client, pages, people):
    live = pages.published(slug="live-page")
    pages.draft(slug="draft-page")
    withdrawn = pages.published(slug="withdrawn-page")
    actions.withdraw(withdrawn, by=people.publisher, note="撤回")
    xml = client.get("/sitemap.xml").content.decode()
    assert "/pages/live-page/" in xml
    assert "draft-page" not in xml and "withdrawn-page" not in xml
    del live
