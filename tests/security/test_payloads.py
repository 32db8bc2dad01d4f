"""The payload corpus (issue 10, "the harness"): XSS payloads (URL schemes included),
oversized values, non-UTF-8 bytes and path traversal, sent through every public GET
parameter of every public URL and the public forms (elder mode, both logins), and
stored through the actions in every text field a public page shows. No response is a
500, and no page contains an unescaped payload: the HTML is parsed and must hold no
script without src, no on* attribute, no element the site never writes (iframe,
object, svg …) and no javascript:/data:/vbscript: URL.
"""

from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import Client

from apps.core.urls_safety import browser_reading
from apps.editorial import actions as editorial_actions
from tests.editorial.conftest import pages, people, refresh  # noqa: F401  (fixtures)

XSS = [
    "<script>alert(1)</script>",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<img src=x onerror=alert`1`>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(document.cookie)",
    "java\tscript:alert(1)",
    "java&#x09;script:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<style>@import'javascript:alert(1)'</style>",
    "<meta http-equiv=refresh content=0;url=javascript:alert(1)>",
    "<base href=javascript:/>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "'\"--></style></script><script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<img src=\"x\" onerror=\"&#97;lert(1)\">",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<!--<script>alert(1)//-->",
    "{{ 7|add:7 }}{% debug %}",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<template><script>alert(1)</script></template>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<marquee onstart=alert(1)>",
    "\" onmouseover=\"alert(1)",
    "' onfocus='alert(1)' autofocus='",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "<x contenteditable onblur=alert(1)>x",
    "园区<script>alert('区(qū)')</script>概况",
    "<a href=\"  JaVaScRiPt:alert(1)\">链接</a>",
]
OVERSIZED = ["x" * 100_000, "园" * 20_000, "9" * 400]
NON_UTF8_QUERY = ["%FF%FE%FD", "%C0%AF", "%ED%A0%80", "%00", "%E5%9B"]
TRAVERSAL_PATHS = [
    "/pages/..%2f..%2f..%2fetc%2fpasswd/", "/pages/../../etc/passwd", "/static/../../etc/passwd",
    "/media/../private/x", "/media/%2e%2e/%2e%2e/etc/passwd", "/news/1/attachments/..%2f..%2f/",
    "/preview/..%2f..%2fetc%2fpasswd/", "/zh-hant/..%5c..%5cwindows%5cwin.ini", "/pages/%00/",
    "/enterprises/%2e%2e%2f/", "/news/2026/13/99999999999999999999/", "/pages/" + "a" * 5000 + "/",
]
PARAMS = ("q", "cluster", "kind", "level", "page", "platform_kind", "qualification", "year", "next", "a", "b",
          "issuer", "topic", "validity")

# Elements and URL schemes the public site never writes itself.
# (svg: the admin's login page has its own icons; an svg payload's on* attribute is caught anyway.)
FOREIGN_TAGS = {"iframe", "object", "embed", "base", "math", "marquee", "template", "isindex", "x",
                "mglyph", "frame", "frameset", "applet"}
URL_ATTRS = {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


class _Audit(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names and ("type", "application/ld+json") not in attrs:
            self.problems.append(f"inline <script> {attrs}")
        if tag in FOREIGN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in URL_ATTRS and value and browser_reading(value).lower().startswith(BAD_SCHEMES):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if tag == "meta" and name == "content" and ("http-equiv", "refresh") in attrs and any(
                    s in (value or "").lower() for s in BAD_SCHEMES):
                self.problems.append(f"<meta refresh {value!r}>")


def audit_html(response) -> list[str]:
    if "html" not in response.get("Content-Type", ""):
        return []
    parser = _Audit()
    parser.feed(response.content.decode("utf-8", "replace"))
    return parser.problems


def check(response, what, failures):
    if response.status_code >= 500:
        failures.append(f"{what} -> {response.status_code}")
        return
    for problem in audit_html(response):
        failures.append(f"{what}: unescaped {problem}")


@pytest.fixture
def site(db, tmp_path, settings, pages, people):
    """The demo content plus a published page, its links and the site footer holding payloads."""
    from apps.core import actions as core_actions
    from apps.core.models import SiteSettings
    from apps.pages.models import Page

    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.AXES_FAILURE_LIMIT = 100_000
    settings.PARKPORTAL_LOGIN_ADDRESS_FAILURE_LIMIT = 100_000
    call_command("load_demo", stdout=open("/dev/null", "w"))
    stored = []
    for i, payload in enumerate(XSS):
        page = pages.draft(title=payload[:200], slug=f"payload-{i}", summary=payload, keywords=payload[:200],
                           content_source=payload[:100], body=f"<p>{payload}</p>{payload}")
        editorial_actions.save_draft(page, by=people.editor, children={"links": [
            {"position": 0, "title": payload[:200], "url": payload[:500]},
        ]})
        editorial_actions.submit(refresh(page), by=people.editor)
        editorial_actions.approve(refresh(page), by=people.reviewer)
        editorial_actions.approve(refresh(page), by=people.publisher, publish=False)
        editorial_actions.publish(refresh(page), by=people.publisher2, change_note=payload)
        stored.append(refresh(page).get_absolute_url())
    footer = SiteSettings.load() if hasattr(SiteSettings, "load") else SiteSettings.objects.get(pk=1)
    footer.sponsor, footer.organizer, footer.address = XSS[1][:100], XSS[2][:100], XSS[4][:200]
    core_actions.update_site_settings(footer, by=people.superuser, changed_fields=["sponsor"])
    assert Page.objects.published().filter(slug__startswith="payload-").count() == len(XSS)
    return stored


def public_urls():
    from apps.enterprises.models import Enterprise, Platform
    from apps.news.models import PressRelease
    from apps.pages.models import Page

    urls = ["/", "/zh-hant/", "/pages/", "/news/", "/zh-hant/news/", "/news/feed/rss/", "/news/feed/atom/",
            "/enterprises/", "/zh-hant/enterprises/", "/enterprises/platforms/", "/enterprises/account/login/",
            "/talent/", "/stations/", "/services/", "/sitemap.xml", "/admin/login/", "/preview/not-a-token/",
            "/policies/", "/policies/interpretations/", "/interaction/", "/interaction/write/", "/interaction/track/"]
    for model in (Page, PressRelease, Enterprise, Platform):
        item = model.objects.published().first()
        assert item is not None, model
        urls.append(item.get_absolute_url())
    return urls


def test_xss_corpus_is_large_enough_and_has_url_schemes():
    assert len(XSS) >= 40
    assert sum(p.strip().lower().startswith(BAD_SCHEMES) for p in XSS) >= 5


def test_stored_payloads_are_escaped_on_public_pages(client, site):
    failures = []
    for url in site + ["/pages/", "/", "/zh-hant" + site[0]]:
        check(client.get(url), url, failures)
    assert failures == []


def test_public_get_parameters_take_the_corpus(site):
    client, failures = Client(raise_request_exception=False), []
    urls = public_urls()
    for url in urls:
        for payload in XSS + OVERSIZED:
            check(client.get(url, {name: payload for name in PARAMS}), f"GET {url} {payload[:40]!r}", failures)
        for raw in NON_UTF8_QUERY:
            query = "&".join(f"{name}={raw}" for name in PARAMS)
            check(client.get(f"{url}?{query}"), f"GET {url}?{query[:40]}", failures)
    print("\n".join("PAYLOAD " + f for f in failures))
    assert failures == []


def test_public_forms_take_the_corpus(site):
    client, failures = Client(raise_request_exception=False), []
    forms = {
        "/preferences/elder-mode/": ("on", "next"),
        "/admin/login/": ("username", "password", "next"),
        "/enterprises/account/login/": ("username", "password", "next"),
        "/interaction/write/": ("kind", "subject", "text", "name", "phone", "email", "started", "website"),
        "/interaction/track/": ("tracking_number", "phone"),
    }
    for url, fields in forms.items():
        for payload in XSS + OVERSIZED:
            response = client.post(url, {name: payload for name in fields})
            check(response, f"POST {url} {payload[:40]!r}", failures)
            location = response.get("Location", "")
            if location and browser_reading(location).lower().startswith(BAD_SCHEMES + ("//",)):
                failures.append(f"POST {url}: redirected to {location!r}")
        for raw in (b"on=\xff\xfe&next=\xc0\xaf", b"username=\xed\xa0\x80&password=\x00"):
            response = client.generic("POST", url, raw, content_type="application/x-www-form-urlencoded")
            check(response, f"POST {url} non-UTF-8", failures)
    assert failures == []


def test_path_traversal_is_refused_without_a_500(site):
    client, failures = Client(raise_request_exception=False), []
    for path in TRAVERSAL_PATHS:
        response = client.get(path)
        check(response, f"GET {path[:60]}", failures)
        if b"root:x:0:0" in response.content or b"[fonts]" in response.content:
            failures.append(f"GET {path[:60]}: served a system file")
        if response.status_code == 200 and path.startswith(("/static/", "/media/")):
            failures.append(f"GET {path[:60]}: 200")
    assert failures == []
