"""Pinned SQL query counts of the public pages: the directory (one page and more than
one page of data), the enterprise detail (small and large entries: qualifications,
hosted platforms, photos, related news) and the platform detail. A change that adds
a query per row fails here; a change that adds one fixed query updates the numbers."""

import pytest

from apps.editorial import actions as editorial

from .conftest import refresh

# Per page view, whatever the number of rows:
# directory: count, clusters, qualification kinds, platform kinds (the filter form),
#   the page's enterprises (cluster and logo joined), their valid qualifications, the logos' crops.
DIRECTORY_QUERIES = 7
# enterprise: the enterprise (cluster and logo joined), valid qualifications, hosted platforms,
#   related news, photos (images joined), renditions of the logo and photos, change notes.
ENTERPRISE_QUERIES = 7
# platform: the platform (kind and host joined), photos (images joined), renditions, change notes.
PLATFORM_QUERIES = 4

@pytest.fixture
def pictures(assets):
    """A logo and two photos, shared by every entry (processing an image is slow)."""

    class Pictures:
        logo = assets.image(alt_text="企业标志", caption="")
        photos = [assets.image(alt_text="生产车间"), assets.image(alt_text="研发中心")]

    return Pictures


@pytest.fixture
def mention(releases, people):
    def make(enterprise, n=1):
        for _ in range(n):
            release = releases.draft()
            editorial.save_draft(refresh(release), by=people.editor, m2m={"enterprises": [enterprise.pk]})
            release = refresh(release)
            editorial.submit(release, by=people.editor)
            editorial.approve(release, by=people.reviewer)
            editorial.approve(release, by=people.publisher, publish=False)
            editorial.publish(release, by=people.publisher2)

    return make


def test_directory_query_count_is_the_same_for_one_and_thirty_enterprises(
    client, enterprises, platforms, kinds, pictures, django_assert_num_queries, settings
):
    settings.PARKPORTAL_PAGECACHE_ENABLED = False  # the render's queries, not a page cache hit
    def add():
        item = enterprises.published(
            logo=pictures.logo, qualifications=[{"kind": kinds.high_tech}, {"kind": kinds.gazelle}]
        )
        platforms.published(kind=kinds.incubator, host=item)

    add()
    client.get("/enterprises/")  # warm the content-type and site caches
    for url in ("/enterprises/", f"/enterprises/?qualification={kinds.high_tech.pk}&platform_kind={kinds.incubator.pk}"):
        with django_assert_num_queries(DIRECTORY_QUERIES):
            assert client.get(url).content.decode().count('class="card-title"') == 1
    for _ in range(29):
        add()
    for url, shown in (
        ("/enterprises/", 20), ("/enterprises/?page=2", 10),
        (f"/enterprises/?qualification={kinds.high_tech.pk}&platform_kind={kinds.incubator.pk}&page=2", 10),
    ):
        with django_assert_num_queries(DIRECTORY_QUERIES):
            html = client.get(url).content.decode()
        assert html.count('class="card-title"') == shown and html.count('alt="企业标志"') == shown


def test_enterprise_detail_query_count_is_the_same_for_small_and_large_entries(
    client, enterprises, platforms, kinds, pictures, mention, django_assert_num_queries, settings
):
    settings.PARKPORTAL_PAGECACHE_ENABLED = False  # the render's queries, not a page cache hit
    small = enterprises.published(photos=[{"image": pictures.photos[0]}])
    mention(small)
    large = enterprises.published(
        logo=pictures.logo,
        qualifications=[{"kind": k} for k in (kinds.high_tech, kinds.sme, kinds.gazelle, kinds.little_giant)],
        photos=[{"image": pictures.photos[i % 2], "caption": f"图{i}"} for i in range(12)],
    )
    for _ in range(8):
        platforms.published(kind=kinds.incubator, host=large)
    mention(large, 7)
    client.get(small.get_absolute_url())
    for item, photos, news in ((small, 1, 1), (large, 12, 5)):
        with django_assert_num_queries(ENTERPRISE_QUERIES):
            html = client.get(item.get_absolute_url()).content.decode()
        related = html.split("<h2>相关新闻</h2>", 1)[1].split("</ul>", 1)[0]
        assert html.count("<figure>") == photos and related.count("<li>") == news


def test_platform_detail_query_count_is_the_same_for_small_and_large_entries(
    client, enterprises, platforms, kinds, pictures, django_assert_num_queries, settings
):
    settings.PARKPORTAL_PAGECACHE_ENABLED = False  # the render's queries, not a page cache hit
    small = platforms.published(photos=[{"image": pictures.photos[0]}])
    large = platforms.published(
        host=enterprises.published(), photos=[{"image": pictures.photos[i % 2]} for i in range(10)]
    )
    client.get(small.get_absolute_url())
    for item, photos in ((small, 1), (large, 10)):
        with django_assert_num_queries(PLATFORM_QUERIES):
            html = client.get(item.get_absolute_url()).content.decode()
        assert html.count("<figure>") == photos
