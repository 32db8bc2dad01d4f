"""Tracking numbers a member of the public reads aloud and types back (受理编号, 留言编号).

``GX2026-8K3F-Q7``: a prefix naming the lookup it belongs to and the year, then six
characters drawn with ``secrets`` from a 27-character alphabet without look-alikes (no
0/O, 1/I/L, 2/Z, B, S), so a number read over the phone is taken down right. 27^6 ≈ 387
million numbers a year; a collision is retried by the caller (unique constraint).
"""

import secrets

from django.utils import timezone

ALPHABET = "3456789ACDEFGHJKMNPQRTUVWXY"


def new_tracking_number(prefix: str, now=None) -> str:
    year = timezone.localtime(now or timezone.now()).year
    chars = "".join(secrets.choice(ALPHABET) for _ in range(6))
    return f"{prefix}{year}-{chars[:4]}-{chars[4:]}"


def normalise(value: str) -> str:
    """What a person typed (lower case, spaces, full-width dashes) as a stored number."""
    value = (value or "").strip().upper().replace(" ", "").replace("－", "-").replace("—", "-")
    return value[:20]
