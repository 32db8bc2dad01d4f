"""One interface, the same results on SQLite (FTS5) and PostgreSQL (tsvector).

The suite runs on both databases (``DATABASE_URL``); the expected orderings below
are written once, so the same fixture gives the same results on each."""

from django.db import connection

from apps.search.backends import backend
from apps.search.query import search, top_urls

#: query → the corpus items expected, best first (exactly these, nothing else).
EXPECTED = {
    # every release's summary and source, and the enterprise's address, name the zone:
    # the two items about it come first
    "高新区": ["zone", "overview", "little_giants", "talent", "film"],
    "高新區": ["zone", "overview", "little_giants", "talent", "film"],
    "专精特新": ["little_giants", "film"],
    "天山": ["talent", "film"],
    "天山新材料": ["film"],
    "乌鲁木齐天山新材料薄膜有限公司": ["film"],
    "新材料": ["film", "little_giants"],
    "丝路之星": ["incubator"],
    "人力资源服务产业园": ["incubator"],
    "十百千": ["talent"],
    "青年人才": ["talent"],
    "ＰＤＦ 园区": [],
    "现代服务业": ["overview"],
    "百强 新疆": ["zone"],
}


def test_the_backend_is_the_databases_own(db):
    assert backend().__name__.endswith("postgres" if connection.vendor == "postgresql" else "sqlite")


def test_the_same_fixture_gives_the_same_results_on_each_database(corpus):
    with_url = {name: getattr(corpus, name).get_absolute_url() for name in
                ("zone", "little_giants", "talent", "film", "incubator", "overview")}
    got = {query: top_urls(query, n=10) for query in EXPECTED}
    expected = {query: [with_url[name] for name in names] for query, names in EXPECTED.items()}
    assert got == expected


def test_counts_per_kind_agree(corpus):
    results = search("高新区")
    assert results.facets == {"news": 3, "pages": 1, "enterprises": 1}
    assert search("专精特新").facets == {"news": 1, "enterprises": 1}


def test_a_broad_query_ranks_title_matches_and_the_newest_first(corpus, monkeypatch):
    from apps.search import query
    from apps.search.models import SearchEntry

    full = [hit.url for hit in search("高新区").hits]
    newest = SearchEntry.objects.exclude(url=corpus.zone.get_absolute_url()).filter(
        url__in=full).order_by("-day", "-pk").values_list("url", flat=True).first()
    monkeypatch.setattr(query, "BROAD", 2)
    monkeypatch.setattr(query, "RECENT", 1)
    results = search("高新区")
    assert results.total == 5  # the count stays exact
    # the title match and the newest match (or the title match alone, if it is the newest), in the full order
    expected = [url for url in full if url in (corpus.zone.get_absolute_url(), newest)]
    assert [hit.url for hit in results.hits] == expected
    assert expected[0] == corpus.zone.get_absolute_url()
