"""Working days on the Chinese calendar, with admin overrides and unknown years."""

import random
import warnings
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from apps.core import workdays
from apps.core.workdays import (
    SHANGHAI,
    CalendarUnknown,
    WorkdayCalendar,
    add_workdays,
    is_workday,
    next_workday,
    supported_years,
    workdays_between,
    year_is_known,
)

# A year no calendar package will cover: plain Monday-Friday fallback.
FAR_FUTURE = 2099

# Pretend schedule for 2027, as an admin would enter it before the package knows it.
NEW_YEAR_2027 = date(2027, 1, 1)  # a Friday
MAKE_UP_SATURDAY_2027 = date(2027, 2, 6)
OVERRIDES_2027 = {NEW_YEAR_2027: False, MAKE_UP_SATURDAY_2027: True}


@pytest.fixture
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def days(first, last):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


# -- is_workday on known years -------------------------------------------------


def test_national_day_2025_is_eight_days_off(no_warnings):
    for day in days(date(2025, 10, 1), date(2025, 10, 8)):
        assert not is_workday(day), day


def test_sunday_28_september_2025_was_a_make_up_working_day(no_warnings):
    assert date(2025, 9, 28).weekday() == 6
    assert is_workday(date(2025, 9, 28))


def test_saturday_11_october_2025_was_a_make_up_working_day(no_warnings):
    assert date(2025, 10, 11).weekday() == 5
    assert is_workday(date(2025, 10, 11))


def test_ordinary_weekend_2025_is_off(no_warnings):
    assert not is_workday(date(2025, 10, 12))  # Sunday
    assert not is_workday(date(2025, 9, 27))  # Saturday


def test_spring_festival_2026_is_off_from_15_to_23_february(no_warnings):
    for day in days(date(2026, 2, 15), date(2026, 2, 23)):
        assert not is_workday(day), day
    assert is_workday(date(2026, 2, 24))


def test_spring_festival_2026_make_up_saturdays_are_working_days(no_warnings):
    for day in (date(2026, 2, 14), date(2026, 2, 28)):
        assert day.weekday() == 5
        assert is_workday(day)


def test_is_workday_accepts_datetimes_and_uses_beijing_date(no_warnings):
    # 2025-09-30 20:00 UTC is already 1 October (a holiday) in Beijing.
    assert is_workday(datetime(2025, 9, 30, 15, 0, tzinfo=timezone.utc))
    assert not is_workday(datetime(2025, 9, 30, 20, 0, tzinfo=timezone.utc))


def test_is_workday_matches_the_package_for_every_day_of_2025_and_2026(no_warnings):
    for day in days(date(2025, 1, 1), date(2026, 12, 31)):
        assert is_workday(day) == chinese_calendar.is_workday(day), day


def test_years_covered_by_the_package_are_known():
    assert year_is_known(2025)
    assert year_is_known(2026)
    assert 2026 in supported_years()


# -- overrides -------------------------------------------------------------------


def test_override_turns_a_weekday_into_a_holiday(no_warnings):
    assert not is_workday(NEW_YEAR_2027, OVERRIDES_2027)


def test_override_turns_a_saturday_into_a_working_day(no_warnings):
    assert MAKE_UP_SATURDAY_2027.weekday() == 5
    assert is_workday(MAKE_UP_SATURDAY_2027, OVERRIDES_2027)


def test_override_wins_over_the_package(no_warnings):
    national_day = date(2025, 10, 2)
    normal_monday = date(2025, 10, 13)
    overrides = {national_day: True, normal_monday: False}
    assert is_workday(national_day, overrides)
    assert not is_workday(normal_monday, overrides)
    assert is_workday(national_day) is False  # no leak into the default calendar


def test_year_with_overrides_is_known():
    assert year_is_known(2027, OVERRIDES_2027)
    assert not year_is_known(FAR_FUTURE, OVERRIDES_2027)


def test_overrides_year_uses_weekdays_for_days_not_overridden(no_warnings):
    assert is_workday(date(2027, 1, 4), OVERRIDES_2027)  # Monday
    assert not is_workday(date(2027, 1, 2), OVERRIDES_2027)  # Saturday


def test_add_workdays_skips_overridden_holiday(no_warnings):
    # Thu 31 Dec 2026 + 1: Fri 1 Jan 2027 is a holiday, so Mon 4 Jan.
    assert add_workdays(date(2026, 12, 31), 1, OVERRIDES_2027) == date(2027, 1, 4)


def test_add_workdays_counts_the_make_up_saturday(no_warnings):
    friday = MAKE_UP_SATURDAY_2027 - timedelta(days=1)
    assert add_workdays(friday, 1, OVERRIDES_2027) == MAKE_UP_SATURDAY_2027
    assert add_workdays(friday, 2, OVERRIDES_2027) == date(2027, 2, 8)


def test_workdays_between_uses_overrides(no_warnings):
    # 1-10 Jan 2027: weekdays 4-8 (5 days); 1 Jan is off.
    assert workdays_between(date(2026, 12, 31), date(2027, 1, 10), OVERRIDES_2027) == 5
    # 1 Feb - 7 Feb: Mon-Fri plus the make-up Saturday.
    assert workdays_between(date(2027, 1, 31), date(2027, 2, 7), OVERRIDES_2027) == 6


def test_overrides_keyed_by_datetime_use_the_beijing_date(no_warnings):
    key = datetime(2026, 12, 31, 17, 0, tzinfo=timezone.utc)  # 1 Jan 2027 01:00 in Beijing
    assert not is_workday(NEW_YEAR_2027, {key: False})


def test_calendar_object_can_be_reused_for_many_items(no_warnings):
    calendar = WorkdayCalendar(OVERRIDES_2027)
    assert calendar.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert add_workdays(date(2026, 12, 31), 1, calendar) == date(2027, 1, 4)
    assert calendar.year_is_known(2027)


def test_changed_overrides_are_not_served_from_a_stale_cache(no_warnings):
    overrides = {date(2027, 1, 4): False}
    assert not is_workday(date(2027, 1, 4), overrides)
    overrides[date(2027, 1, 4)] = True
    assert is_workday(date(2027, 1, 4), overrides)


# -- unknown years -----------------------------------------------------------------


def test_unknown_year_is_reported_as_unknown():
    assert not year_is_known(FAR_FUTURE)
    assert not year_is_known(min(supported_years()) - 1)


def test_first_year_after_the_package_is_unknown_without_overrides():
    assert not year_is_known(max(supported_years()) + 1)


def test_unknown_year_falls_back_to_monday_to_friday_with_a_warning():
    with pytest.warns(CalendarUnknown) as record:
        assert is_workday(date(FAR_FUTURE, 1, 1))  # Thursday
        assert not is_workday(date(FAR_FUTURE, 1, 3))  # Saturday
    assert record[0].message.years == (FAR_FUTURE,)
    assert str(FAR_FUTURE) in str(record[0].message)


def test_add_workdays_in_unknown_year_warns_and_counts_weekdays():
    with pytest.warns(CalendarUnknown):
        assert add_workdays(date(FAR_FUTURE, 1, 1), 2) == date(FAR_FUTURE, 1, 5)


def test_add_workdays_warns_when_it_runs_into_an_unknown_year():
    last_known = max(supported_years())
    with pytest.warns(CalendarUnknown) as record:
        add_workdays(date(last_known, 12, 20), 30)
    assert record[0].message.years == (last_known + 1,)


def test_workdays_between_in_unknown_year_warns_and_counts_weekdays():
    with pytest.warns(CalendarUnknown):
        assert workdays_between(date(FAR_FUTURE, 1, 1), date(FAR_FUTURE, 1, 31)) == 21


def test_known_year_computation_does_not_warn(no_warnings):
    add_workdays(date(2025, 1, 2), 200)
    workdays_between(date(2025, 1, 1), date(2026, 12, 31))


def test_counting_that_stops_at_year_end_does_not_warn_about_next_year(no_warnings):
    last_known = max(supported_years())
    workdays_between(date(last_known, 12, 1), date(last_known, 12, 31))
    add_workdays(date(last_known + 1, 1, 1), -1, {})


# -- add_workdays ------------------------------------------------------------------


def test_one_workday_after_30_september_2025_is_9_october(no_warnings):
    assert add_workdays(date(2025, 9, 30), 1) == date(2025, 10, 9)


def test_counting_from_a_holiday_starts_on_the_next_working_day(no_warnings):
    assert add_workdays(date(2025, 10, 3), 1) == date(2025, 10, 9)
    assert add_workdays(date(2025, 10, 3), 3) == date(2025, 10, 11)  # make-up Saturday
    assert add_workdays(date(2025, 10, 3), 4) == date(2025, 10, 13)


def test_make_up_sunday_counts(no_warnings):
    assert add_workdays(date(2025, 9, 26), 1) == date(2025, 9, 28)


def test_add_workdays_over_spring_festival_2026(no_warnings):
    assert add_workdays(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert add_workdays(date(2026, 2, 13), 2) == date(2026, 2, 24)
    assert add_workdays(date(2026, 2, 13), 5) == date(2026, 2, 27)
    assert add_workdays(date(2026, 2, 13), 6) == date(2026, 2, 28)


def test_add_workdays_across_new_year_2026(no_warnings):
    # 1-3 Jan 2026 off, Sunday 4 Jan 2026 a make-up working day.
    assert add_workdays(date(2025, 12, 31), 1) == date(2026, 1, 4)
    assert add_workdays(date(2025, 12, 31), 2) == date(2026, 1, 5)


def test_zero_workdays_on_a_working_day_is_the_same_day(no_warnings):
    assert add_workdays(date(2025, 9, 30), 0) == date(2025, 9, 30)


def test_zero_workdays_on_a_holiday_rolls_forward(no_warnings):
    assert add_workdays(date(2025, 10, 1), 0) == date(2025, 10, 9)


def test_negative_workdays_count_backwards(no_warnings):
    assert add_workdays(date(2025, 10, 9), -1) == date(2025, 9, 30)
    assert add_workdays(date(2025, 10, 9), -3) == date(2025, 9, 28)
    assert add_workdays(date(2025, 10, 5), -1) == date(2025, 9, 30)


def test_datetime_keeps_time_of_day_and_is_aware_in_shanghai(no_warnings):
    due = add_workdays(datetime(2025, 9, 30, 17, 30), 1)
    assert due == datetime(2025, 10, 9, 17, 30, tzinfo=SHANGHAI)
    assert due.tzinfo is SHANGHAI
    assert due.utcoffset() == timedelta(hours=8)


def test_aware_datetime_is_converted_to_shanghai_first(no_warnings):
    # 20:00 UTC on 30 Sep is 04:00 on 1 Oct (holiday) in Beijing.
    due = add_workdays(datetime(2025, 9, 30, 20, 0, tzinfo=timezone.utc), 1)
    assert due == datetime(2025, 10, 9, 4, 0, tzinfo=SHANGHAI)
    assert due.time() == time(4, 0)


def test_urumqi_time_input_is_converted_to_beijing_time(no_warnings):
    urumqi = ZoneInfo("Asia/Urumqi")
    start = datetime(2025, 9, 30, 23, 30, tzinfo=urumqi)  # 01:30 on 1 Oct, Beijing
    due = add_workdays(start, 0)
    assert due == datetime(2025, 10, 9, 1, 30, tzinfo=SHANGHAI)


def test_zero_workdays_with_datetime_on_holiday_keeps_time(no_warnings):
    due = add_workdays(datetime(2025, 10, 4, 9, 15, tzinfo=SHANGHAI), 0)
    assert due == datetime(2025, 10, 9, 9, 15, tzinfo=SHANGHAI)


def test_add_workdays_rejects_non_integer_n():
    with pytest.raises(TypeError):
        add_workdays(date(2025, 1, 2), 1.5)
    with pytest.raises(TypeError):
        add_workdays(date(2025, 1, 2), True)


def test_add_workdays_rejects_non_dates():
    with pytest.raises(TypeError):
        add_workdays("2025-01-02", 1)


def test_next_workday_is_strictly_after(no_warnings):
    assert next_workday(date(2025, 9, 30)) == date(2025, 10, 9)
    assert next_workday(date(2025, 10, 10)) == date(2025, 10, 11)
    assert next_workday(date(2026, 12, 31), OVERRIDES_2027) == date(2027, 1, 4)


# -- workdays_between -------------------------------------------------------------


def test_workdays_between_national_day_2025(no_warnings):
    # After 30 Sep up to 13 Oct: 9, 10, 11 (Sat), 13 Oct.
    assert workdays_between(date(2025, 9, 30), date(2025, 10, 13)) == 4


def test_workdays_between_excludes_start_and_includes_end(no_warnings):
    assert workdays_between(date(2025, 10, 9), date(2025, 10, 10)) == 1
    assert workdays_between(date(2025, 10, 9), date(2025, 10, 9)) == 0


def test_workdays_between_is_negative_when_end_is_before_start(no_warnings):
    assert workdays_between(date(2025, 10, 13), date(2025, 9, 30)) == -4


def test_workdays_between_across_new_year_2026(no_warnings):
    assert workdays_between(date(2025, 12, 31), date(2026, 1, 5)) == 2


def test_workdays_between_whole_year_2025(no_warnings):
    # 261 weekdays - 18 weekday holidays + 5 make-up weekend days.
    assert workdays_between(date(2024, 12, 31), date(2025, 12, 31)) == 248


def test_workdays_between_accepts_datetimes(no_warnings):
    start = datetime(2025, 9, 30, 20, 0, tzinfo=timezone.utc)  # 1 Oct in Beijing
    assert workdays_between(start, date(2025, 10, 13)) == 4


# -- consistency and speed --------------------------------------------------------


def test_add_and_between_agree_with_a_day_by_day_count(no_warnings):
    rng = random.Random(2025)
    for _ in range(300):
        start = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 600))
        n = rng.randrange(0, 250)  # stays inside the years the package covers
        due = add_workdays(start, n)
        # Day-by-day reference using the package directly.
        count, day = 0, start
        if n == 0:
            while not chinese_calendar.is_workday(day):
                day += timedelta(days=1)
        while count < n:
            day += timedelta(days=1)
            if chinese_calendar.is_workday(day):
                count += 1
        assert due == day, (start, n)
        if n:
            assert workdays_between(start, due) == n
        assert add_workdays(due, -n) <= start or n == 0


def test_due_dates_for_thousands_of_items_do_not_consult_the_package_per_day(monkeypatch, no_warnings):
    calls = []
    original = chinese_calendar.is_workday

    def counting(day):
        calls.append(day)
        return original(day)

    monkeypatch.setattr(chinese_calendar, "is_workday", counting)
    workdays._base_year.cache_clear()
    try:
        calendar = WorkdayCalendar({date(2025, 10, 13): False})
        for offset in range(3000):
            calendar.add_workdays(date(2025, 1, 1) + timedelta(days=offset % 365), 200)
        # One lookup per day of each year built (2025, 2026), not per item.
        assert len(calls) <= 365 * 2
    finally:
        workdays._base_year.cache_clear()
