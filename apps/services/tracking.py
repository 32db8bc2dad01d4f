"""Tracking numbers of service requests (受理编号): ``GX2026-8K3F-Q7``
(the shape and alphabet are ``apps.core.tracking``'s)."""

from apps.core.tracking import ALPHABET, normalise  # noqa: F401 - this domain's names for them
from apps.core.tracking import new_tracking_number as _new

PREFIX = "GX"


def new_tracking_number(now=None) -> str:
    return _new(PREFIX, now)
