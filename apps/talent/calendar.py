"""A round as an iCalendar file (RFC 5545), written with the ``icalendar`` library:
one event at the opening and one at the deadline, in Beijing time, so an
applicant can put the deadline in a calendar."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

#: Each event is a short block: starting at the opening, ending at the deadline.
EVENT_LENGTH = dt.timedelta(minutes=30)


def _event(round_, request, *, kind: str, start: dt.datetime, end: dt.datetime, summary: str, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", f"talent-round-{round_.pk}-{kind}@{request.get_host().split(':')[0]}")
    event.add("dtstamp", stamp)
    event.add("dtstart", timezone.localtime(start))
    event.add("dtend", timezone.localtime(end))
    event.add("summary", summary)
    event.add("url", request.build_absolute_uri(round_.programme.get_absolute_url()))
    event.add("description", f"{round_.programme.name} · {round_.title}")
    return event


def round_calendar(round_, request) -> bytes:
    programme = round_.programme
    calendar = Calendar()
    calendar.add("prodid", "-//parkportal//talent rounds//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{programme.name} {round_.title}")
    calendar.add("x-wr-timezone", timezone.get_current_timezone_name())
    stamp = timezone.now()
    if round_.always_open:
        return calendar.to_ical()
    calendar.add_component(_event(
        round_, request, kind="opens", start=round_.opens_at, end=round_.opens_at + EVENT_LENGTH, stamp=stamp,
        summary=_("%(name)s %(round)s 开始申报") % {"name": programme.name, "round": round_.title},
    ))
    deadline = _event(
        round_, request, kind="closes", start=round_.closes_at - EVENT_LENGTH, end=round_.closes_at, stamp=stamp,
        summary=_("%(name)s %(round)s 申报截止") % {"name": programme.name, "round": round_.title},
    )
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", _("申报即将截止"))
    alarm.add("trigger", dt.timedelta(days=-1))
    deadline.add_component(alarm)
    calendar.add_component(deadline)
    calendar.add_missing_timezones()
    return calendar.to_ical()
