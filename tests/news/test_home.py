"""The home page shows the latest news (the inspection fails a home page with no new
item for two weeks), published releases only, newest first, in both scripts."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.editorial import actions as editorial


def test_home_page_shows_the_latest_published_news_newest_first(releases, people):
    older = releases.published(title="高新区召开人才工作会议")
    newer = releases.published(title="生物医药产业园新签约五个项目")
    releases.draft(title="尚未发布的新闻草稿")
    withdrawn = releases.published(title="已撤回的新闻")
    editorial.withdraw(withdrawn, by=people.publisher, note="信息有误")
    html = Client().get("/").content.decode()
    assert "最新动态" in html
    assert html.index(newer.title) < html.index(older.title)
    assert f'href="{newer.get_absolute_url()}"' in html
    assert "尚未发布的新闻草稿" not in html and "已撤回的新闻" not in html
    assert 'href="/news/">更多新闻动态' in html


def test_traditional_home_page_links_its_news_in_its_own_script(releases):
    release = releases.published(title="园区发布年度报告")
    path = release.get_absolute_url()
    html = Client().get("/zh-hant/").content.decode()
    assert "園區發布年度報告" in html
    assert f'href="/zh-hant{path}"' in html


def test_home_page_queries_stay_constant_as_news_grows(releases, settings):
    settings.PARKPORTAL_PAGECACHE_ENABLED = False  # the render's queries, not a page cache hit
    client = Client()
    releases.published()
    client.get("/")  # site settings now cached

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx)

    before = count()
    for _ in range(9):
        releases.published()
    assert count() == before
