"""The portal shell: 47号 footer and meta, navigation, landmarks, elder mode, query counts."""

import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection

from apps.core.models import IndustryCluster, SiteSettings


@pytest.fixture
def site(db):
    return SiteSettings.objects.create(
        pk=1,
        site_name="测试高新区门户",
        site_domain="www.test-park.gov.cn",
        site_id_code="6501040099",
        sponsor="测试高新区管委会",
        organizer="测试党政办",
        icp_number="新ICP备12345678号-1",
        police_number="新公网安备 65010402000001号",
        conac_url="https://bszs.conac.cn/sitename?method=show&id=TEST",
        address="乌鲁木齐市测试路1号",
        postcode="830011",
        phone="0991-1234567",
        email="contact@test-park.gov.cn",
    )


def test_footer_shows_every_47_field_from_site_settings(client, site):
    html = client.get("/").content.decode()
    for label, value in [
        ("主办单位", "测试高新区管委会"),
        ("承办单位", "测试党政办"),
        ("网站标识码", "6501040099"),
        ("ICP备案号", "新ICP备12345678号-1"),
        ("公网安备号", "新公网安备 65010402000001号"),
        ("地址", "乌鲁木齐市测试路1号"),
        ("联系电话", "0991-1234567"),
        ("电子邮箱", "contact@test-park.gov.cn"),
    ]:
        assert f"<dt>{label}</dt><dd>" in html, label
        assert value in html, value
    assert 'href="https://beian.miit.gov.cn/"' in html
    assert 'alt="党政机关网站标识"' in html
    assert 'href="https://bszs.conac.cn/sitename?method=show&amp;id=TEST"' in html


def test_site_meta_tags_on_every_page(client, site):
    for path in ["/", "/news/", "/services/"]:
        html = client.get(path).content.decode()
        assert '<meta name="SiteName" content="测试高新区门户">' in html
        assert '<meta name="SiteDomain" content="www.test-park.gov.cn">' in html
        assert '<meta name="SiteIDCode" content="6501040099">' in html


def test_column_meta_tags_are_filled_by_child_templates(client, site):
    home = client.get("/").content.decode()
    assert '<meta name="ColumnName" content="首页">' in home
    assert '<meta name="ColumnType" content="首页">' in home
    news = client.get("/news/").content.decode()
    assert '<meta name="ColumnName" content="新闻动态">' in news


def test_site_settings_changes_show_on_the_next_page_view(
    admin_client, site, client, django_capture_on_commit_callbacks
):
    client.get("/")  # warm the cache
    data = {
        field: getattr(site, field)
        for field in ["site_name", "site_domain", "site_id_code", "sponsor", "organizer", "icp_number",
                      "police_number", "conac_url", "address", "postcode", "phone", "email"]
    }
    data["sponsor"] = "新的主办单位"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post("/admin/core/sitesettings/1/change/", data)
    assert response.status_code == 302
    assert len(callbacks) == 1  # the cached copy is dropped only after commit
    assert "新的主办单位" in client.get("/").content.decode()
    site.refresh_from_db()
    assert site.updated_by.username == "admin"


def test_site_settings_edit_is_audited(admin_client, site):
    from apps.core.models import AuditEntry

    data = {f: getattr(site, f) for f in ["site_name", "site_domain", "site_id_code", "sponsor", "organizer",
                                           "icp_number", "police_number", "conac_url", "address", "postcode",
                                           "phone", "email"]}
    data["phone"] = "0991-7654321"
    admin_client.post("/admin/core/sitesettings/1/change/", data)
    entry = AuditEntry.objects.get(action="core.update_site_settings")
    assert entry.actor.username == "admin"
    assert entry.data["fields"] == ["phone"]


def test_invalid_site_id_code_is_refused_with_a_chinese_message(admin_client, site):
    data = {f: getattr(site, f) for f in ["site_name", "site_domain", "sponsor"]}
    data["site_id_code"] = "12AB"
    response = admin_client.post("/admin/core/sitesettings/1/change/", data)
    assert response.status_code == 200
    assert "政府网站标识码应为10位数字。" in response.content.decode()
    site.refresh_from_db()
    assert site.site_id_code == "6501040099"


def test_pages_render_on_an_empty_database_without_site_settings(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert '<meta name="SiteName"' in response.content.decode()


def test_landmarks_skip_link_and_navigation(client, site):
    html = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main">跳转到主要内容</a>' in html
    assert '<main id="main"' in html
    assert '<header class="site-header">' in html and "<footer" in html
    assert 'aria-label="主导航"' in html
    for label, url in [("新闻动态", "/news/"), ("企业名录", "/enterprises/"), ("人才项目", "/talent/"),
                       ("创业服务站", "/stations/"), ("办事服务", "/services/")]:
        assert f'<a href="{url}">{label}</a>' in html
    assert html.count("<h1>") == 1


def test_current_column_is_marked_for_screen_readers(client, site):
    html = client.get("/").content.decode()
    assert '<a href="/" aria-current="page">首页</a>' in html


def test_coming_soon_columns_carry_a_47_column_type_and_are_marked_current(client, site):
    from apps.portal.navigation import MAIN_NAVIGATION

    standard = {"工作动态", "专题专栏", "办事服务", "概况信息", "政策文件", "数据发布", "互动交流"}
    for column in MAIN_NAVIGATION:
        assert column.column_type in standard
    html = client.get("/talent/").content.decode()
    assert '<meta name="ColumnType" content="专题专栏">' in html
    assert '<a href="/talent/" aria-current="page">人才项目</a>' in html


def test_home_page_keeps_a_constant_number_of_queries_as_clusters_grow(client, site):
    client.get("/")  # site settings now cached

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx)

    before = count()
    for i in range(25):
        IndustryCluster.objects.create(name=f"集群{i}", slug=f"cluster-{i}", role="emerging")
    assert count() == before


def test_home_page_query_count(client, site, django_assert_num_queries, settings):
    client.get("/")
    settings.PARKPORTAL_PAGECACHE_ENABLED = False  # the render's queries, not a page cache hit
    # clusters, latest news, pages, open rounds and published stations (their hours only
    # when there are any), the newest policy documents and consultation replies; site
    # settings come from the cache. Latest news (issue 15) and the policy and
    # consultation lists (issue 14) added one query each: 4 → 7.
    with django_assert_num_queries(7):
        client.get("/")


# --- Elder mode (适老化) -----------------------------------------------------------

def test_elder_mode_is_off_by_default(client, site):
    html = client.get("/").content.decode()
    assert 'class="elder"' not in html
    assert "长者模式（大字体、高对比度）" in html


def test_elder_mode_toggle_works_without_javascript_and_is_remembered(client, site, settings):
    response = client.post("/preferences/elder-mode/", {"on": "1", "next": "/news/"})
    assert response.status_code == 302
    assert response["Location"] == "/news/"
    cookie = response.cookies[settings.PARKPORTAL_ELDER_COOKIE]
    assert cookie.value == "1" and int(cookie["max-age"]) > 30 * 24 * 3600
    html = client.get("/news/").content.decode()
    assert '<html lang="zh-Hans" class="elder">' in html
    assert "退出长者模式" in html
    response = client.post("/preferences/elder-mode/", {"on": "0", "next": "/"})
    assert 'class="elder"' not in client.get("/").content.decode()


def test_elder_mode_toggle_is_available_under_the_traditional_prefix(client, site):
    response = client.post("/zh-hant/preferences/elder-mode/", {"on": "1", "next": "/zh-hant/"})
    assert response["Location"] == "/zh-hant/"
    html = client.get("/zh-hant/").content.decode()
    assert 'class="elder"' in html and "退出長者模式" in html


def test_elder_mode_toggle_refuses_to_redirect_off_site(client, site):
    response = client.post("/preferences/elder-mode/", {"on": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_elder_mode_toggle_changes_nothing_on_get(client, site, settings):
    response = client.get("/preferences/elder-mode/?on=1")
    assert response.status_code == 405
    assert settings.PARKPORTAL_ELDER_COOKIE not in response.cookies


def test_elder_stylesheet_has_large_text_and_line_spacing():
    from pathlib import Path
    import re

    css = (Path(__file__).resolve().parents[2] / "static/css/portal.css").read_text()
    size = re.search(r"html\.elder \{ font-size: (\d+(?:\.\d+)?)%; \}", css)
    spacing = re.search(r"html\.elder body \{ line-height: (\d+(?:\.\d+)?);", css)
    assert size and float(size.group(1)) >= 125
    assert spacing and float(spacing.group(1)) >= 1.3


def test_unknown_page_is_a_friendly_404_in_the_shell(client, site):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and '<meta name="robots" content="noindex">' in html
