"""The whole-page cache for anonymous readers (apps.core.pagecache_middleware)."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from apps.core import actions as core_actions
from apps.core import pagecache
from apps.core.models import SiteSettings
from apps.editorial import actions as editorial
from tests.editorial.conftest import people  # noqa: F401  (fixture)
from tests.news.conftest import releases  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(db):
    return SiteSettings.objects.create(pk=1, site_name="测试高新区门户", site_domain="www.test-park.gov.cn",
                                       sponsor="测试高新区管委会")


def state(response) -> str | None:
    """What the page cache did: "hit", "miss" (rendered and stored) or None (not cached)."""
    return response.get("X-Page-Cache")


# --- hit and miss ---------------------------------------------------------------------------------

def test_an_anonymous_page_is_rendered_once_then_served_from_the_cache(client, site, django_assert_num_queries):
    first = client.get("/news/")
    assert first.status_code == 200 and state(first) == "miss"
    with django_assert_num_queries(0):
        second = client.get("/news/")
    assert state(second) == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Length"] == str(len(first.content))


def test_feeds_are_cached_and_a_missing_page_is_not(client, site):
    assert [state(client.get("/news/feed/rss/")) for _ in range(2)] == ["miss", "hit"]
    for _ in range(2):
        response = client.get("/news/no-such-page/")
        assert response.status_code == 404 and state(response) is None


@pytest.mark.parametrize("other", ["/zh-hant/news/", "/news/?year=2024", "/news/?page=2", "/news/?year=2024&page=2"])
def test_the_script_and_the_query_string_are_part_of_the_key(client, site, other):
    simplified = client.get("/news/")
    response = client.get(other)
    assert state(response) == "miss"
    assert response.content != simplified.content
    assert state(client.get(other)) == "hit"
    assert state(client.get("/news/")) == "hit"


def test_the_traditional_page_is_stored_converted(client, site):
    client.get("/zh-hant/news/")
    html = client.get("/zh-hant/news/").content.decode()
    assert '<html lang="zh-Hant">' in html and "新聞動態" in html


def test_elder_mode_is_part_of_the_key(client, site, settings):
    plain = client.get("/news/")
    client.cookies[settings.PARKPORTAL_ELDER_COOKIE] = "1"
    elder = client.get("/news/")
    assert state(elder) == "miss" and 'class="elder"' in elder.content.decode()
    assert state(client.get("/news/")) == "hit"
    del client.cookies[settings.PARKPORTAL_ELDER_COOKIE]
    again = client.get("/news/")
    assert state(again) == "hit" and again.content == plain.content


def test_the_host_is_part_of_the_key(client, site):
    client.get("/news/", HTTP_HOST="localhost")
    other = client.get("/news/", HTTP_HOST="127.0.0.1")
    assert state(other) == "miss" and "http://127.0.0.1/news/" in other.content.decode()


# --- who is never served from it ---------------------------------------------------------------------

def test_a_logged_in_reader_is_never_served_from_the_cache_nor_stored(client, site, people):  # noqa: F811
    anonymous = Client()
    anonymous.get("/news/")
    client.force_login(people.editor)
    for _ in range(2):
        response = client.get("/news/")
        assert response.status_code == 200 and state(response) is None
        assert response["Cache-Control"] == "private, no-store"
    assert state(client.get("/")) is None
    assert state(Client().get("/")) == "miss"  # what the editor saw of "/" was never stored


def test_a_session_cookie_is_enough_to_bypass_the_cache(client, site, settings):
    client.get("/news/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    response = client.get("/news/")
    assert response.status_code == 200 and state(response) is None


def test_the_admin_is_never_stored(client, site):
    for _ in range(2):
        response = client.get("/admin/login/")
        assert response.status_code == 200 and state(response) is None


def test_a_share_link_preview_is_never_stored(client, site, releases, people):  # noqa: F811
    draft = releases.draft(title="分享预览的草稿")
    _link, token = editorial.create_preview_link(draft, by=people.editor)
    for _ in range(2):
        response = client.get(f"/preview/{token}/")
        assert response.status_code == 200 and "分享预览的草稿" in response.content.decode()
        assert state(response) is None and "no-store" in response["Cache-Control"]


def test_a_post_is_never_answered_from_the_cache(client, site):
    client.get("/news/")
    response = client.post("/news/")
    assert response.status_code == 405 and state(response) is None


def test_head_is_answered_from_the_cache_without_a_body(client, site):
    body = client.get("/news/").content
    response = client.head("/news/")
    assert response.status_code == 200 and state(response) == "hit"
    assert response.content == b"" and response["Content-Length"] == str(len(body))


# --- forms on cached pages ------------------------------------------------------------------------

def test_the_elder_toggle_on_a_cached_page_works_for_a_new_visitor(site, settings):
    Client().get("/news/?page=1")  # someone else's visit stores the page
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/news/?page=1")
    assert state(page) == "hit" and not page.cookies
    html = page.content.decode()
    assert "csrfmiddlewaretoken" not in html  # no reader's token on a shared page
    form = re.search(r'<form class="elder-toggle" method="post" action="([^"]+)">(.*?)</form>', html, re.S)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(2)))
    response = visitor.post(form.group(1), fields, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 302 and response["Location"] == "/news/?page=1"
    assert response.cookies[settings.PARKPORTAL_ELDER_COOKIE].value == "1"
    assert 'class="elder"' in visitor.get("/news/?page=1").content.decode()


def test_the_elder_toggle_refuses_a_post_from_another_site(site, settings):
    visitor = Client(enforce_csrf_checks=True)
    for header in ({"HTTP_ORIGIN": "https://evil.example"}, {"HTTP_ORIGIN": "null"},
                   {"HTTP_REFERER": "https://evil.example/page"}):
        response = visitor.post("/preferences/elder-mode/", {"on": "1", "next": "/"}, **header)
        assert response.status_code == 403 and settings.PARKPORTAL_ELDER_COOKIE not in response.cookies
    response = visitor.post("/preferences/elder-mode/", {"on": "1", "next": "/"},
                            HTTP_REFERER="http://testserver/news/")
    assert response.status_code == 302


# --- HTTP caching -----------------------------------------------------------------------------------

def test_public_pages_carry_validators_and_shared_cache_headers(client, site):
    for response in (client.get("/news/"), client.get("/news/")):
        assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"])
        assert response["Last-Modified"].endswith(" GMT")
        assert response["Cache-Control"] == "public, max-age=0, s-maxage=5"
        assert "Cookie" in response["Vary"]
        assert "Set-Cookie" not in response


def test_a_conditional_get_is_answered_304(client, site):
    first = client.get("/news/")
    again = client.get("/news/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
    since = client.get("/news/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    changed = client.get("/news/", HTTP_IF_NONE_MATCH='"something-else"')
    assert changed.status_code == 200 and changed.content == first.content


def test_the_first_render_also_answers_a_conditional_get(client, site):
    etag = client.get("/news/")["ETag"]
    pagecache.content_changed()
    response = client.get("/news/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304  # rendered again: same bytes, same ETag
    assert state(client.get("/news/")) == "hit"  # and stored


# --- invalidation ------------------------------------------------------------------------------------

def test_content_changed_makes_every_cached_page_stale(client, site, django_capture_on_commit_callbacks):
    for url in ("/news/", "/zh-hant/news/", "/"):
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.content_changed()
    assert [state(client.get(url)) for url in ("/news/", "/zh-hant/news/", "/")] == ["miss"] * 3


def test_content_changed_inside_a_transaction_also_bumps_at_once(client, site):
    client.get("/news/")
    before = pagecache.generation()
    pagecache.content_changed()  # the test runs inside a transaction that is never committed
    assert pagecache.generation() > before
    assert state(client.get("/news/")) == "miss"


def test_a_site_settings_edit_shows_on_a_cached_page(client, site, make_user, django_capture_on_commit_callbacks):
    admin = make_user("site-admin", superuser=True)
    assert "测试高新区管委会" in client.get("/").content.decode()
    site.sponsor = "新的主办单位"
    with django_capture_on_commit_callbacks(execute=True):
        core_actions.update_site_settings(site, by=admin, changed_fields=["sponsor"])
    html = client.get("/").content.decode()
    assert "新的主办单位" in html and "测试高新区管委会" not in html


def test_a_site_settings_edit_in_the_admin_shows_on_a_cached_page(admin_client, client, site,
                                                                   django_capture_on_commit_callbacks):
    client.get("/news/")
    data = {"site_name": "改名后的门户", "site_domain": site.site_domain, "sponsor": site.sponsor}
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post("/admin/core/sitesettings/1/change/", data).status_code == 302
    assert "改名后的门户" in client.get("/news/").content.decode()


def test_a_cached_page_lives_no_longer_than_the_setting(client, site, settings):
    settings.PARKPORTAL_PAGECACHE_TIMEOUT = 60
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get("/news/")
    with time_machine.travel(start + dt.timedelta(seconds=59), tick=False):
        assert state(client.get("/news/")) == "hit"
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        assert state(client.get("/news/")) == "miss"


def test_a_cached_page_expires_at_the_next_scheduled_change(client, site, monkeypatch):
    start = timezone.now().replace(microsecond=0)
    go_live = start + dt.timedelta(seconds=90)
    monkeypatch.setattr(pagecache, "_next_change_providers", [])
    pagecache.register_next_change(lambda now: go_live if now < go_live else None)
    with time_machine.travel(start, tick=False):
        first = client.get("/news/")
        assert state(first) == "miss" and first["Cache-Control"] == "public, max-age=0, s-maxage=5"
    with time_machine.travel(go_live - dt.timedelta(seconds=3), tick=False):
        near = client.get("/news/")
        assert state(near) == "hit" and near["Cache-Control"] == "public, max-age=0, s-maxage=3"
    with time_machine.travel(go_live + dt.timedelta(seconds=1), tick=False):
        assert state(client.get("/news/")) == "miss"


def test_nothing_is_stored_right_at_a_scheduled_change(client, site, monkeypatch):
    now = timezone.now()
    monkeypatch.setattr(pagecache, "_next_change_providers", [])
    pagecache.register_next_change(lambda _now: now + dt.timedelta(milliseconds=500))
    with time_machine.travel(now, tick=False):
        assert state(client.get("/news/")) is None
        assert state(client.get("/news/")) is None


def test_a_lost_generation_starts_afresh_and_never_matches_an_older_entry(client, site):
    from django.core.cache import cache

    client.get("/news/")
    cache.delete(pagecache.GENERATION_KEY)  # evicted
    assert state(client.get("/news/")) == "miss"
    assert pagecache.generation() > 1_000_000


def test_an_industry_cluster_renamed_in_the_admin_shows_on_a_cached_page(admin_client, client, site,
                                                                          django_capture_on_commit_callbacks):
    from apps.core.models import AuditEntry, IndustryCluster

    cluster = IndustryCluster.objects.ordered().first()
    assert cluster.name in client.get("/news/").content.decode()
    data = {"name": "改名后的产业", "slug": cluster.slug, "role": cluster.role, "position": cluster.position,
            "description": cluster.description}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/core/industrycluster/{cluster.pk}/change/", data)
    assert response.status_code == 302
    assert "改名后的产业" in client.get("/news/").content.decode()
    assert AuditEntry.objects.filter(action="core.save_cluster", object_id=str(cluster.pk)).exists()


def test_an_industry_cluster_deleted_in_the_admin_leaves_the_cached_page(admin_client, client, site):
    from apps.core.models import IndustryCluster

    cluster = IndustryCluster.objects.create(name="临时产业", slug="temporary", role=IndustryCluster.objects.first().role)
    assert "临时产业" in client.get("/news/").content.decode()
    response = admin_client.post(f"/admin/core/industrycluster/{cluster.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert "临时产业" not in client.get("/news/").content.decode()
