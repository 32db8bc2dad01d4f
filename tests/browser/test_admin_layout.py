"""The admin in a real browser at 1280, 1920 and 2560 px (issue 15): no page runs past
the window, the image page keeps its preview bounded and the alt text near the top,
and the related-items picker and the rich-text editor's menus speak Chinese."""

import re

import pytest

from apps.editorial import actions as editorial
from tests.browser.test_csp_admin import open_as
from tests.editorial.conftest import people  # noqa: F401  (fixture)
from tests.media.conftest import media_queues, media_storage  # noqa: F401  (fixtures)
from tests.news.conftest import assets, releases  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 1920, 2560)
LONG_TEXT = "乌鲁木齐高新区（新市区）是新疆第一个国家级高新区，以现代服务业为支柱，" * 8
LONG_URL = "https://www.example.gov.cn/" + "a" * 300


def _overflow(page) -> tuple[int, int]:
    return page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")


@pytest.fixture
def busy_release(releases, assets, people):  # noqa: F811
    """A published release with a newer draft, comments, a share link and a long history."""
    image = assets.image(size=(1920, 2880))
    release = releases.published(title="园区" + "新材料产业" * 20, cover=image)
    for n in range(3):
        editorial.save_draft(release, by=people.editor, fields={"summary": f"{LONG_TEXT}{n}"})
    editorial.add_comment(release, by=people.reviewer, body=LONG_TEXT + LONG_URL, field_name="summary")
    editorial.create_preview_link(release, by=people.editor, days=7, note=LONG_TEXT[:60])
    return release, image


def test_admin_change_pages_fit_the_window_at_every_width(live_server, browser, busy_release, people):  # noqa: F811
    release, image = busy_release
    page = open_as(browser, live_server, "editor", [])
    reviewer = open_as(browser, live_server, "reviewer", [])
    urls = [
        f"/admin/news/pressrelease/{release.pk}/change/",
        "/admin/pages/page/add/",
        f"/admin/media/image/{image.pk}/change/",
        "/admin/",
    ]
    for width in WIDTHS:
        for viewer in (page, reviewer):
            viewer.set_viewport_size({"width": width, "height": 1000})
            for url in urls:
                viewer.goto(f"{live_server.url}{url}")
                scroll, inner = _overflow(viewer)
                assert scroll <= inner, f"{url} at {width}px: scrollWidth {scroll} > innerWidth {inner}"


def test_image_page_bounds_the_preview_and_keeps_the_alt_text_near_the_top(live_server, browser, busy_release):
    _release, image = busy_release
    page = open_as(browser, live_server, "editor", [])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/media/image/{image.pk}/change/")
    box = page.locator(".field-preview img").first.bounding_box()
    assert box["width"] <= 480 and box["height"] <= 480
    alt = page.locator("#id_alt_text").bounding_box()
    assert alt["y"] < 900, "the alt-text field is below the first screen"


ENGLISH = re.compile(r"[A-Za-z]{3,}")


def test_picker_and_editor_menus_are_in_chinese(live_server, browser, people):  # noqa: F811
    page = open_as(browser, live_server, "editor", [])
    page.goto(f"{live_server.url}/admin/news/pressrelease/add/")
    page.locator(".ProseMirror[contenteditable=true]").first.wait_for()
    picker = page.locator(".selector").first
    texts = picker.evaluate(
        """el => [el.innerText, ...[...el.querySelectorAll('[title],[aria-label],[placeholder]')]
            .flatMap(e => [e.title, e.getAttribute('aria-label') || '', e.placeholder || ''])].join(' | ')"""
    )
    assert not ENGLISH.search(texts), texts
    labels = page.evaluate(
        """() => [...document.querySelectorAll('.prose-menubar [title], .prose-menubar [aria-label],'
                   + ' .prose-menubar option, .prose-menubar h1, .prose-menubar h2, .prose-menubar h3,'
                   + ' .prose-menubar h4, .prose-menubar p')]
            .flatMap(e => [e.title || '', e.getAttribute('aria-label') || '',
                           e.classList.contains('material-icons') ? '' : (e.children.length ? '' : e.textContent)])
            .filter(t => t && t !== 'HTML')"""
    )
    english = [t for t in labels if ENGLISH.search(t)]
    assert labels and not english, sorted(set(english))
