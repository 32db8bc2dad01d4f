"""The rating form (好差评) and the published statistics page: an enterprise rates in the
browser without JavaScript, and axe-core finds nothing in both scripts and elder mode."""

import pytest

from apps.core import demo as core_demo
from apps.services.models import Rating, Rectification
from tests.browser.conftest import describe, run_axe
from tests.browser.test_service_request import sign_in_portal
from tests.editorial.conftest import people  # noqa: F401
from tests.enterprises.conftest import enterprises, kinds  # noqa: F401
from tests.services.conftest import catalogue, desk, requests_  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enterprise_rates_without_javascript(live_server, browser, desk, requests_, people):  # noqa: F811
    core_demo.load(by=people.superuser)
    item = requests_.resolved()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in_portal(page, live_server.url, "ent")
    page.goto(f"{live_server.url}/services/my/{item.tracking_number}/")
    page.check("form.rating-form input[name=score][value='2']")
    page.check("form.rating-form input[name=attitude][value='1']")
    page.fill("#id_comment", "窗口等待时间太长。")
    page.click("form.rating-form button[type=submit]")
    assert "我的评价" in page.inner_text("main")
    rating = Rating.objects.get()
    assert (rating.score, rating.attitude, rating.comment) == (2, 1, "窗口等待时间太长。")
    assert Rectification.objects.filter(rating=rating).count() == 1


@pytest.mark.parametrize("prefix", ["", "/zh-hant"])
@pytest.mark.parametrize("elder", [False, True])
def test_rating_form_and_statistics_have_no_axe_violations(live_server, browser, axe_source, desk, requests_,  # noqa: F811
                                                           people, prefix, elder):  # noqa: F811
    from apps.services import actions

    core_demo.load(by=people.superuser)
    rated = requests_.resolved()
    actions.rate(rated, by=desk.user, score=2, comment="慢")
    item = requests_.resolved()
    base = live_server.url
    context = browser.new_context()
    if elder:
        context.add_cookies([{"name": "parkportal_elder", "value": "1", "url": base}])
    page = context.new_page()
    failures = []

    def check(label):
        violations = run_axe(page, axe_source)
        if violations:
            failures.append(f"{prefix} elder={elder} {label}:\n{describe(violations)}")

    response = page.goto(f"{base}{prefix}/services/statistics/")
    assert response.status == 200
    assert page.locator("svg.chart").count() == 2
    check("statistics")
    sign_in_portal(page, base, "ent")
    page.goto(f"{base}{prefix}/services/my/{item.tracking_number}/")
    assert page.locator("form.rating-form").count() == 1
    check("rating form")
    page.fill("#id_comment", "好" * 10)
    page.click("form.rating-form button[type=submit]")  # no score: the error beside the field
    assert page.locator("form.rating-form .error").count() >= 1
    check("rating form with errors")
    page.goto(f"{base}{prefix}/services/my/{rated.tracking_number}/")
    check("rating shown")
    assert failures == [], "\n".join(failures)
