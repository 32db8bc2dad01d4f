"""In a real browser, under the Content-Security-Policy: the admin's rich-text editor,
the group/cluster picker (filter_horizontal) and the related-item lookup popup work,
and no page reports a CSP violation (issue 10 #2)."""

import pytest

from tests.editorial.conftest import people  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "irrelevant-password-123"


def open_as(browser, live_server, username, violations):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    page = context.new_page()

    def watch(message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    context.on("console", watch)
    context.on("page", lambda popup: popup.on("console", watch))
    page.on("console", watch)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def test_admin_widgets_work_under_the_policy(live_server, browser, people):  # noqa: F811
    violations = []
    editor = open_as(browser, live_server, "editor", violations)
    editor.goto(f"{live_server.url}/admin/pages/page/add/")
    editor.locator(".ProseMirror[contenteditable=true]").click()  # the editor initialised
    editor.keyboard.type("园区概况")
    assert editor.locator("#id_clusters_from").count() == 1  # SelectFilter2 built the picker
    assert "可用" in editor.locator(".selector-available").inner_text()

    editor.goto(f"{live_server.url}/admin/news/pressrelease/add/")
    editor.locator(".ProseMirror[contenteditable=true]").first.click()
    lookup = editor.locator("a.related-lookup").first
    with editor.expect_popup() as popup_info:
        lookup.click()
    popup = popup_info.value
    popup.wait_for_load_state()
    assert popup.locator("#changelist, #content").count() >= 1

    root = open_as(browser, live_server, "root", violations)
    root.goto(f"{live_server.url}/admin/accounts/user/{people.editor.pk}/change/")
    assert "可用" in root.locator(".selector-available").first.inner_text()  # the group picker, in Chinese
    reader = root.context.new_page()
    reader.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    reader.goto(f"{live_server.url}/")
    reader.goto(f"{live_server.url}/news/")
    assert violations == []
