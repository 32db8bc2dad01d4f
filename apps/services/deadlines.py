"""The deadline clock of a request, in working days (工作日) on the official calendar.

The clock starts at acceptance: the due date is the ``deadline_days``-th working
day after the day of acceptance. Time spent waiting for the requester (补正) does
not count: the working days from the 补正 request to the answer (after the day
the request was made, up to and including the answer's day) are added to the
deadline when the answer arrives. The calendar is ``apps.core.calendar``
(chinese-calendar plus the admin-entered overrides), in Beijing time.
"""

from datetime import date, datetime

from django.conf import settings

from apps.core import calendar as core_calendar
from apps.core.calendar import local_day, today, working_calendar  # noqa: F401 - this domain's names for them


def due_date(accepted_at: datetime, deadline_days: int, waited_workdays: int = 0, calendar=None) -> date:
    calendar = calendar or working_calendar()
    return calendar.add_workdays(local_day(accepted_at), deadline_days + waited_workdays)


def waited(since: datetime, until: datetime, calendar=None) -> int:
    """Working days lost to waiting for the requester between ``since`` and ``until``."""
    calendar = calendar or working_calendar()
    return max(0, calendar.workdays_between(local_day(since), local_day(until)))


def reminder_day(due: date, calendar=None) -> date:
    """The day the reminder goes out: ``PARKPORTAL_SERVICES_REMIND_WORKDAYS`` working days before the due date."""
    return core_calendar.reminder_day(due, getattr(settings, "PARKPORTAL_SERVICES_REMIND_WORKDAYS", 1), calendar)


def due_soon_until(day: date, calendar=None) -> date:
    """The last due date counted as "due soon" on ``day`` (the dashboard's window)."""
    calendar = calendar or working_calendar()
    return calendar.add_workdays(day, getattr(settings, "PARKPORTAL_SERVICES_DUE_SOON_WORKDAYS", 2))


def workdays_used(accepted_at: datetime, resolved_at: datetime, waited_workdays: int = 0, calendar=None) -> int:
    """Working days from acceptance to resolution (after the day of acceptance, up to and
    including the day of resolution), less those spent waiting for the requester."""
    calendar = calendar or working_calendar()
    return max(0, calendar.workdays_between(local_day(accepted_at), local_day(resolved_at)) - waited_workdays)


def rectify_due_date(opened_at: datetime, calendar=None) -> tuple[int, date]:
    """(days, due date) of a rectification case opened at ``opened_at``:
    ``PARKPORTAL_RATINGS_RECTIFY_WORKDAYS`` working days after the day it opened."""
    calendar = calendar or working_calendar()
    days = int(getattr(settings, "PARKPORTAL_RATINGS_RECTIFY_WORKDAYS", 5))
    return days, calendar.add_workdays(local_day(opened_at), days)
