"""No English left in the admin (issue 15): the pages as rendered, the JavaScript
catalog the widgets read (filter_horizontal's "Choose all", the calendar), the
rich-text editor's dialogs, and the greeting, which names the person."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
from django.test import Client
from django.urls import reverse

ADMIN_JS = Path(django.__file__).parent / "contrib" / "admin" / "static" / "admin" / "js"
PROSE_JS = Path(django.__file__).parents[1] / "django_prose_editor" / "static" / "django_prose_editor" / "editor.js"

# Words that are names, formats or codes, not untranslated interface text.
ALLOWED = {
    "HTML", "JPEG", "PNG", "WebP", "GIF", "AVIF", "HEIC", "TIFF", "MP4", "MOV", "WebM", "WebVTT", "EXIF", "GPS",
    "PDF", "OFD", "Word", "DOC", "DOCX", "Excel", "XLS", "XLSX", "WPS", "ICP", "URL", "http", "https", "www",
    "mailto", "vtt", "H.264", "1080p", "CSV", "SiteIDCode", "Hans", "Hant", "root", "editor", "reviewer",
    "publisher", "agent", "example", "gov",
    # key names (Django's "按住 Control 键或 Mac 上的 Command 键") and the government meta names
    "Control", "Mac", "Command", "ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType",
    "ArticleTitle", "PubDate", "ContentSource", "SiteName", "SiteDomain", "Keywords", "Description",
}


class _VisibleText(HTMLParser):
    """The text a person sees (and hears): text outside script/style, plus titles,
    placeholders, aria-labels and button values."""

    def __init__(self):
        super().__init__()
        self.skip = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.skip += 1
        attrs = dict(attrs)
        for name in ("title", "placeholder", "aria-label", "alt"):
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def english_words(html: str) -> set[str]:
    parser = _VisibleText()
    parser.feed(html)
    words = set(re.findall(r"[A-Za-z][A-Za-z.\d]{2,}", " ".join(parser.parts)))
    return {w for w in words if w not in ALLOWED and w.rstrip(".") not in ALLOWED}


@pytest.fixture
def editor_client(people):
    client = Client()
    client.force_login(people.editor)
    return client


def test_admin_pages_show_no_english(editor_client, pages, people):
    page = pages.draft(title="园区概况")
    urls = [
        "/admin/", reverse("admin:pages_page_changelist"), reverse("admin:pages_page_add"),
        reverse("admin:pages_page_change", args=[page.pk]), reverse("admin:news_pressrelease_add"),
        reverse("admin:media_image_add"), reverse("admin:media_video_add"),
    ]
    for url in urls:
        response = editor_client.get(url)
        assert response.status_code == 200, url
        assert english_words(response.content.decode()) == set(), url


def test_a_form_with_errors_shows_no_english_in_its_title(editor_client):
    # Django's admin puts "Error:" before the title of a form with errors, and its
    # zh_Hans catalog has no translation of it.
    from apps.pages.models import Page
    from tests.editorial.test_admin import form_data

    page = Page(title="", slug="functions", column_type="机构职能", sensitivity="normal")
    response = editor_client.post(reverse("admin:pages_page_add"), form_data(page, _editorial_base_revision=""))
    assert response.status_code == 200
    html = response.content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.startswith("错误："), title
    assert english_words(html) == set()
    login = Client().post(reverse("admin:login"), {"username": "nobody", "password": "wrong"})
    assert re.search(r"<title>错误：", login.content.decode())


def _js_catalog(client) -> dict:
    body = client.get("/admin/jsi18n/").content.decode()
    return json.loads(re.search(r"const newcatalog = (\{.*?\});\n", body, re.S).group(1))


def _gettext_strings(source: str, function: str = "gettext") -> set[str]:
    found = re.findall(rf"\b{function}\(\s*(['\"])(.+?)\1\s*\)", source)
    return {text.replace('\\"', '"') for _quote, text in found}


def test_the_admin_js_catalog_translates_every_widget_string(editor_client):
    catalog = _js_catalog(editor_client)
    used = set()
    for script in ("SelectFilter2.js", "calendar.js", "admin/DateTimeShortcuts.js", "actions.js", "inlines.js"):
        used |= _gettext_strings((ADMIN_JS / script).read_text(encoding="utf-8"))
    assert {"Choose all %s", 'Choose %s by selecting them and then select the "Choose" arrow button.'} <= used
    untranslated = sorted(s for s in used if not re.search(r"[\u4e00-\u9fff]", str(catalog.get(s, ""))))
    assert untranslated == []


def test_the_rich_text_editor_dialogs_are_translated(editor_client):
    catalog = _js_catalog(editor_client)
    used = set(re.findall(r'pX\("([^"]+)"\)', PROSE_JS.read_text(encoding="utf-8")))
    assert {"Insert Table", "Edit Link"} <= used
    untranslated = sorted(s for s in used if not re.search(r"[\u4e00-\u9fff]", str(catalog.get(s, ""))))
    assert untranslated == []


def test_change_forms_load_the_editor_toolbar_translation(editor_client):
    html = editor_client.get(reverse("admin:pages_page_add")).content.decode()
    assert "admin/js/parkportal-prose-zh" in html
    assert html.index("/admin/jsi18n/") < html.index("django_prose_editor")


def test_the_greeting_names_the_person_as_written(make_user, people):
    client = Client()
    client.force_login(make_user("lixiaoming", roles=["editor"], display_name="李晓明"))
    html = client.get("/admin/").content.decode()
    assert '欢迎，<strong class="user-name">李晓明</strong>' in html
    client.force_login(people.editor)  # no name given: the username, as written
    html = client.get("/admin/").content.decode()
    assert '<strong class="user-name">editor</strong>' in html
    assert "EDITOR" not in html


def test_reviewers_see_the_body_rendered_not_as_raw_html(pages, people):
    page = pages.in_review(body="<p>乌鲁木齐高新区是<strong>新疆第一个</strong>国家级高新区。</p>")
    client = Client()
    client.force_login(people.reviewer)
    html = client.get(reverse("admin:pages_page_change", args=[page.pk])).content.decode()
    assert '<div class="rich-text-readonly"><p>乌鲁木齐高新区是<strong>新疆第一个</strong>国家级高新区。</p></div>' in html
    assert "&lt;p&gt;" not in html
