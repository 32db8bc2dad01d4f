"""Issue 15: the year after chinese-calendar's last is unknown; the dashboard warns 90
days ahead, and a whole year's published schedule is entered in one admin form."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from apps.core import actions
from apps.core.calendar import unknown_years_ahead, working_calendar
from apps.core.models import AuditEntry, WorkdayOverride
from apps.core.workdays import SHANGHAI, supported_years
from apps.editorial.dashboard import calendar_gaps

pytestmark = pytest.mark.django_db

NEXT = supported_years()[-1] + 1  # the first year the package does not know (2027 today)


def first_saturday_after(day: date) -> date:
    return day + timedelta(days=(5 - day.weekday()) % 7 or 7)


def schedule_text():
    saturday = first_saturday_after(date(NEXT, 2, 14))
    holidays = f"元旦 {NEXT}-01-01\n春节：{NEXT}年2月6日至2月13日\n清明节 4月3日至5日\n国庆节 {NEXT}-10-01 至 {NEXT}-10-07"
    workdays = f"春节调休 {saturday.month}月{saturday.day}日"
    return holidays, workdays, saturday


@pytest.fixture
def staff(make_user):
    user = make_user("calendar-admin", superuser=True)
    return user


def test_the_dashboard_warns_90_days_before_an_unknown_year(staff):
    with time_machine.travel(datetime(NEXT - 1, 11, 1, 9, tzinfo=SHANGHAI), tick=False):
        assert calendar_gaps() == [NEXT]
    with time_machine.travel(datetime(NEXT - 1, 6, 1, 9, tzinfo=SHANGHAI), tick=False):
        assert calendar_gaps() == []


def test_the_admin_index_shows_the_warning_with_a_link_to_the_form(client, staff):
    client.force_login(staff)
    with time_machine.travel(datetime(NEXT - 1, 12, 20, 9, tzinfo=SHANGHAI), tick=False):
        html = client.get("/admin/").content.decode()
    assert f"未来 90 天内的 {NEXT} 年还没有法定节假日和调休数据" in html
    assert "/admin/core/workdayoverride/enter-year/" in html


def test_a_whole_year_entered_in_one_form_drives_the_working_day_calendar(client, staff):
    holidays, workdays, saturday = schedule_text()
    client.force_login(staff)
    assert client.get("/admin/core/workdayoverride/enter-year/").status_code == 200
    response = client.post("/admin/core/workdayoverride/enter-year/",
                           {"year": NEXT, "holidays": holidays, "workdays": workdays})
    assert response.status_code == 302
    calendar = working_calendar()
    assert calendar.year_is_known(NEXT)
    assert not calendar.is_workday(date(NEXT, 2, 8)) and not calendar.is_workday(date(NEXT, 10, 5))
    assert calendar.is_workday(saturday)
    assert WorkdayOverride.objects.filter(day__year=NEXT, is_workday=False).count() == 1 + 8 + 3 + 7
    entry = AuditEntry.objects.get(action="core.enter_year_schedule")
    assert entry.actor == staff and entry.data["year"] == NEXT and entry.data["workdays"] == 1
    with time_machine.travel(datetime(NEXT - 1, 11, 1, 9, tzinfo=SHANGHAI), tick=False):
        assert unknown_years_ahead(90) == []


def test_entering_a_year_again_replaces_it(staff):
    holidays, workdays, _ = schedule_text()
    actions.enter_year_schedule(NEXT, by=staff, holidays=holidays, workdays=workdays)
    counts = actions.enter_year_schedule(NEXT, by=staff, holidays=f"元旦 {NEXT}-01-01")
    assert counts["replaced"] == 20 and WorkdayOverride.objects.filter(day__year=NEXT).count() == 1


@pytest.mark.parametrize("holidays, workdays, message", [
    ("春节", "", "第 1 行：没有找到日期"),
    ("春节 2月30日", "", "第 1 行：“2月30日”不是有效的日期"),
    ("春节 2月13日至2月6日", "", "结束日期早于开始日期"),
    (f"元旦 {NEXT + 1}-01-01", "", f"不在 {NEXT} 年"),
    ("元旦 1月1日", "调休 1月4日至1月5日", "调休上班日请逐日列出"),
    ("", "", "请至少填写一个假期"),
])
def test_a_bad_schedule_is_a_chinese_error_and_nothing_is_written(client, staff, holidays, workdays, message):
    client.force_login(staff)
    response = client.post("/admin/core/workdayoverride/enter-year/",
                           {"year": NEXT, "holidays": holidays, "workdays": workdays})
    assert response.status_code == 400
    if holidays:  # an empty required field is the form's own message
        assert message in response.content.decode()
    assert not WorkdayOverride.objects.exists()


def test_a_make_up_day_on_a_weekday_is_refused(staff):
    monday = date(NEXT, 2, 1) + timedelta(days=(0 - date(NEXT, 2, 1).weekday()) % 7)
    with pytest.raises(ValidationError, match="调休上班日应为周六或周日"):
        actions.enter_year_schedule(NEXT, by=staff, holidays=f"元旦 {NEXT}-01-01",
                                    workdays=f"调休 {monday.isoformat()}")


def test_someone_without_the_permission_cannot_enter_a_schedule(make_user):
    from apps.core.errors import NotAllowed

    editor = make_user("editor", roles=["editor"])
    with pytest.raises(NotAllowed):
        actions.enter_year_schedule(NEXT, by=editor, holidays=f"元旦 {NEXT}-01-01")


def test_one_day_added_changed_and_deleted_in_the_admin_is_audited_and_refreshes_public_pages(client, staff):
    from apps.core import pagecache

    client.force_login(staff)
    before = pagecache.generation()
    response = client.post("/admin/core/workdayoverride/add/", {"day": f"{NEXT}-05-01", "is_workday": "", "name": "劳动节"})
    assert response.status_code == 302
    override = WorkdayOverride.objects.get(day=date(NEXT, 5, 1))
    assert override.created_by == staff and pagecache.generation() > before
    client.post(f"/admin/core/workdayoverride/{override.pk}/change/", {"day": f"{NEXT}-05-01", "is_workday": "", "name": "劳动节假期"})
    client.post(f"/admin/core/workdayoverride/{override.pk}/delete/", {"post": "yes"})
    assert not WorkdayOverride.objects.filter(day=date(NEXT, 5, 1)).exists()
    assert list(AuditEntry.objects.filter(action__in=["core.save_workday_override", "core.delete_workday_override"])
                .order_by("pk").values_list("action", "actor")) == [
        ("core.save_workday_override", staff.pk), ("core.save_workday_override", staff.pk),
        ("core.delete_workday_override", staff.pk)]
