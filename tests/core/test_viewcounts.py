"""浏览次数: counted in the shared cache (page-cache hits included), bots ignored,
flushed to the database exactly once, on the file cache and on Redis."""

import os
import threading

import pytest
from django.core.cache import cache
from django.utils import translation

from apps.core import viewcounts
from apps.core.models import SiteSettings, ViewCount
from tests.conftest import missing
from tests.editorial.conftest import people  # noqa: F401  (fixture)
from tests.news.conftest import releases  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
BOTS = [
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "python-requests/2.32.3",
    "curl/8.5.0",
    "",
]


@pytest.fixture(params=["file", "redis"])
def counter_cache(request, settings, tmp_path):
    """The two shared caches the portal runs on: the file cache (embedded default) and Redis."""
    if request.param == "file":
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                                       "LOCATION": str(tmp_path / "cache")}}
    else:
        url = os.environ.get("REDIS_URL")
        if not url:
            missing("REDIS_URL is not set")
        settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": url,
                                       "KEY_PREFIX": f"viewcount-test-{os.getpid()}"}}
        cache.delete_pattern("*")
    settings.PARKPORTAL_VIEWCOUNT_LOCK_FILE = str(tmp_path / "viewcounts.lock")
    yield request.param
    if request.param == "redis":
        cache.delete_pattern("*")


@pytest.fixture
def site(db):
    return SiteSettings.objects.create(pk=1, site_name="测试高新区门户", site_domain="www.test-park.gov.cn",
                                       sponsor="测试高新区管委会")


def test_views_are_counted_on_page_cache_hits_and_misses_and_the_mark_never_leaves(
    client, site, releases, counter_cache  # noqa: F811
):
    release = releases.published()
    with translation.override("zh-hans"):
        url = release.get_absolute_url()
    first = client.get(url, HTTP_USER_AGENT=BROWSER)
    second = client.get(url, HTTP_USER_AGENT=BROWSER)
    third = client.get("/zh-hant" + url, HTTP_USER_AGENT=BROWSER)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert third.status_code == 200
    for response in (first, second, third):
        assert viewcounts.HEADER not in response
    assert viewcounts.peek("news.pressrelease", release.pk) == 3
    assert ViewCount.objects.count() == 0  # no database write per request


def test_bots_head_requests_prefetches_and_lists_are_not_counted(client, site, releases, counter_cache):  # noqa: F811
    release = releases.published()
    url = release.get_absolute_url()
    for agent in BOTS:
        assert client.get(url, HTTP_USER_AGENT=agent).status_code == 200
    client.head(url, HTTP_USER_AGENT=BROWSER)
    client.get(url, HTTP_USER_AGENT=BROWSER, HTTP_SEC_PURPOSE="prefetch")
    client.get("/news/", HTTP_USER_AGENT=BROWSER)
    assert viewcounts.peek("news.pressrelease", release.pk) == 0
    client.get(url, HTTP_USER_AGENT=BROWSER)
    assert viewcounts.peek("news.pressrelease", release.pk) == 1


def test_a_flush_moves_each_view_into_the_database_exactly_once(client, site, releases, counter_cache):  # noqa: F811
    one, two = releases.published(), releases.published()
    for _ in range(3):
        client.get(one.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    client.get(two.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    assert viewcounts.flush() == 4
    assert viewcounts.flush() == 0  # a second run finds nothing left
    assert viewcounts.count_of(one) == 3 and viewcounts.count_of(two) == 1
    client.get(one.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    assert viewcounts.flush() == 1
    assert viewcounts.count_of(one) == 4
    assert viewcounts.peek("news.pressrelease", one.pk) == 0


def test_the_page_shows_the_flushed_figure(client, site, releases, counter_cache, settings):  # noqa: F811
    release = releases.published()
    for _ in range(2):
        client.get(release.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    viewcounts.flush()
    settings.PARKPORTAL_PAGECACHE_ENABLED = False
    assert "浏览次数：2" in client.get(release.get_absolute_url()).content.decode()


def test_counting_and_taking_at_once_never_loses_nor_doubles_a_view(counter_cache):
    """Writers increment while takers take, concurrently: every view is taken exactly once."""
    key = viewcounts.key_for("news.pressrelease", 1)
    per_writer, writers = 150, 4
    taken = []
    done = threading.Event()

    def write():
        for _ in range(per_writer):
            viewcounts.increment("news.pressrelease", 1)

    def take():
        while not done.is_set():
            taken.append(viewcounts.take([key]).get(key, 0))

    takers = [threading.Thread(target=take) for _ in range(2)]
    threads = [threading.Thread(target=write) for _ in range(writers)]
    for t in takers + threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    for t in takers:
        t.join()
    taken.append(viewcounts.take([key]).get(key, 0))
    assert sum(taken) == per_writer * writers


def test_the_known_bot_list_comes_from_the_maintained_package():
    assert all(viewcounts.is_bot(agent) for agent in BOTS)
    assert not viewcounts.is_bot(BROWSER)
    assert not viewcounts.is_bot("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
                                 "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1 MicroMessenger/8.0.47")
