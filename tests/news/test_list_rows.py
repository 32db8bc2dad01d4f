"""What the list and the detail's related rows show: exactly the releases the named read
rules select (published(), in_cluster(), in_year()), each with its link, date and
escaped text, on SQLite and PostgreSQL alike."""

import re

import pytest
from django.utils import timezone

from apps.core.models import IndustryCluster
from apps.news.models import PressRelease

pytestmark = pytest.mark.django_db

TITLE = re.compile(r'<h2 class="card-title"><a href="([^"]+)">([^<]+)</a></h2>')


def listed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return TITLE.findall(response.content.decode())


def test_the_list_and_its_filters_show_what_the_read_rules_select(client, releases, assets):
    clusters = list(IndustryCluster.objects.ordered())
    for i in range(25):
        releases.published(title=f"新闻{i:02d}", cover=assets.image() if i % 5 == 0 else None,
                           clusters=clusters[: i % 3])
    releases.draft(title="草稿", clusters=clusters[:1])
    year = timezone.localtime().year
    for cluster, y in ((None, None), (clusters[0], None), (clusters[1], year), (None, year), (None, 1990)):
        expected = PressRelease.objects.published().newest_first()
        query = []
        if cluster is not None:
            expected, query = expected.in_cluster(cluster), [*query, f"cluster={cluster.slug}"]
        if y is not None:
            expected, query = expected.in_year(y), [*query, f"year={y}"]
        expected = [(r.get_absolute_url(), r.title) for r in expected]
        shown = []
        for page in (1, 2):
            shown += listed(client, "/news/?" + "&".join([*query, f"page={page}"]))
        if len(expected) <= 20:  # a page past the last shows the last one again
            shown = shown[: len(shown) // 2]
        assert shown == expected, (cluster, y)


def test_a_list_row_links_the_release_and_shows_its_date_source_and_escaped_text(client, releases):
    release = releases.published(title='<script>alert("x")</script> & 引号', source="来源<b>", summary="摘要 & <i>")
    releases.published(title="无来源无摘要", source="", summary="")
    html = client.get("/news/").content.decode()
    local = timezone.localtime(release.first_published_at)
    assert (
        f'<h2 class="card-title"><a href="{release.get_absolute_url()}">'
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 引号</a></h2>"
    ) in html
    assert (
        f'<p class="meta-line"><time datetime="{local.isoformat()}">{local:%Y-%m-%d}</time> · 来源&lt;b&gt;</p>'
    ) in html
    assert "<p>摘要 &amp; &lt;i&gt;</p>" in html and "<script>alert" not in html
    assert re.search(r'<a href="[^"]+">无来源无摘要</a></h2>\n      <p class="meta-line"><time [^>]+>[^<]+</time></p>', html)


def test_the_first_row_cover_loads_eagerly_and_the_others_lazily(client, releases, assets):
    for _ in range(2):
        releases.published(cover=assets.image())
    html = client.get("/news/").content.decode()
    thumbs = re.findall(r'<div class="thumb">(.*?)</div>', html)
    assert len(thumbs) == 2
    assert 'fetchpriority="high"' in thumbs[0] and 'loading="lazy"' in thumbs[1]


def test_the_detail_links_its_neighbours_and_related_releases_with_their_dates(client, releases):
    clusters = list(IndustryCluster.objects.ordered())
    older = releases.published(title="较早 <一>", clusters=clusters[:1])
    release = releases.published(title="本篇", clusters=clusters[:1])
    newer = releases.published(title="较新 & 二")
    html = client.get(release.get_absolute_url()).content.decode()
    assert f'<a href="{newer.get_absolute_url()}" rel="prev">较新 &amp; 二</a>' in html
    assert f'<a href="{older.get_absolute_url()}" rel="next">较早 &lt;一&gt;</a>' in html
    local = timezone.localtime(older.first_published_at)
    assert (
        f'<li><a href="{older.get_absolute_url()}">较早 &lt;一&gt;</a>\n'
        f'      <time datetime="{local.isoformat()}">{local:%Y-%m-%d}</time></li>'
    ) in html
