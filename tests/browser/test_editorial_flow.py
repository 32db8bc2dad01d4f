"""Three people take a page through the admin in a real browser: an editor writes
and submits it, a reviewer approves 复审, a publisher signs off (签发), which publishes.
The page is public only after that."""

import pytest

from apps.pages.models import Page
from tests.editorial.conftest import people  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "irrelevant-password-123"


def login(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def press(page, label, **inputs):
    """Open a workflow button's form, fill its inputs, confirm."""
    page.locator("summary", has_text=label).first.click()
    form = page.locator("details[open] form")
    for name, value in inputs.items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_editor_reviewer_and_publisher_take_a_page_live(live_server, browser, people, artifacts):  # noqa: F811
    public_url = f"{live_server.url}/pages/talent-policy/"

    # 1. The editor writes the page and submits it.
    editor = login(browser, live_server, "editor")
    editor.goto(f"{live_server.url}/admin/pages/page/add/")
    editor.fill("#id_title", "人才政策概览")
    editor.fill("#id_slug", "talent-policy")
    editor.select_option("#id_column_type", "政策文件")
    editor.locator(".ProseMirror[contenteditable=true]").click()
    editor.keyboard.type("园区实施“十百千”人才引进计划和“天山火炬之星”青年人才计划。")
    editor.click("input[name=_continue]")
    editor.wait_for_load_state()
    assert "人才政策概览" in editor.content()
    press(editor, "提交审核", note="请审核")
    assert "已提交审核" in editor.content()
    editor.screenshot(path=artifacts / "flow-1-submitted.png", full_page=True)
    assert editor.request.get(public_url).status == 404

    # 2. The reviewer finds it on the dashboard and approves 复审.
    reviewer = login(browser, live_server, "reviewer")
    reviewer.get_by_role("link", name="人才政策概览").click()
    reviewer.wait_for_load_state()
    assert reviewer.locator("summary", has_text="退回修改").count() == 1
    press(reviewer, "审核通过", note="事实与依据无误")
    assert "已审核通过" in reviewer.content()
    assert reviewer.request.get(public_url).status == 404

    # 3. The publisher signs off (签发) and publishes.
    publisher = login(browser, live_server, "publisher")
    publisher.get_by_role("link", name="人才政策概览").click()
    publisher.wait_for_load_state()
    press(publisher, "签发（审核通过并发布）", note="同意发布")  # 签发 publishes: no separate 发布 click
    assert "已签发，内容已发布" in publisher.content()
    publisher.screenshot(path=artifacts / "flow-3-published.png", full_page=True)

    # 4. The public sees it, with its publication date.
    reader = browser.new_page()
    response = reader.goto(public_url)
    assert response.status == 200
    assert reader.locator("h1").inner_text() == "人才政策概览"
    assert "十百千" in reader.content() and "发布时间" in reader.content()
    page = Page.objects.get(slug="talent-policy")
    assert page.created_by == people.editor and page.status == "published"
