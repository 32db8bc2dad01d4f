"""Tracking numbers of messages (留言编号): ``LY2026-8K3F-Q7``, the same shape and
alphabet as service requests' (``apps.services.tracking``: readable aloud, no
look-alikes, drawn with ``secrets``), with the 留言 prefix so a number says which
lookup it belongs to."""

import secrets

from django.utils import timezone

ALPHABET = "3456789ACDEFGHJKMNPQRTUVWXY"
PREFIX = "LY"


def new_tracking_number(now=None) -> str:
    year = timezone.localtime(now or timezone.now()).year
    chars = "".join(secrets.choice(ALPHABET) for _ in range(6))
    return f"{PREFIX}{year}-{chars[:4]}-{chars[4:]}"


def normalise(value: str) -> str:
    value = (value or "").strip().upper().replace(" ", "").replace("－", "-").replace("—", "-")
    return value[:20]
