"""Reading a year's holiday schedule (节假日安排) as the State Council publishes it,
one holiday or make-up working day per line, for ``actions.enter_year_schedule``.

A holiday line names the holiday and gives one day or a range, e.g.::

    春节 2027-02-06 至 2027-02-13
    清明节：4月3日至5日
    元旦 2027年1月1日

A make-up working day (调休上班) line gives one or more days::

    春节调休 2月14日、2月20日

Dates are ``YYYY-MM-DD``, ``YYYY年M月D日``, ``M月D日`` or ``D日`` (the month of the
previous date on the line). Every problem names its line, in Chinese.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DATE = re.compile(
    r"(?:(?P<y1>\d{4})-(?P<m1>\d{1,2})-(?P<d1>\d{1,2}))"
    r"|(?:(?:(?P<y2>\d{4})年)?(?:(?P<m2>\d{1,2})月)?(?P<d2>\d{1,2})日)"
)
RANGE = re.compile(r"^\s*(至|到|~|～|—|–|-)\s*$")
NAME_STRIP = re.compile(r"[\s:：,，、;；。（）()\[\]【】]+")


@dataclass(frozen=True)
class ScheduleLine:
    number: int
    name: str
    days: tuple[date, ...]


def _dates(line: str, number: int, year: int) -> tuple[list[date], list[str], str]:
    """The dates of a line, the separators between them, and the name (the rest)."""
    found, separators, month, last_end = [], [], None, 0
    name_parts = []
    for match in DATE.finditer(line):
        between = line[last_end:match.start()]
        if found:
            separators.append(between)
        else:
            name_parts.append(between)
        last_end = match.end()
        y = int(match["y1"] or match["y2"] or year)
        m = match["m1"] or match["m2"] or month
        if m is None:
            raise ValidationError(_("第 %(n)d 行：“%(text)s”没有月份。") % {"n": number, "text": match.group(0)})
        month = m
        try:
            day = date(y, int(m), int(match["d1"] or match["d2"]))
        except ValueError:
            raise ValidationError(_("第 %(n)d 行：“%(text)s”不是有效的日期。") % {"n": number, "text": match.group(0)})
        if day.year != year:
            raise ValidationError(_("第 %(n)d 行：%(day)s 不在 %(year)d 年。") % {"n": number, "day": day, "year": year})
        found.append(day)
    name_parts.append(line[last_end:])
    name = NAME_STRIP.sub(" ", "".join(name_parts)).strip()
    name = re.sub(r"(放假|调休|上班|共\d+天)", "", name).strip() or name
    return found, separators, name


def parse_holidays(text: str, year: int) -> list[ScheduleLine]:
    """Holiday lines: a name and one day or a range (``A 至 B``)."""
    lines = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        if not raw.strip():
            continue
        days, separators, name = _dates(raw, number, year)
        if not days:
            raise ValidationError(_("第 %(n)d 行：没有找到日期（例如：春节 2027-02-06 至 2027-02-13）。") % {"n": number})
        if len(days) > 2 or (len(days) == 2 and not RANGE.match(separators[0])):
            raise ValidationError(_("第 %(n)d 行：假期请写一个日期或一个日期范围（例如：4月3日至5日）。") % {"n": number})
        start, end = days[0], days[-1]
        if end < start:
            raise ValidationError(_("第 %(n)d 行：结束日期早于开始日期。") % {"n": number})
        if (end - start).days > 15:
            raise ValidationError(_("第 %(n)d 行：假期超过 16 天，请检查日期。") % {"n": number})
        span = tuple(start + timedelta(days=i) for i in range((end - start).days + 1))
        lines.append(ScheduleLine(number, name or _("法定节假日"), span))
    return lines


def parse_workdays(text: str, year: int) -> list[ScheduleLine]:
    """Make-up working day lines: a name and one or more weekend days."""
    lines = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        if not raw.strip():
            continue
        days, separators, name = _dates(raw, number, year)
        if not days:
            raise ValidationError(_("第 %(n)d 行：没有找到日期（例如：春节调休 2027-02-20）。") % {"n": number})
        if any(RANGE.match(s) for s in separators):
            raise ValidationError(_("第 %(n)d 行：调休上班日请逐日列出，用顿号分隔。") % {"n": number})
        for day in days:
            if day.weekday() < 5:
                raise ValidationError(
                    _("第 %(n)d 行：%(day)s 是工作日，调休上班日应为周六或周日。") % {"n": number, "day": day}
                )
        lines.append(ScheduleLine(number, name or _("调休上班"), tuple(days)))
    return lines
