"""apps.core.calendar: the Beijing day of a moment, and a deadline's reminder day."""

from datetime import date, datetime, timezone

import pytest

from apps.core import calendar


def test_local_day_is_the_beijing_day():
    assert calendar.local_day(datetime(2026, 3, 15, 16, 30, tzinfo=timezone.utc)) == date(2026, 3, 16)
    assert calendar.local_day(datetime(2026, 3, 15, 15, 59, tzinfo=timezone.utc)) == date(2026, 3, 15)


@pytest.mark.django_db
def test_reminder_day_counts_working_days_back_over_the_weekend():
    monday = date(2026, 3, 16)
    assert calendar.reminder_day(monday, 2) == date(2026, 3, 12)  # Thursday
    assert calendar.reminder_day(monday, 0) == monday
