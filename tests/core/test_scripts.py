"""Simplified / Traditional: phrase-level conversion, URLs, canonical and hreflang."""

import re

import pytest

from apps.core.models import IndustryCluster
from apps.core.scripts import contains_pinyin_annotation, strip_pinyin_annotations, to_traditional

# Any CJK character followed by a parenthesised, tone-marked pinyin syllable.
ANNOTATION = re.compile(r"[\u4e00-\u9fff][（(][^)）]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][^)）]*[)）]")


@pytest.mark.parametrize(
    "simplified, traditional",
    [
        ("头发", "頭髮"),  # 发 → 髮 here, not 發: phrase-level, not character-level
        ("干部", "幹部"),
        ("乌鲁木齐高新区", "烏魯木齊高新區"),
        ("发展", "發展"),
        ("理发", "理髮"),
    ],
)
def test_conversion_is_phrase_by_phrase(simplified, traditional):
    assert to_traditional(simplified) == traditional


def test_conversion_never_inserts_pinyin():
    text = "乌鲁木齐高新区（新市区）是新疆第一个国家级高新区，干部头发都白了。"
    converted = to_traditional(text)
    assert not ANNOTATION.search(converted)
    assert "(" not in converted and "qū" not in converted


@pytest.mark.parametrize(
    "broken, clean",
    [
        ("高新区(qū)", "高新区"),
        ("區(qū)域", "區域"),
        ("新市区（qū）管委会", "新市区管委会"),
        ("高(gāo)新(xīn)区(qū)", "高新区"),
        ("乌鲁木齐(wū lǔ mù qí)", "乌鲁木齐"),
    ],
)
def test_pinyin_annotations_are_stripped_from_pasted_text(broken, clean):
    assert contains_pinyin_annotation(broken)
    assert strip_pinyin_annotations(broken) == clean


@pytest.mark.parametrize(
    "text",
    ["人工智能(AI)产业", "第一季度(Q1)", "产值(亿元)", "函数 f(x)", "园区(2022年)排名"],
)
def test_ordinary_parentheses_are_left_alone(text):
    assert not contains_pinyin_annotation(text)
    assert strip_pinyin_annotations(text) == text


def test_every_public_url_exists_under_the_traditional_prefix(client, db):
    for path in ["/", "/news/", "/enterprises/", "/talent/", "/stations/", "/services/"]:
        simplified = client.get(path)
        traditional = client.get("/zh-hant" + path)
        assert simplified.status_code == 200, path
        assert traditional.status_code == 200, path


def test_traditional_page_is_converted_and_says_so(client, db):
    html = client.get("/zh-hant/").content.decode()
    assert '<html lang="zh-Hant"' in html
    assert "新聞動態" in html and "新闻动态" not in html
    assert "自動轉換" in html  # the machine-conversion notice, itself converted


def test_simplified_page_is_not_converted_and_has_no_notice(client, db):
    html = client.get("/").content.decode()
    assert '<html lang="zh-Hans"' in html
    assert "新闻动态" in html
    assert "自动转换" not in html


def test_both_versions_carry_canonical_and_hreflang_alternates(client, db):
    for path, canonical in [("/news/", "http://testserver/news/"), ("/zh-hant/news/", "http://testserver/zh-hant/news/")]:
        html = client.get(path).content.decode()
        assert f'<link rel="canonical" href="{canonical}">' in html
        assert '<link rel="alternate" hreflang="zh-Hans" href="http://testserver/news/">' in html
        assert '<link rel="alternate" hreflang="zh-Hant" href="http://testserver/zh-hant/news/">' in html
        assert '<link rel="alternate" hreflang="x-default" href="http://testserver/news/">' in html


def test_no_public_page_emits_a_pinyin_annotation_even_from_dirty_data(client, db):
    IndustryCluster.objects.create(
        name="氢能", slug="hydrogen", role="emerging", description="新市区(qū)氢能产业园区（qū）试点"
    )
    for path in ["/", "/zh-hant/"]:
        html = client.get(path).content.decode()
        assert "氫能" in html or "氢能" in html
        assert not ANNOTATION.search(html), path


def test_admin_is_never_converted(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "管理后台" in html  # Simplified site header
    assert admin_client.get("/zh-hant/admin/").status_code == 404


def test_navigation_and_script_links_follow_the_language_in_either_order(client, db):
    """Column URLs and script links are memoised per language: a Traditional page after
    a Simplified one (and back) still links inside its own script."""
    for path in ["/news/", "/zh-hant/news/", "/news/", "/zh-hant/news/"]:
        html = client.get(path).content.decode()
        prefix = "/zh-hant" if path.startswith("/zh-hant/") else ""
        assert f'<a href="{prefix}/enterprises/"' in html, path
        other = "/zh-hant/news/" if not prefix else "/news/"
        assert f'href="http://testserver{other}"' in html, path


def test_the_neutral_path_of_a_traditional_page_is_its_simplified_path():
    from apps.core.scripts import neutral_path

    assert neutral_path("/zh-hant/news/1/") == "/news/1/"
    assert neutral_path("/zh-hant") == "/"
    assert neutral_path("/zh-hant/") == "/"
    assert neutral_path("/news/1/") == "/news/1/"
    assert neutral_path("/zh-hantx/") == "/zh-hantx/"
