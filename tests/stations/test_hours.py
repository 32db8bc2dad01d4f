""""Open now" at the exact boundaries, in Beijing time on the official calendar: a lunch
break, midnight, a statutory holiday, an adjusted working Saturday, a dated exception,
a mobile station's stops; and the page cache's next change."""

import datetime as dt

import pytest
import time_machine

from apps.core import pagecache
from apps.core.calendar import working_calendar
from apps.core.models import WorkdayOverride
from apps.stations.hours import ADJUSTED_WORKDAY, HOLIDAY, StationHours
from apps.stations.models import ServiceStation
from apps.stations.schedule import next_station_change

from .conftest import T, beijing

pytestmark = pytest.mark.django_db
SECOND = dt.timedelta(seconds=1)
MONDAY = (2026, 12, 7)  # an ordinary Monday


def state(station, moment):
    station = ServiceStation.objects.prefetch_related("hours", "exceptions", "stops").get(pk=station.pk)
    return StationHours(station, working_calendar()).state_at(moment)


@pytest.mark.parametrize(("moment", "is_open"), [
    (beijing(*MONDAY, 9, 29, 59), False),
    (beijing(*MONDAY, 9, 30, 0), True),
    (beijing(*MONDAY, 13, 29, 59), True),
    (beijing(*MONDAY, 13, 30, 0), False),  # lunch break
    (beijing(*MONDAY, 15, 29, 59), False),
    (beijing(*MONDAY, 15, 30, 0), True),
    (beijing(*MONDAY, 19, 29, 59), True),
    (beijing(*MONDAY, 19, 30, 0), False),
    (beijing(2026, 12, 12, 10, 0), True),  # Saturday morning
    (beijing(2026, 12, 13, 10, 0), False),  # Sunday
])
def test_open_now_across_a_lunch_break(stations, moment, is_open):
    station = stations.published()
    assert state(station, moment).is_open is is_open


def test_closed_state_says_when_it_opens_next_and_open_state_when_it_closes(stations):
    station = stations.published()
    lunch = state(station, beijing(*MONDAY, 13, 30, 0))
    assert lunch.next_opening == beijing(*MONDAY, 15, 30)
    morning = state(station, beijing(*MONDAY, 9, 30, 0))
    assert morning.closes_at == beijing(*MONDAY, 13, 30)
    sunday = state(station, beijing(2026, 12, 13, 10, 0))
    assert sunday.next_opening == beijing(2026, 12, 14, 9, 30)


def test_an_interval_past_midnight_is_open_after_midnight_and_closes_the_next_day(stations):
    station = stations.published(hours=[{"weekday": 4, "opens": T(20, 0), "closes": T(2, 0)}])  # Friday night
    friday = (2026, 12, 11)
    assert not state(station, beijing(*friday, 19, 59, 59)).is_open
    assert state(station, beijing(*friday, 20, 0)).is_open
    assert state(station, beijing(*friday, 23, 59, 59)).is_open
    after_midnight = state(station, beijing(2026, 12, 12, 0, 0, 0))
    assert after_midnight.is_open and after_midnight.closes_at == beijing(2026, 12, 12, 2, 0)
    assert state(station, beijing(2026, 12, 12, 1, 59, 59)).is_open
    assert not state(station, beijing(2026, 12, 12, 2, 0, 0)).is_open


def test_hours_touching_at_midnight_do_not_close_at_midnight(stations):
    station = stations.published(hours=[{"weekday": 0, "opens": T(20, 0), "closes": T(0, 0)},
                                        {"weekday": 1, "opens": T(0, 0), "closes": T(1, 0)}])
    at_midnight = state(station, beijing(2026, 12, 8, 0, 0, 0))
    assert at_midnight.is_open and at_midnight.closes_at == beijing(2026, 12, 8, 1, 0)
    assert next_station_change(beijing(*MONDAY, 21, 0)) == beijing(2026, 12, 8, 1, 0)


def test_closed_on_a_statutory_holiday_unless_the_station_says_otherwise(stations):
    national_day = beijing(2026, 10, 1, 10, 0)  # a Thursday
    closed = stations.published()
    assert state(closed, national_day).day_type == HOLIDAY
    assert not state(closed, national_day).is_open
    assert not state(closed, beijing(2026, 10, 3, 10, 0)).is_open  # a Saturday inside the holiday
    assert state(closed, beijing(2026, 9, 30, 10, 0)).is_open  # the day before
    opened = stations.published(closed_on_holidays=False)
    assert state(opened, national_day).is_open


def test_an_admin_entered_holiday_closes_the_station(stations):
    station = stations.published()
    WorkdayOverride.objects.create(day=dt.date(2026, 12, 9), is_workday=False, name="示例临时假日")
    assert not state(station, beijing(2026, 12, 9, 10, 0)).is_open
    assert state(station, beijing(2026, 12, 10, 10, 0)).is_open


def test_open_on_an_adjusted_working_saturday_with_weekday_hours(stations):
    make_up = (2026, 2, 14)  # a Saturday worked for the Spring Festival (调休)
    station = stations.published()
    assert state(station, beijing(*make_up, 9, 30)).day_type == ADJUSTED_WORKDAY
    assert state(station, beijing(*make_up, 9, 30)).is_open  # Monday's hours, not Saturday's 10:00
    assert state(station, beijing(*make_up, 16, 0)).is_open
    assert not state(station, beijing(*make_up, 14, 0)).is_open
    weekend_only = stations.published(open_on_adjusted_workdays=False)
    assert not state(weekend_only, beijing(*make_up, 9, 30)).is_open
    assert state(weekend_only, beijing(*make_up, 10, 0)).is_open  # its usual Saturday hours


def test_a_dated_exception_closes_or_extends_the_day(stations):
    station = stations.published(exceptions=[
        {"date": dt.date(2026, 12, 8), "closed": True, "note": "设备检修临时闭馆"},
        {"date": dt.date(2026, 12, 9), "closed": False, "opens": T(9, 0), "closes": T(21, 0), "note": "延时服务"},
    ])
    assert not state(station, beijing(2026, 12, 8, 10, 0)).is_open
    assert state(station, beijing(2026, 12, 8, 10, 0)).next_opening == beijing(2026, 12, 9, 9, 0)
    assert state(station, beijing(2026, 12, 9, 14, 0)).is_open  # no lunch break that day
    assert state(station, beijing(2026, 12, 9, 20, 59, 59)).is_open
    assert not state(station, beijing(2026, 12, 9, 21, 0)).is_open


def test_a_mobile_station_is_open_at_its_stops_only(stations):
    station = stations.published(is_mobile=True, hours=[], kind="金融流动服务站", stops=[
        {"date": dt.date(2026, 12, 9), "opens": T(10, 0), "closes": T(16, 0), "place": "示例商业综合体一层"},
    ])
    there = state(station, beijing(2026, 12, 9, 10, 0))
    assert there.is_open and there.place == "示例商业综合体一层"
    before = state(station, beijing(*MONDAY, 10, 0))
    assert not before.is_open and before.next_opening == beijing(2026, 12, 9, 10, 0)
    assert before.place == "示例商业综合体一层"


def test_next_change_is_the_next_opening_or_closing_of_any_published_station(stations):
    stations.published()
    stations.published(hours=[{"weekday": 0, "opens": T(8, 0), "closes": T(12, 0)}])
    stations.draft(hours=[{"weekday": 0, "opens": T(7, 0), "closes": T(7, 30)}])  # not public
    assert next_station_change(beijing(*MONDAY, 6, 0)) == beijing(*MONDAY, 8, 0)
    assert next_station_change(beijing(*MONDAY, 8, 0)) == beijing(*MONDAY, 9, 30)
    assert next_station_change(beijing(*MONDAY, 9, 30)) == beijing(*MONDAY, 12, 0)
    assert next_station_change(beijing(*MONDAY, 12, 0)) == beijing(*MONDAY, 13, 30)
    assert next_station_change(beijing(*MONDAY, 13, 30) - SECOND) == beijing(*MONDAY, 13, 30)
    assert next_station_change(beijing(*MONDAY, 19, 30)) == beijing(2026, 12, 8, 9, 30)
    assert next_station_change in pagecache._next_change_providers
    assert pagecache.next_change(beijing(*MONDAY, 6, 0)) == beijing(*MONDAY, 8, 0)


def test_no_published_station_means_no_change(stations):
    stations.draft()
    assert next_station_change(beijing(*MONDAY, 6, 0)) is None


def test_the_list_changes_at_the_second_a_station_opens(stations, client):
    station = stations.published(name="示例创业服务站")
    pages = {}
    for moment in (beijing(*MONDAY, 9, 29, 59), beijing(*MONDAY, 9, 30)):
        with time_machine.travel(moment, tick=False):
            pages[moment] = client.get("/stations/?open=1").content.decode()
    assert station.name not in pages[beijing(*MONDAY, 9, 29, 59)]
    assert station.name in pages[beijing(*MONDAY, 9, 30)]


def test_the_next_change_is_remembered_until_it_passes_or_content_changes(
    stations, django_assert_num_queries, django_capture_on_commit_callbacks
):
    station = stations.published()
    assert next_station_change(beijing(*MONDAY, 6, 0)) == beijing(*MONDAY, 9, 30)
    with django_assert_num_queries(0):
        assert next_station_change(beijing(*MONDAY, 9, 29, 59)) == beijing(*MONDAY, 9, 30)
    assert next_station_change(beijing(*MONDAY, 9, 30)) == beijing(*MONDAY, 13, 30)  # passed: computed again
    # A publication changes the hours (here written directly) and bumps the content generation.
    station.hours.filter(weekday=0, opens=T(15, 30)).update(opens=T(13, 0))
    assert next_station_change(beijing(*MONDAY, 9, 31)) == beijing(*MONDAY, 13, 30)  # still remembered
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.content_changed()
    assert next_station_change(beijing(*MONDAY, 9, 31)) == beijing(*MONDAY, 19, 30)  # merged 9:30-19:30
