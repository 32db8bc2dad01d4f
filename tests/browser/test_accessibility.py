"""The home page in both scripts and in elder mode: screenshot and axe-core at WCAG 2.1 AA."""

import pytest

from apps.core import demo as core_demo
from tests.browser.conftest import describe, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(make_user):
    admin = make_user("admin", superuser=True)
    core_demo.load(by=admin)


@pytest.mark.parametrize("prefix, lang", [("", "zh-Hans"), ("/zh-hant", "zh-Hant")])
def test_home_page_has_no_axe_violations_in_either_script(
    live_server, browser, axe_source, artifacts, demo_site, prefix, lang
):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    response = page.goto(f"{live_server.url}{prefix}/")
    assert response.status == 200
    assert page.get_attribute("html", "lang") == lang
    assert page.get_by_role("heading", name="新一代信息技术" if not prefix else "新一代信息技術").is_visible()
    page.screenshot(path=artifacts / f"home{prefix.replace('/', '-') or '-zh-hans'}.png", full_page=True)
    violations = run_axe(page, axe_source)
    assert violations == [], describe(violations)


def test_elder_mode_without_javascript_then_axe(live_server, browser, axe_source, artifacts, demo_site):
    # The toggle is a plain form: it must work with JavaScript switched off.
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="长者模式（大字体、高对比度）").click()
    page.wait_for_load_state()
    assert page.get_attribute("html", "class") == "elder"
    assert page.get_by_role("button", name="退出长者模式").is_visible()
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    assert cookies.get("parkportal_elder") == "1"

    # Measure and audit in a JS-enabled context carrying the same cookie.
    js_context = browser.new_context(viewport={"width": 1280, "height": 900})
    js_context.add_cookies([{"name": "parkportal_elder", "value": "1", "url": live_server.url}])
    js_page = js_context.new_page()
    js_page.goto(f"{live_server.url}/")
    font_px = js_page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    line_height = js_page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('main p')).lineHeight)"
        " / parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)"
    )
    assert font_px >= 22  # 137.5 % of 16 px
    assert line_height >= 1.3
    js_page.screenshot(path=artifacts / "home-elder.png", full_page=True)
    violations = run_axe(js_page, axe_source)
    assert violations == [], describe(violations)


def test_keyboard_user_can_skip_to_main_content(live_server, browser, demo_site):
    page = browser.new_page()
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "跳转到主要内容"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
