"""A page's related links are http(s) or site paths: refused on input, neutralised on
output (public page, the reviewer's admin preview, share-link previews). Issue 10 #2."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from apps.editorial import actions
from apps.pages.models import PageLink
from apps.core.urls_safety import is_safe_url, validate_safe_url
from tests.editorial.conftest import refresh
from tests.editorial.test_admin import CHANGE, client_for, form_data

UNSAFE = [
    "javascript:alert(1)",
    "  JaVaScRiPt:alert(document.cookie)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "https:evil",
    "ftp://files.example/",
    "services/",
]
SAFE = ["/services/", "/zh-hant/pages/policy/?a=1#x", "https://www.gov.cn/", "http://example.com.cn/a b"]


@pytest.mark.parametrize("url", UNSAFE)
def test_unsafe_urls_are_refused_by_the_shared_validator(url):
    assert not is_safe_url(url)
    with pytest.raises(ValidationError):
        validate_safe_url(url)


@pytest.mark.parametrize("url", SAFE)
def test_http_and_site_paths_are_accepted(url):
    assert is_safe_url(url)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "  JaVaScRiPt:alert(1)",
                                 "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="])
def test_the_page_admin_refuses_a_script_link_with_a_chinese_message(pages, people, url):
    page = pages.published()
    data = form_data(page, **{
        "links-TOTAL_FORMS": "1", "links-0-position": "0", "links-0-title": "恶意链接", "links-0-url": url,
    })
    response = client_for(people.editor).post(reverse(CHANGE, args=[page.pk]), data)
    assert response.status_code == 200
    assert "链接地址只能是以 / 开头的站内路径" in response.content.decode()
    assert not refresh(page).latest_revision.snapshot["children"].get("links")


def hrefs(html):
    return re.findall(r'<a href="([^"]*)">恶意链接</a>', html)


def test_a_stored_script_link_is_rendered_harmless_on_the_public_page_and_in_previews(pages, people):
    """Rows written before the validator (or by code that skips it) still never become a script link."""
    page = pages.published()
    PageLink.objects.create(page=page, position=0, title="恶意链接", url="  JaVaScRiPt:alert(1)")
    assert hrefs(Client().get(page.get_absolute_url()).content.decode()) == ["#"]

    actions.save_draft(page, by=people.editor, children={"links": [
        {"position": 0, "title": "恶意链接", "url": "javascript:alert(document.domain)"},
    ]})
    number = refresh(page).latest_revision.number
    staff = client_for(people.reviewer).get(reverse("admin:pages_page_preview", args=[page.pk, number]))
    assert hrefs(staff.content.decode()) == ["#"]
    _link, token = actions.create_preview_link(refresh(page), by=people.editor, days=1)
    shared = Client().get(reverse("editorial:shared_preview", args=[token]))
    assert hrefs(shared.content.decode()) == ["#"]
    assert "javascript:" not in shared.content.decode().lower()
