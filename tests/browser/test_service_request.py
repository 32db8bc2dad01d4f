"""An enterprise submits a request with an attribute and a file, a supervisor
assigns it, staff ask for 补正, the enterprise answers, staff resolve it, and the
enterprise sees the public timeline without the internal note. Then axe-core on
every new portal page, in both scripts and in elder mode."""

import pytest

from apps.core import demo as core_demo
from apps.services.models import ServiceRequest, State
from tests.browser.conftest import describe, run_axe
from tests.editorial.conftest import people  # noqa: F401
from tests.enterprises.conftest import enterprises, kinds  # noqa: F401
from tests.services.conftest import PDF, catalogue, desk  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "irrelevant-password-123"


def sign_in_portal(page, base, username):
    page.goto(f"{base}/enterprises/account/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")


def sign_in_admin(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def press(page, action, **fields):
    form = page.locator(f"form:has(input[name=action][value={action}])")
    for name, value in fields.items():
        control = form.locator(f"[name={name}]")
        if name == "assignee":
            control.select_option(str(value))
        else:
            control.fill(value)
    form.locator("button[type=submit]").click()


def test_request_from_submission_to_resolution(live_server, browser, desk, people):  # noqa: F811
    core_demo.load(by=people.superuser)
    base = live_server.url
    material = desk.service.materials.get()
    page = browser.new_page()
    sign_in_portal(page, base, "ent")
    page.goto(f"{base}/services/guide/{desk.service.code}/")
    page.click("a.button-link")
    page.fill("#id_contact_name", "王经理")
    page.fill("#id_contact_phone", "13800138000")
    page.fill("#id_description", "公司拟将注册地址变更至高新区软件园。")
    page.fill("#id_attr_employees", "35")
    page.set_input_files(f"#id_material_{material.pk}", files=[
        {"name": "营业执照.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("text=下一步：确认")
    assert "35" in page.inner_text("main")
    page.click("text=确认提交")
    number = page.inner_text("#tracking-number").strip()
    request = ServiceRequest.objects.get(tracking_number=number)
    assert request.attributes["employees"] == "35" and request.materials.count() == 1

    sign_in_admin(page, base, "supervisor")
    page.goto(f"{base}/admin/services/servicerequest/{request.pk}/change/")
    press(page, "assign", assignee=desk.agent.pk)
    assert ServiceRequest.objects.get(pk=request.pk).assignee == desk.agent

    sign_in_admin(page, base, "agent-1")
    page.goto(f"{base}/admin/services/servicerequest/{request.pk}/change/")
    press(page, "accept", public_note="材料齐全，予以受理。")
    press(page, "request_supplement", public_note="请补充租赁合同。", internal_note="内部：房东资质待核实")
    assert ServiceRequest.objects.get(pk=request.pk).state == State.WAITING

    page.context.clear_cookies()
    sign_in_portal(page, base, "ent")
    page.goto(f"{base}/services/my/{number}/")
    page.fill("#id_text", "已补充租赁合同。")
    page.set_input_files("#id_files", files=[{"name": "租赁合同.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("form[action$='/supplement/'] button[type=submit]")
    assert ServiceRequest.objects.get(pk=request.pk).state == State.IN_PROGRESS

    sign_in_admin(page, base, "agent-1")
    page.goto(f"{base}/admin/services/servicerequest/{request.pk}/change/")
    press(page, "resolve", public_note="住所变更登记已完成。", internal_note="内部：已电话回访")
    assert ServiceRequest.objects.get(pk=request.pk).state == State.RESOLVED

    page.context.clear_cookies()
    sign_in_portal(page, base, "ent")
    page.goto(f"{base}/services/my/{number}/")
    text = page.inner_text("main")
    for public in ("已受理", "待补正", "请补充租赁合同", "已补充租赁合同", "已办结", "住所变更登记已完成"):
        assert public in text, public
    assert "内部" not in text and "房东资质" not in text and "电话回访" not in text


@pytest.mark.parametrize("prefix", ["", "/zh-hant"])
@pytest.mark.parametrize("elder", [False, True])
def test_service_pages_have_no_axe_violations(live_server, browser, axe_source, desk, people, prefix, elder):  # noqa: F811
    from apps.services import actions
    from tests.services.conftest import valid_submission

    core_demo.load(by=people.superuser)
    request = actions.submit_request(desk.service, by=desk.user, **valid_submission(desk))
    actions.accept(request, by=desk.agent)
    actions.request_supplement(request, by=desk.agent, public_note="请补充材料。")
    base = live_server.url
    context = browser.new_context()
    if elder:
        context.add_cookies([{"name": "parkportal_elder", "value": "1", "url": base}])
    page = context.new_page()
    failures = []

    def check(label):
        violations = run_axe(page, axe_source)
        if violations:
            failures.append(f"{label}:\n{describe(violations)}")

    for path in ("/services/", f"/services/guide/{desk.service.code}/", "/services/track/",
                 "/account/password-reset/"):
        response = page.goto(f"{base}{prefix}{path}")
        assert response.status == 200, path
        check(path)
    page.goto(f"{base}{prefix}/services/track/")
    page.fill("#id_tracking_number", request.tracking_number)
    page.fill("#id_phone", "13800138000")
    page.click("main form button[type=submit]")
    assert any(s in page.inner_text("main") for s in ("待补正", "待補正"))
    check("track result")
    sign_in_portal(page, base, "ent")
    for path in ("/services/my/", f"/services/my/{request.tracking_number}/",
                 f"/services/guide/{desk.service.code}/apply/"):
        response = page.goto(f"{base}{prefix}{path}")
        assert response.status == 200, path
        check(path)
    page.click("main form button[type=submit]")  # the empty form: errors shown
    check("apply with errors")
    assert failures == [], "\n".join(failures)
