"""End to end: a page cached for anonymous readers shows each change the public can see
right after the action that made it (issue 9: one test per such action)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from apps.core.models import SiteSettings
from apps.editorial import actions as editorial
from tests.editorial.conftest import people  # noqa: F401  (fixture)
from tests.media.conftest import media_queues, media_storage  # noqa: F401  (fixtures)
from tests.news.conftest import assets, refresh, releases  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)

LIST = "/news/"


@pytest.fixture
def site(db):
    return SiteSettings.objects.create(pk=1, site_name="测试高新区门户", site_domain="www.test-park.gov.cn",
                                       sponsor="测试高新区管委会")


def cached(client, url=LIST) -> str:
    """The page as an anonymous reader gets it, after making sure it is in the cache."""
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200 and response["X-Page-Cache"] == "hit"
    return response.content.decode()


def fresh(client, url=LIST):
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"  # the change made the cached copy stale
    return response


def approved(releases, people, **fields):  # noqa: F811
    release = releases.draft(**fields)
    editorial.submit(release, by=people.editor)
    editorial.approve(release, by=people.reviewer)
    editorial.approve(release, by=people.publisher, publish=False)
    return refresh(release)


def test_publish_shows_at_once_on_a_cached_list(client, site, releases, people):  # noqa: F811
    release = approved(releases, people, title="新发布的园区新闻")
    assert "新发布的园区新闻" not in cached(client)
    editorial.publish(release, by=people.publisher2)
    assert "新发布的园区新闻" in fresh(client).content.decode()


def test_urgent_publish_shows_at_once_on_a_cached_list(client, site, releases, people):  # noqa: F811
    release = releases.draft(title="紧急发布的通知")
    editorial.submit(release, by=people.editor)
    assert "紧急发布的通知" not in cached(client)
    editorial.urgent_publish(refresh(release), by=people.publisher, reason="突发事件需立即告知公众")
    assert "紧急发布的通知" in fresh(client).content.decode()


@pytest.mark.parametrize("takedown", ["withdraw", "unpublish"])
def test_a_takedown_leaves_a_cached_list_at_once(client, site, releases, people, takedown):  # noqa: F811
    release = releases.published(title="即将撤下的新闻")
    assert "即将撤下的新闻" in cached(client)
    assert "即将撤下的新闻" in cached(client, release.get_absolute_url())
    getattr(editorial, takedown)(release, by=people.publisher, note="内容已过时")
    assert "即将撤下的新闻" not in fresh(client).content.decode()
    detail = client.get(release.get_absolute_url())
    assert detail.get("X-Page-Cache") != "hit"
    if takedown == "withdraw":  # stays online with a dated public explanation
        assert "内容已过时" in detail.content.decode()
    else:
        assert detail.status_code == 410


def test_archiving_a_taken_down_item_is_seen_at_once(client, site, releases, people):  # noqa: F811
    release = releases.published(title="归档的新闻")
    editorial.unpublish(release, by=people.publisher, redirect_url=LIST)
    assert client.get(release.get_absolute_url()).status_code == 301
    cached(client)
    editorial.archive(refresh(release), by=people.publisher)
    fresh(client)


def test_a_scheduled_go_live_and_expiry_change_a_cached_list_at_that_moment(client, site, releases, people):  # noqa: F811
    release = approved(releases, people, title="定时发布的新闻")
    go_live = timezone.now() + timedelta(hours=1)
    expire = go_live + timedelta(days=1)
    editorial.schedule(release, by=people.publisher2, go_live_at=go_live, expire_at=expire)
    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        assert "定时发布的新闻" not in cached(client)
    with time_machine.travel(go_live + timedelta(seconds=1), tick=False):
        editorial.publish_due()  # beat, every minute
        assert "定时发布的新闻" in fresh(client).content.decode()
        cached(client)
    with time_machine.travel(expire + timedelta(seconds=1), tick=False):
        editorial.publish_due()
        assert "定时发布的新闻" not in fresh(client).content.decode()


def test_reprocessing_an_image_a_live_page_shows_refreshes_the_cached_page(client, site, releases, people, assets):  # noqa: F811
    from apps.media import actions as media

    image = assets.image()
    release = releases.published(title="配图新闻", cover=image)
    cached(client, release.get_absolute_url())
    media.reprocess(image, by=people.editor)
    fresh(client, release.get_absolute_url())

