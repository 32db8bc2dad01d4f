"""The search box and the results page (results, nothing found, a filtered second
page), in both scripts and in elder mode, pass axe-core at WCAG 2.1 AA; a search
works with JavaScript switched off."""

import pytest

from apps.core import demo as core_demo
from tests.browser.conftest import describe, run_axe
from tests.search.conftest import corpus, index_tasks, run_index_tasks  # noqa: F401  (fixtures)
from tests.editorial.conftest import pages, people  # noqa: F401
from tests.enterprises.conftest import enterprises, kinds, platforms  # noqa: F401
from tests.news.conftest import releases  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URLS = [
    "/search/",
    "/search/?q=专精特新",
    "/search/?q=高新区&type=news&page=2",
    "/search/?q=量子计算",
]


@pytest.fixture
def content(people, corpus, releases):  # noqa: F811
    core_demo.load(by=people.superuser)
    for n in range(12):
        releases.published(title=f"高新区动态第{n}期")
    run_index_tasks()
    return corpus


@pytest.mark.parametrize("prefix", ["", "/zh-hant"])
@pytest.mark.parametrize("elder", [False, True])
def test_search_pages_have_no_axe_violations(live_server, browser, axe_source, content, prefix, elder):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if elder:
        context.add_cookies([{"name": "parkportal_elder", "value": "1", "url": live_server.url}])
    page = context.new_page()
    failures = []
    for path in URLS:
        response = page.goto(f"{live_server.url}{prefix}{path}")
        assert response.status == 200, path
        if "专精特新" in path:
            assert page.locator("mark").count() >= 2  # results, with marked words
        violations = run_axe(page, axe_source)
        if violations:
            failures.append(f"{prefix}{path}:\n{describe(violations)}")
    assert failures == [], "\n".join(failures)


def test_searching_from_the_header_without_javascript(live_server, browser, content):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/pages/")
    page.get_by_role("searchbox", name="搜索本站").fill("專精特新")
    page.get_by_role("search", name="站内搜索").get_by_role("button", name="搜索").click()
    page.wait_for_load_state()
    assert "/search/?q=" in page.url
    assert page.get_by_role("link", name="十家企业入选专精特新“小巨人”").is_visible()
