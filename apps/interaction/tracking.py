"""Tracking numbers of messages (留言编号): ``LY2026-8K3F-Q7``, with the 留言 prefix so a
number says which lookup it belongs to (the shape and alphabet are ``apps.core.tracking``'s)."""

from apps.core.tracking import normalise  # noqa: F401 - this domain's name for it
from apps.core.tracking import new_tracking_number as _new

PREFIX = "LY"


def new_tracking_number(now=None) -> str:
    return _new(PREFIX, now)
