"""Working-day arithmetic with the admin-entered overrides applied."""

from . import workdays
from .models import WorkdayOverride


def working_calendar() -> workdays.WorkdayCalendar:
    return workdays.WorkdayCalendar(WorkdayOverride.objects.as_mapping())


def unknown_years_ahead(days: int = 90, now=None) -> list[int]:
    """Years within the next ``days`` days whose holidays and make-up working days
    are known neither to the calendar package nor from entries in the admin: their
    deadlines would count Monday to Friday only."""
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localtime(now or timezone.now(), workdays.SHANGHAI).date()
    calendar = working_calendar()
    last = today + timedelta(days=days)
    return [year for year in range(today.year, last.year + 1) if not calendar.year_is_known(year)]


def add_workdays(start, n: int):
    """``start`` plus ``n`` working days on the official calendar (Beijing time)."""
    return working_calendar().add_workdays(start, n)
