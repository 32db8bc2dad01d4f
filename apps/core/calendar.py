"""Working-day arithmetic with the admin-entered overrides applied, and the Beijing day
of a moment (every deadline is counted in Beijing days)."""

from datetime import date, datetime

from django.utils import timezone

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


def local_day(moment: datetime) -> date:
    """The Beijing day of ``moment``."""
    return moment.astimezone(workdays.SHANGHAI).date()


def today() -> date:
    return local_day(timezone.now())


def reminder_day(due: date, workdays_before: int, calendar=None) -> date:
    """The day a deadline's reminder goes out: ``workdays_before`` working days before
    ``due`` (on ``due`` itself when 0)."""
    if not workdays_before:
        return due
    return (calendar or working_calendar()).add_workdays(due, -workdays_before)
