"""The reply deadline of a message, in working days on the official calendar
(``apps.core.calendar``: chinese-calendar plus the admin's overrides, Beijing time).

The reply is due on the ``PARKPORTAL_INTERACTION_REPLY_WORKDAYS``-th working day
after the day of acceptance (default 10); the reminder goes out
``PARKPORTAL_INTERACTION_REMIND_WORKDAYS`` working days before (default 2).
"""

from datetime import date, datetime

from django.conf import settings

from apps.core import calendar as core_calendar
from apps.core.calendar import local_day, today, working_calendar  # noqa: F401 - this domain's names for them


def reply_workdays() -> int:
    return getattr(settings, "PARKPORTAL_INTERACTION_REPLY_WORKDAYS", 10)


def due_date(accepted_at: datetime, calendar=None) -> date:
    calendar = calendar or working_calendar()
    return calendar.add_workdays(local_day(accepted_at), reply_workdays())


def reminder_day(due: date, calendar=None) -> date:
    return core_calendar.reminder_day(due, getattr(settings, "PARKPORTAL_INTERACTION_REMIND_WORKDAYS", 2), calendar)
