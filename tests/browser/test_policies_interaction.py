"""The policy and consultation pages in a real browser: every new public page passes
axe-core at WCAG 2.1 AA in both scripts and in elder mode, including the message form
with its errors, the submitted page and a tracking result; and the form works without
JavaScript."""

import pytest

from apps.core import demo as core_demo
from apps.interaction import demo as interaction_demo
from apps.interaction.models import Consultation, Message
from apps.policies import demo as policies_demo
from apps.policies.models import PolicyDocument, PolicyInterpretation
from tests.browser.conftest import describe, run_axe
from tests.editorial.conftest import people  # noqa: F401  (fixture)
from tests.media.conftest import media_storage  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _tasks_run_in_process(monkeypatch):
    from parkportal.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


@pytest.fixture
def content(people, media_storage, settings, tmp_path):  # noqa: F811
    settings.VAR_DIR = tmp_path
    core_demo.load(by=people.superuser)
    policies_demo.load(by=people.superuser)
    interaction_demo.load(by=people.superuser)
    paths = ["/", "/policies/", "/policies/?validity=repealed", "/policies/interpretations/",
             "/interaction/", "/interaction/write/", "/interaction/track/"]
    paths += [d.get_absolute_url() for d in PolicyDocument.objects.published()]
    paths += [i.get_absolute_url() for i in PolicyInterpretation.objects.published()]
    paths += [c.get_absolute_url() for c in Consultation.objects.published()]
    return paths


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
@pytest.mark.parametrize("prefix", ["", "/zh-hant"])
def test_policy_and_consultation_pages_have_no_axe_violations(live_server, browser, axe_source, content, prefix, elder):
    axe = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()  # axe needs JavaScript
    if elder:
        axe.context.add_cookies([{"name": "parkportal_elder", "value": "1", "url": live_server.url}])
    failures = []
    for path in content:
        response = axe.goto(f"{live_server.url}{prefix}{path}")
        assert response.status == 200, path
        if elder:
            assert axe.get_attribute("html", "class") == "elder"
        violations = run_axe(axe, axe_source)
        if violations:
            failures.append(f"{prefix}{path}:\n{describe(violations)}")
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
@pytest.mark.parametrize("prefix", ["", "/zh-hant"])
def test_the_message_form_its_errors_and_the_lookup_have_no_axe_violations(
    live_server, browser, axe_source, content, settings, prefix, elder
):
    settings.PARKPORTAL_INTERACTION_MIN_FORM_SECONDS = 0
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if elder:
        context.add_cookies([{"name": "parkportal_elder", "value": "1", "url": live_server.url}])
    page = context.new_page()
    failures = []

    def check(label):
        violations = run_axe(page, axe_source)
        if violations:
            failures.append(f"{prefix} {label}:\n{describe(violations)}")

    page.goto(f"{live_server.url}{prefix}/interaction/write/")
    page.locator("form[action$='/interaction/write/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".errorlist").count() > 0
    check("form with errors")
    page.locator("input[name=kind][value=suggestion]").check()
    page.fill("#id_subject", "建议增加周末服务")
    page.fill("#id_text", "建议流动金融服务站周末也来商业综合体。")
    page.fill("#id_name", "测试者")
    page.fill("#id_phone", "13700000000")
    page.locator("#id_publish_consent").check()
    page.locator("form[action$='/interaction/write/'] button[type=submit]").click()
    page.wait_for_load_state()
    message = Message.objects.get(subject="建议增加周末服务")
    assert message.tracking_number in page.content()
    check("submitted")
    page.goto(f"{live_server.url}{prefix}/interaction/track/")
    page.fill("#id_tracking_number", message.tracking_number)
    page.fill("#id_phone", "13700000000")
    page.locator("form[action$='/interaction/track/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert message.tracking_number in page.content() and page.locator(".facts").count() == 1
    check("lookup result")
    assert failures == [], "\n".join(failures)


def test_the_message_form_works_without_javascript(live_server, browser, content, settings):
    settings.PARKPORTAL_INTERACTION_MIN_FORM_SECONDS = 0
    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/interaction/write/")
    page.locator("input[name=kind][value=question]").check()
    page.fill("#id_subject", "无脚本也能留言吗")
    page.fill("#id_text", "测试无脚本提交。")
    page.fill("#id_name", "测试者")
    page.fill("#id_phone", "13700000001")
    page.locator("form[action$='/interaction/write/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "留言已提交" in page.content()
    assert Message.objects.filter(subject="无脚本也能留言吗").exists()
