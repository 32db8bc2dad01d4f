"""When the talent column changes by itself: the page cache's next-change provider.

A public page showing rounds changes, without any editorial action, when a round
opens, when it becomes "closing soon", when it closes, and (for "还剩N天") at
Beijing midnight while a round with a deadline is open. One aggregate query over
the published programmes' rounds (indexed on nothing special: a handful of rows).
"""

import datetime as dt

from django.db.models import Min, Q
from django.utils import timezone

from .models import ApplicationRound, closing_soon_period


def _next_midnight(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    tomorrow = local.date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min), local.tzinfo)


def next_round_change(now: dt.datetime) -> dt.datetime | None:
    """The next instant after ``now`` at which a published round's state (or its
    days-left count) changes; None when no round has anything ahead."""
    soon = closing_soon_period()
    found = ApplicationRound.objects.public().filter(always_open=False).aggregate(
        opens=Min("opens_at", filter=Q(opens_at__gt=now)),
        closes=Min("closes_at", filter=Q(closes_at__gt=now)),
        soon=Min("closes_at", filter=Q(closes_at__gt=now + soon)),
        counting=Min("closes_at", filter=Q(opens_at__lte=now, closes_at__gt=now)),
    )
    times = [found["opens"], found["closes"]]
    if found["soon"] is not None:
        times.append(found["soon"] - soon)
    if found["counting"] is not None:  # an open round shows "还剩N天": it changes at midnight
        times.append(_next_midnight(now))
    return min((t for t in times if t is not None and t > now), default=None)
