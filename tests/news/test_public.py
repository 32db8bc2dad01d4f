"""The public newsroom: list, detail, feeds, sitemap and attachments; published
releases only, constant SQL queries, and processed media only."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation
from django.db import connection
from django.utils import timezone

from apps.core.models import IndustryCluster
from apps.editorial import actions as editorial
from apps.media.models import Rendition
from apps.news.models import PressRelease
from tests.news.conftest import refresh

pytestmark = pytest.mark.django_db


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


@pytest.fixture
def clusters():
    return list(IndustryCluster.objects.ordered())


# --- detail -------------------------------------------------------------------------------------

def test_the_detail_page_shows_everything_a_reader_needs(client, releases, assets, clusters, tmp_path):
    cover = assets.image(credit="李摄影")
    attachment = assets.attachment("新材料企业申报指南")
    older = releases.published(title="较早的新闻", clusters=[clusters[0]])
    release = releases.published(
        title="新材料企业五层共挤生产线投产", subtitle="年产能大幅提升", cover=cover,
        gallery=[(assets.image(), "生产线全景"), (assets.image(caption="图片自身的说明"), "")],
        videos=[assets.video(tmp_path)], attachments=[attachment], clusters=[clusters[0]],
        keywords="新材料,共挤膜", authors="张三、李四",
    )
    newer = releases.published(title="较新的新闻")
    html = get(client, release.get_absolute_url()).content.decode()
    # 47号 article meta
    assert '<meta name="ArticleTitle" content="新材料企业五层共挤生产线投产">' in html
    assert re.search(r'<meta name="PubDate" content="\d{4}-\d\d-\d\d \d\d:\d\d">', html)
    assert '<meta name="ContentSource" content="高新区管委会">' in html
    assert "发布时间" in html and "责任编辑：王编辑" in html and "张三、李四" in html
    # the cover: processed renditions only, eager above the fold, with width/height and alt
    assert '<picture><source type="image/avif"' in html and 'type="image/webp"' in html
    assert 'fetchpriority="high"' in html and 'alt="园区新材料生产车间"' in html
    assert re.search(r'<img src="/media/renditions/[^"]+\.jpg" srcset="[^"]+ 320w, [^"]+ 640w" sizes=', html)
    assert "李摄影" in html
    # gallery with captions (its own, else the image's), lazy
    assert "生产线全景" in html and "图片自身的说明" in html and 'loading="lazy"' in html
    # video with poster and captions
    assert re.search(r'<video controls preload="none" poster="/media/videos/[^"]+\.jpg"', html)
    assert '<track kind="captions"' in html and 'type="video/mp4"' in html
    # attachment with type and size
    assert "新材料企业申报指南" in html and "PDF" in html and "字节" in html
    assert f"/news/{release.pk}/attachments/{attachment.pk}/" in html
    # previous / next and related by cluster
    assert older.get_absolute_url() in html and newer.get_absolute_url() in html
    assert "相关新闻" in html and "较早的新闻" in html


def test_the_detail_page_runs_the_same_number_of_queries_whatever_it_holds(
    client, releases, assets, clusters, tmp_path, django_assert_num_queries, settings
):
    image, video = assets.image(), assets.video(tmp_path)
    small = releases.published(
        cover=assets.image(), gallery=[(image, "图")], videos=[video], attachments=[assets.attachment("一")],
        clusters=clusters[:1],
    )
    big = releases.published(
        cover=assets.image(), gallery=[(assets.image(), f"图{i}") for i in range(6)],
        videos=[video], attachments=[assets.attachment("二"), assets.attachment("三")],
        clusters=clusters[:3],
    )
    for i in range(5):
        plain = releases.published(cover=assets.image(), clusters=clusters[:2])
    get(client, small.get_absolute_url())  # warm the site settings cache
    settings.PARKPORTAL_PAGECACHE_ENABLED = False  # the render's queries, not a page cache hit
    # The release (with whether it has videos / attachments), its gallery, one renditions
    # query, videos, attachments, clusters, older + newer + related (one UNION ALL on
    # PostgreSQL; SQLite allows no LIMIT inside a compound statement: three), change notes,
    # the view count.
    n = 9 if connection.features.supports_slicing_ordering_in_compound else 11
    with django_assert_num_queries(n):
        get(client, small.get_absolute_url())
    with django_assert_num_queries(n):
        get(client, big.get_absolute_url())
    with django_assert_num_queries(n - 2):  # no videos or attachments: not asked for
        get(client, plain.get_absolute_url())
    settings.PARKPORTAL_PAGECACHE_ENABLED = True
    get(client, small.get_absolute_url())
    with django_assert_num_queries(0):  # the page cache's hit
        get(client, small.get_absolute_url())


def test_a_draft_is_not_public_and_a_wrong_date_in_the_url_redirects(client, releases):
    draft = releases.draft()
    get(client, draft.get_absolute_url(), 404)
    release = releases.published()
    wrong = release.get_absolute_url().replace(f"/{release.created_at.year}/", "/2001/")
    response = get(client, wrong, 301)
    assert response["Location"] == release.get_absolute_url()


def test_a_withdrawn_release_stays_with_its_explanation_and_an_unpublished_one_is_gone(client, releases, people):
    withdrawn = releases.published(title="撤回的新闻")
    editorial.withdraw(withdrawn, by=people.publisher, note="数据有误，已更正后另行发布")
    html = get(client, withdrawn.get_absolute_url()).content.decode()
    assert "数据有误" in html
    gone = releases.published(title="下线的新闻")
    editorial.unpublish(gone, by=people.publisher)
    get(client, gone.get_absolute_url(), 410)
    assert "撤回的新闻" not in get(client, "/news/").content.decode()


def test_pending_images_show_a_neutral_placeholder_and_nothing_is_generated(client, releases, assets, people):
    image = assets.image(ready=False)
    release = releases.published(cover=assets.image(), gallery=[(assets.image(), "")])
    # Submission refuses pending media, so a pending image on a public page only happens
    # when it is re-processed later (e.g. reprocess_media --rebuild): set that state up.
    PressRelease.objects.filter(pk=release.pk).update(cover_image=image)
    html = get(client, release.get_absolute_url()).content.decode()
    assert 'class="media-placeholder" role="img" aria-label="园区新材料生产车间"' in html
    assert "aspect-ratio: 800 / 500" in html
    assert not Rendition.objects.filter(image=image).exists()


# --- list -------------------------------------------------------------------------------------------

def test_the_list_is_paginated_newest_first_and_filtered_by_cluster_and_year(client, releases, clusters, settings):
    a = releases.published(title="新一代信息技术新闻", clusters=[clusters[2]])
    b = releases.published(title="生物医药新闻", clusters=[clusters[1]])
    releases.draft(title="草稿新闻")
    html = get(client, "/news/").content.decode()
    assert html.index("生物医药新闻") < html.index("新一代信息技术新闻")
    assert "草稿新闻" not in html
    filtered = get(client, f"/news/?cluster={clusters[1].slug}").content.decode()
    assert "生物医药新闻" in filtered and "新一代信息技术新闻" not in filtered
    year = timezone.localtime(a.first_published_at).year
    assert "生物医药新闻" in get(client, f"/news/?year={year}").content.decode()
    assert "生物医药新闻" not in get(client, f"/news/?year={year - 3}").content.decode()
    assert "生物医药新闻" in get(client, "/news/?year=abc&page=zzz").content.decode()
    for nonsense in ("-5", "0", "99999999999999999999", "1e3"):  # no filter, never a 500
        assert "生物医药新闻" in get(client, f"/news/?year={nonsense}").content.decode()
    assert b.get_absolute_url() in html


def test_the_list_pages_through_many_releases(client, releases):
    for i in range(23):
        releases.published(title=f"新闻第{i:02d}条")
    first = get(client, "/news/").content.decode()
    assert "新闻第22条" in first and "新闻第02条" not in first and "第 1 页，共 2 页" in first
    second = get(client, "/news/?page=2").content.decode()
    assert "新闻第02条" in second and 'rel="prev"' in second


def test_the_list_runs_the_same_number_of_queries_for_three_or_thirteen_releases_with_covers(
    client, releases, assets, clusters, django_assert_num_queries, settings
):
    images = [assets.image() for _ in range(3)]
    for i in range(3):
        releases.published(cover=images[i], clusters=[clusters[0]])
    get(client, "/news/")  # warm the site settings cache
    settings.PARKPORTAL_PAGECACHE_ENABLED = False  # the render's queries, not a page cache hit
    # Clusters, the years span, the count, the page's rows (its ids as a subquery), the
    # covers' crops.
    n = 5
    with django_assert_num_queries(n):
        get(client, "/news/")
    for i in range(10):
        releases.published(cover=images[i % 3], clusters=clusters[:2])
    with django_assert_num_queries(n):
        get(client, "/news/")
    with django_assert_num_queries(n):
        get(client, f"/news/?cluster={clusters[0].slug}")
    with django_assert_num_queries(n):
        get(client, f"/news/?cluster={clusters[0].slug}&year={timezone.now().year}")
    settings.PARKPORTAL_PAGECACHE_ENABLED = True
    get(client, "/news/")
    with django_assert_num_queries(0):  # the page cache's hit
        get(client, "/news/")


def test_the_news_column_is_in_the_main_navigation(client, db):
    assert 'href="/news/"' in get(client, "/").content.decode()


# --- feeds and sitemap -------------------------------------------------------------------------------

@pytest.fixture
def mixed(releases, people):
    live = releases.published(title="公开的新闻")
    releases.draft(title="草稿中的新闻")
    in_review = releases.draft(title="审核中的新闻")
    editorial.submit(in_review, by=people.editor)
    withdrawn = releases.published(title="撤回的新闻")
    editorial.withdraw(withdrawn, by=people.publisher, note="撤回说明")
    gone = releases.published(title="下线的新闻")
    editorial.unpublish(gone, by=people.publisher)
    return live


@pytest.mark.parametrize("url", ["/news/feed/rss/", "/news/feed/atom/"])
def test_the_feeds_list_only_published_releases(client, mixed, url):
    body = get(client, url).content.decode()
    root = ET.fromstring(body)
    titles = [e.text for e in root.iter() if e.tag.endswith("title")]
    assert "公开的新闻" in titles
    for hidden in ("草稿中的新闻", "审核中的新闻", "撤回的新闻", "下线的新闻"):
        assert hidden not in body
    assert mixed.get_absolute_url() in body


@pytest.mark.parametrize("url", ["/zh-hant/news/feed/rss/", "/zh-hant/news/feed/atom/"])
def test_the_traditional_feeds_are_converted_and_link_traditional_pages(client, releases, url):
    live = releases.published(title="园区新闻发布会", summary="乌鲁木齐高新区干部讲解政策")
    with translation.override("zh-hans"):  # an earlier request may have left zh-hant active
        path = live.get_absolute_url()
    body = get(client, url).content.decode()
    root = ET.fromstring(body)  # still well-formed XML after conversion
    titles = [e.text for e in root.iter() if e.tag.endswith("title")]
    # 發布, not 發佈: the Taiwan character standard (s2tw + apps/core/opencc/phrases.txt, issue 15)
    assert "園區新聞發布會" in titles and "园区新闻发布会" not in body
    assert "烏魯木齊高新區幹部" in body
    assert f"/zh-hant{path}" in body


def test_the_sitemap_lists_only_published_releases(client, mixed, releases):
    body = get(client, "/sitemap.xml").content.decode()
    news_urls = re.findall(r"<loc>http://testserver(/news/[^<]+)</loc>", body)
    assert news_urls == [mixed.get_absolute_url()]
    assert "<lastmod>" in body


# --- attachments and originals -------------------------------------------------------------------------

def test_an_attachment_is_served_as_a_download_with_a_restrictive_csp(client, releases, assets):
    attachment = assets.attachment("园区政策汇编")
    release = releases.published(attachments=[attachment])
    response = get(client, f"/news/{release.pk}/attachments/{attachment.pk}/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=utf-8''" in disposition
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_an_attachment_of_a_draft_or_of_another_release_is_not_served(client, releases, assets):
    attachment = assets.attachment()
    draft = releases.draft(attachments=[attachment])
    other = releases.published()
    get(client, f"/news/{draft.pk}/attachments/{attachment.pk}/", 404)
    get(client, f"/news/{other.pk}/attachments/{attachment.pk}/", 404)


def test_originals_are_never_in_public_storage(releases, assets, media_storage):
    image = assets.image()
    public, private = media_storage
    assert (private / image.original.name).exists()
    assert not any(p.name.startswith(image.content_hash) for p in public.rglob("*"))
    assert all(r.file.name.startswith("renditions/") for r in image.renditions.all())
