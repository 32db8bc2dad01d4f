"""Public directory and platform pages: only published, listed entries; filters,
search and pinyin order; valid qualifications and hosted platforms; 47号 column
meta; labelled GET filter form; Traditional URLs; constant SQL queries."""

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.editorial import actions as editorial
from apps.enterprises.models import DirectoryStatus, Enterprise


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_only_published_and_listed_enterprises_are_in_the_directory(client, enterprises):
    enterprises.draft(name="草稿企业有限公司")
    enterprises.published(name="公开企业有限公司")
    enterprises.published(name="不公开企业有限公司", directory_status=DirectoryStatus.NOT_LISTED)
    enterprises.published(name="迁出企业有限公司", directory_status=DirectoryStatus.MOVED_OUT)
    html = html_of(client, "/enterprises/")
    assert "公开企业有限公司" in html
    assert "草稿企业有限公司" not in html and "不公开企业有限公司" not in html and "迁出企业有限公司" not in html
    assert "共 1 家企业" in html


def test_detail_pages_of_drafts_and_unlisted_entries_are_not_found(client, enterprises):
    assert client.get(enterprises.draft().get_absolute_url()).status_code == 404
    hidden = enterprises.published(directory_status=DirectoryStatus.NOT_LISTED)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    moved = enterprises.published(directory_status=DirectoryStatus.MOVED_OUT)
    assert "已迁出园区" in html_of(client, moved.get_absolute_url())


def test_unpublished_enterprise_answers_410(client, enterprises, people):
    item = enterprises.published()
    editorial.unpublish(item, by=people.publisher)
    assert client.get(item.get_absolute_url()).status_code == 410


def test_directory_is_in_pinyin_order(client, enterprises):
    for name in ["中信科技有限公司", "鑫源新材料有限公司", "阿勒泰物流有限公司", "北京博格达有限公司"]:
        enterprises.published(name=name)
    html = html_of(client, "/enterprises/")
    positions = [html.index(n) for n in ["阿勒泰物流", "北京博格达", "鑫源新材料", "中信科技"]]
    assert positions == sorted(positions)


def test_filters_by_cluster_valid_qualification_platform_kind_and_name(client, enterprises, platforms, kinds):
    films = enterprises.published(name="新疆示例薄膜有限公司", cluster=kinds.materials,
                                  qualifications=[{"kind": kinds.high_tech, "valid_until": dt.date(2099, 1, 1)}])
    enterprises.published(name="新疆过期资质有限公司", cluster=kinds.materials,
                          qualifications=[{"kind": kinds.high_tech, "valid_until": dt.date(2020, 1, 1)}])
    energy = enterprises.published(name="新疆示例能源有限公司", cluster=kinds.services)
    platforms.published(name="示例博士后科研工作站", kind=kinds.postdoc, host=energy)
    platforms.draft(name="未发布的孵化器", kind=kinds.incubator, host=films)

    html = html_of(client, f"/enterprises/?cluster={kinds.materials.pk}")
    assert "示例薄膜" in html and "过期资质" in html and "示例能源" not in html
    html = html_of(client, f"/enterprises/?qualification={kinds.high_tech.pk}")
    assert "示例薄膜" in html and "过期资质" not in html
    html = html_of(client, f"/enterprises/?platform_kind={kinds.postdoc.pk}")
    assert "示例能源" in html and "示例薄膜" not in html
    assert "示例薄膜" not in html_of(client, f"/enterprises/?platform_kind={kinds.incubator.pk}")
    html = html_of(client, "/enterprises/?q=薄膜")
    assert "示例薄膜" in html and "示例能源" not in html
    assert "示例能源" in html_of(client, f"/enterprises/?q={energy.credit_code.lower()}")
    assert "共 0 家企业" in html_of(client, "/enterprises/?cluster=abc&q=不存在的名字")


def test_filter_form_is_a_labelled_get_form(client, enterprises):
    html = html_of(client, "/enterprises/")
    form = re.search(r'<form class="filter-form" method="get".*?</form>', html, re.S).group(0)
    for name in ("q", "cluster", "qualification", "platform_kind"):
        field_id = re.search(rf'id="([^"]+)" name="{name}"', form).group(1)
        assert f'<label for="{field_id}">' in form
    assert 'type="submit"' in form


def test_pagination_keeps_the_filters(client, enterprises, kinds, monkeypatch):
    from apps.enterprises import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for i in range(3):
        enterprises.published(name=f"新疆分页企业{i}有限公司", cluster=kinds.it)
    html = html_of(client, f"/enterprises/?cluster={kinds.it.pk}")
    assert f"?cluster={kinds.it.pk}&amp;page=2" in html
    assert "新疆分页企业2有限公司" in html_of(client, f"/enterprises/?cluster={kinds.it.pk}&page=2")


def test_detail_shows_valid_qualifications_hosted_platforms_and_cluster(client, enterprises, platforms, kinds):
    item = enterprises.published(
        name="新疆示例能源有限公司", cluster=kinds.services, description="从事清洁能源开发。",
        qualifications=[
            {"kind": kinds.high_tech, "certificate_number": "GR2024650001", "valid_until": dt.date(2099, 12, 31)},
            {"kind": kinds.sme, "valid_until": dt.date(2020, 12, 31)},
        ],
    )
    platforms.published(name="示例能源博士后科研工作站", kind=kinds.postdoc, host=item)
    platforms.draft(name="未发布平台", kind=kinds.incubator, host=item)
    html = html_of(client, item.get_absolute_url())
    assert "<h1>新疆示例能源有限公司</h1>" in html
    assert "国家高新技术企业" in html and "GR2024650001" in html and "科技型中小企业" not in html
    assert "示例能源博士后科研工作站" in html and "未发布平台" not in html
    assert "现代服务业" in html and item.credit_code in html
    assert '<meta name="ColumnName" content="企业名录">' in html and '<meta name="ColumnType" content="概况信息">' in html
    assert '<meta name="ArticleTitle" content="新疆示例能源有限公司">' in html


def test_public_sees_the_published_version_of_an_enterprise(client, enterprises, people):
    from apps.enterprises import actions

    item = enterprises.published(address="旧地址1号")
    actions.edit_enterprise(item, by=people.editor, fields={"address": "新地址2号"})
    html = html_of(client, item.get_absolute_url())
    assert "旧地址1号" in html and "新地址2号" not in html


def test_traditional_chinese_directory_url(client, enterprises):
    enterprises.published(name="乌鲁木齐高新区软件有限公司")
    html = html_of(client, "/zh-hant/enterprises/")
    assert "烏魯木齊高新區軟件有限公司" in html or "烏魯木齊高新區軟體有限公司" in html
    assert "企業名錄" in html


def test_platform_list_and_detail(client, enterprises, platforms, kinds):
    host = enterprises.published(name="新疆示例能源有限公司")
    hidden_host = enterprises.draft(name="未发布企业有限公司")
    station = platforms.published(name="示例博士后科研工作站", kind=kinds.postdoc, host=host, level="national")
    park = platforms.published(name="丝路之星人力资源服务产业园", kind=kinds.industrial_park, host=hidden_host)
    platforms.draft(name="草稿平台")
    html = html_of(client, "/enterprises/platforms/")
    assert "示例博士后科研工作站" in html and "丝路之星" in html and "草稿平台" not in html
    assert "示例博士后" in html_of(client, f"/enterprises/platforms/?kind={kinds.postdoc.pk}")
    assert "丝路之星" not in html_of(client, "/enterprises/platforms/?level=national")
    html = html_of(client, station.get_absolute_url())
    assert "国家级" in html and host.get_absolute_url() in html
    html = html_of(client, park.get_absolute_url())
    assert "未发布企业有限公司" not in html  # a host that is not public is not named


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_directory_keeps_a_constant_number_of_queries(client, enterprises, platforms, kinds, django_assert_num_queries, settings):
    settings.PARKPORTAL_PAGECACHE_ENABLED = False  # the render's queries, not a page cache hit
    first = enterprises.published(qualifications=[{"kind": kinds.high_tech}])
    url = f"/enterprises/?qualification={kinds.high_tech.pk}&platform_kind="
    client.get("/enterprises/")
    one = _count(client, "/enterprises/")
    one_filtered = _count(client, url)
    for i in range(19):
        item = enterprises.published(qualifications=[{"kind": kinds.high_tech}, {"kind": kinds.gazelle}])
        platforms.published(kind=kinds.incubator, host=item)
    assert Enterprise.objects.listed().count() == 20
    with django_assert_num_queries(one):
        html = client.get("/enterprises/").content.decode()
    assert html.count('class="card-title"') == 20
    assert _count(client, url) == one_filtered
    del first


def test_detail_keeps_a_constant_number_of_queries(client, enterprises, platforms, kinds, settings):
    settings.PARKPORTAL_PAGECACHE_ENABLED = False  # the render's queries, not a page cache hit
    small = enterprises.published(qualifications=[{"kind": kinds.high_tech}])
    large = enterprises.published(qualifications=[
        {"kind": k} for k in (kinds.high_tech, kinds.sme, kinds.gazelle, kinds.little_giant)
    ])
    for i in range(20):
        platforms.published(kind=kinds.incubator, host=large)
    client.get(small.get_absolute_url())
    assert _count(client, large.get_absolute_url()) == _count(client, small.get_absolute_url())


def test_platform_list_keeps_a_constant_number_of_queries(client, enterprises, platforms, kinds, settings):
    settings.PARKPORTAL_PAGECACHE_ENABLED = False  # the render's queries, not a page cache hit
    platforms.published(host=enterprises.published())
    client.get("/enterprises/platforms/")
    one = _count(client, "/enterprises/platforms/")
    for i in range(19):
        platforms.published(host=enterprises.published())
    assert _count(client, "/enterprises/platforms/") == one
