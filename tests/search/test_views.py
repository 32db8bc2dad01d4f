"""The results page: ranking, snippets, filters, pagination, suggestions, both
scripts, elder mode, constant queries, never cached."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import run_index_tasks


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return response, response.content.decode()


def test_every_page_carries_the_search_box(client, corpus):
    _response, html = get(client, "/news/")
    assert 'role="search"' in html and 'action="/search/"' in html and 'name="q"' in html
    _response, html = get(client, "/zh-hant/news/")
    assert 'action="/zh-hant/search/"' in html


def test_results_are_ranked_marked_and_linked(client, corpus):
    _response, html = get(client, "/search/", q="专精特新")
    assert "找到 2 条结果" in html
    first = html.index(corpus.little_giants.get_absolute_url())
    assert first < html.index(corpus.film.get_absolute_url())
    assert "<mark>专精特新</mark>" in html
    assert corpus.withdrawn.get_absolute_url() not in html and corpus.draft.get_absolute_url() not in html


def test_traditional_page_and_query(client, corpus):
    url = corpus.little_giants.get_absolute_url()
    _response, html = get(client, "/zh-hant/search/", q="專精特新")
    assert "/zh-hant" + url in html
    assert "<mark>專精特新</mark>" in html  # the page is converted as a whole
    assert "找到 2 條結果" in html


def test_type_filter_and_its_counts(client, corpus):
    _response, html = get(client, "/search/", q="专精特新", type="enterprises")
    assert "找到 1 条结果" in html
    assert corpus.film.get_absolute_url() in html and corpus.little_giants.get_absolute_url() not in html
    assert "全部（2）" in html and "新闻（1）" in html


def test_date_filter_excludes_undated_and_old_items(client, corpus):
    _response, html = get(client, "/search/", q="专精特新", within="week")
    assert corpus.little_giants.get_absolute_url() in html
    assert corpus.film.get_absolute_url() not in html  # directory entries carry no date


def test_garbage_parameters_are_ignored(client, corpus):
    _response, html = get(client, "/search/", q="专精特新", type="<script>", within="forever", page="-3")
    assert "找到 2 条结果" in html and "&lt;script&gt;" not in html
    _response, html = get(client, "/search/", q="专精特新", page="99999999999999999999999")
    assert "找到 2 条结果" in html


def test_nothing_found_suggests_other_searches(client, corpus):
    _response, html = get(client, "/search/", q="量子计算 高新区")
    assert "没有找到包含“量子计算 高新区”的内容" in html
    assert '?q=%E9%AB%98%E6%96%B0%E5%8C%BA"' in html  # 高新区 alone
    assert "/services/" in html and "/enterprises/" in html
    _response, html = get(client, "/search/", q="，。")
    assert "搜索词中没有可查找的文字或数字" in html


def test_an_empty_search_shows_the_box_and_suggestions(client, db):
    _response, html = get(client, "/search/")
    assert 'id="search-q"' in html and "专精特新" in html and "找到" not in html


def test_pagination_links_keep_the_query_and_filters(client, releases):
    for n in range(23):
        releases.published(title=f"高新区动态第{n}期")
    run_index_tasks()
    _response, html = get(client, "/search/", q="高新区", type="news")
    assert "找到 23 条结果" in html and "第 1 页，共 3 页" in html
    assert 'href="?q=%E9%AB%98%E6%96%B0%E5%8C%BA&amp;type=news&amp;page=2" rel="next"' in html
    _response, html = get(client, "/search/", q="高新区", type="news", page=3)
    assert html.count('<li>\n      <h2>') == 3
    assert 'start="21"' in html, html[html.index("<ol"):html.index("<ol") + 60]
    _response, html = get(client, "/search/", q="高新区", type="news", page=50)  # past the end: the last page
    assert "第 3 页，共 3 页" in html


def test_elder_mode_page(client, corpus, settings):
    client.cookies[settings.PARKPORTAL_ELDER_COOKIE] = "1"
    _response, html = get(client, "/search/", q="高新区")
    assert 'class="elder"' in html


def test_results_are_not_stored_in_the_page_cache(client, corpus):
    response, _html = get(client, "/search/", q="高新区")
    assert "private" in response["Cache-Control"]
    response, _html = get(client, "/search/", q="高新区")
    assert response.get("X-Page-Cache") != "hit"


def test_a_search_runs_a_constant_number_of_queries(client, corpus, releases, enterprises):
    get(client, "/search/", q="高新区")  # warm: site settings and the park dictionary are cached

    def count(**params):
        with CaptureQueriesContext(connection) as queries:
            get(client, "/search/", **params)
        return len(queries)

    small = count(q="高新区")
    for n in range(15):
        releases.published(title=f"高新区新闻{n}", body="<p>专精特新企业</p>")
        enterprises.published(name=f"高新区专精特新企业{n}有限公司")
    run_index_tasks()
    get(client, "/search/", q="高新区")  # the dictionary was dropped by the publications: warm again
    assert count(q="高新区") == small == 2  # counts per kind, the page's rows
    assert count(q="高新区 专精特新", type="news", page=2) == 2
    assert count(q="没有这个词语啊") == 1  # nothing found: no rows to read


@pytest.mark.parametrize("path", ["/search/", "/zh-hant/search/"])
def test_head_is_allowed_and_post_is_refused(client, db, path):
    assert client.head(path, {"q": "高新区"}).status_code == 200
    assert client.post(path, {"q": "高新区"}).status_code == 405
