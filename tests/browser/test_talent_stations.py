"""The talent and stations pages in a real browser: every new public page passes
axe-core at WCAG 2.1 AA in both scripts and in elder mode; and an editor, a reviewer
and a publisher take a programme with a round live, then a reader finds it under
"open now" and downloads the round's calendar file."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.core import demo as core_demo
from apps.core.workdays import SHANGHAI
from apps.stations import demo as stations_demo
from apps.stations.models import ServiceStation
from apps.talent import demo as talent_demo
from apps.talent.models import ProgrammeCategory, TalentProgramme
from apps.talent.seed import seed_categories
from tests.browser.conftest import describe, run_axe
from tests.browser.test_editorial_flow import login, press
from tests.editorial.conftest import people  # noqa: F401  (fixture)
from tests.media.conftest import media_storage  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _tasks_run_in_process(monkeypatch):
    """The workflow's notifications run in process (mail to the locmem outbox) instead of
    filling the test broker's queue folder, which parallel test workers share."""
    from parkportal.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


@pytest.fixture
def content(people, media_storage, settings, tmp_path):  # noqa: F811
    settings.VAR_DIR = tmp_path
    core_demo.load(by=people.superuser)
    talent_demo.load(by=people.superuser)
    stations_demo.load(by=people.superuser)
    paths = ["/", "/talent/", "/talent/?state=open", "/stations/", "/stations/?open=1"]
    paths += [p.get_absolute_url() for p in TalentProgramme.objects.published()]
    paths += [s.get_absolute_url() for s in ServiceStation.objects.published()]
    return paths


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
@pytest.mark.parametrize("prefix", ["", "/zh-hant"])
def test_talent_and_station_pages_have_no_axe_violations(live_server, browser, axe_source, content, prefix, elder):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if elder:
        context.add_cookies([{"name": "parkportal_elder", "value": "1", "url": live_server.url}])
    page = context.new_page()
    failures = []
    for path in content:
        response = page.goto(f"{live_server.url}{prefix}{path}")
        assert response.status == 200, path
        if elder:
            assert page.get_attribute("html", "class") == "elder"
        violations = run_axe(page, axe_source)
        if violations:
            failures.append(f"{prefix}{path}:\n{describe(violations)}")
    assert failures == [], "\n".join(failures)


def _local(value: dt.datetime) -> tuple[str, str]:
    local = value.astimezone(SHANGHAI)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")


def test_a_programme_goes_live_and_a_reader_downloads_its_round_calendar(live_server, browser, people, artifacts):  # noqa: F811
    core_demo.load(by=people.superuser)
    seed_categories(ProgrammeCategory)  # a transactional test flushed the data migration's rows
    opens = timezone.now() - dt.timedelta(days=3)
    closes = (timezone.now() + dt.timedelta(days=20)).astimezone(SHANGHAI).replace(hour=18, minute=0, second=0, microsecond=0)

    # 1. The editor writes the programme with one round and submits it.
    editor = login(browser, live_server, "editor")
    editor.goto(f"{live_server.url}/admin/talent/talentprogramme/add/")
    editor.fill("#id_name", "高新区青年科技人才计划")
    editor.select_option("#id_category", label="青年")
    editor.fill("#id_department", "高新区（新市区）人才办")
    editors = editor.locator(".ProseMirror[contenteditable=true]")
    editors.nth(0).click()
    editor.keyboard.type("35岁以下在园区全职工作的青年科技人才。")
    editors.nth(1).click()
    editor.keyboard.type("科研启动经费最高30万元。")
    editor.fill("#id_rounds-0-title", "2026年度第一批")
    day, time = _local(opens)
    editor.fill("#id_rounds-0-opens_at_0", day)
    editor.fill("#id_rounds-0-opens_at_1", time)
    day, time = _local(closes)
    editor.fill("#id_rounds-0-closes_at_0", day)
    editor.fill("#id_rounds-0-closes_at_1", time)
    editor.click("input[name=_continue]")
    editor.wait_for_load_state()
    assert "高新区青年科技人才计划" in editor.content()
    press(editor, "提交审核", note="请审核")
    assert "已提交审核" in editor.content()
    programme = TalentProgramme.objects.get(name="高新区青年科技人才计划")
    assert editor.request.get(f"{live_server.url}{programme.get_absolute_url()}").status == 404

    # 2. The reviewer approves 复审; 3. the publisher signs off and publishes.
    reviewer = login(browser, live_server, "reviewer")
    reviewer.get_by_role("link", name="高新区青年科技人才计划").click()
    reviewer.wait_for_load_state()
    press(reviewer, "审核通过", note="条件和日期核对无误")
    publisher = login(browser, live_server, "publisher")
    publisher.get_by_role("link", name="高新区青年科技人才计划").click()
    publisher.wait_for_load_state()
    press(publisher, "签发（审核通过并发布）", note="同意发布")  # 签发 publishes
    assert "已签发，内容已发布" in publisher.content()

    # 4. A reader finds it under "open now" and downloads the round's calendar file.
    reader = browser.new_context(accept_downloads=True).new_page()
    reader.goto(f"{live_server.url}/talent/")
    reader.select_option("#filter-state", "open")
    reader.get_by_role("button", name="筛选").click()
    reader.wait_for_load_state()
    assert "state=open" in reader.url
    reader.get_by_role("link", name="高新区青年科技人才计划").click()
    reader.wait_for_load_state()
    assert "正在申报" in reader.content()
    reader.screenshot(path=artifacts / "talent-programme.png", full_page=True)
    with reader.expect_download() as info:
        reader.get_by_role("link", name="加入日历").click()
    ics = open(info.value.path(), encoding="utf-8").read()
    assert ics.startswith("BEGIN:VCALENDAR")
    assert "高新区青年科技人才计划 2026年度第一批 申报截止" in ics.replace("\r\n ", "")
    assert f"DTEND;TZID=Asia/Shanghai:{closes:%Y%m%dT%H%M%S}" in ics
