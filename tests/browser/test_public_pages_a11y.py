"""Every kind of public page, in both scripts, passes axe-core at WCAG 2.1 AA."""

import pytest

from apps.core import demo as core_demo
from apps.editorial import actions
from tests.browser.conftest import describe, run_axe
from tests.editorial.conftest import pages, people  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def content(people, pages):  # noqa: F811
    core_demo.load(by=people.superuser)
    page = pages.published(
        title="园区概况", slug="overview",
        body="<h2>发展水平</h2><p>园区在2022年全国园区高质量发展百强中位列第73位。</p><ul><li>现代服务业</li><li>新材料</li></ul>",
    )
    withdrawn = pages.published(title="旧政策解读", slug="old-policy")
    actions.withdraw(withdrawn, by=people.publisher, note="所涉政策已修订。")
    gone = pages.published(title="已下线页面", slug="gone")
    actions.unpublish(gone, by=people.publisher)
    return page


URLS = [
    ("/pages/", 200),
    ("/pages/overview/", 200),
    ("/pages/old-policy/", 200),
    ("/pages/gone/", 410),
    ("/no-such-page/", 404),
    ("/talent/", 200),
]


@pytest.mark.parametrize("prefix", ["", "/zh-hant"])
def test_public_pages_have_no_axe_violations(live_server, browser, axe_source, content, prefix):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    failures = []
    for path, status in URLS:
        response = page.goto(f"{live_server.url}{prefix}{path}")
        assert response.status == status, path
        violations = run_axe(page, axe_source)
        if violations:
            failures.append(f"{prefix}{path}:\n{describe(violations)}")
    assert failures == [], "\n".join(failures)
