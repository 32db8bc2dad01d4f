"""Working-day arithmetic with the admin-entered overrides applied."""

from . import workdays
from .models import WorkdayOverride


def working_calendar() -> workdays.WorkdayCalendar:
    return workdays.WorkdayCalendar(WorkdayOverride.objects.as_mapping())


def add_workdays(start, n: int):
    """``start`` plus ``n`` working days on the official calendar (Beijing time)."""
    return working_calendar().add_workdays(start, n)
