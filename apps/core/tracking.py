"""Tracking numbers a member of the public reads aloud and types back (受理编号, 留言编号).

``GX2026-8K3F-Q7``: a prefix naming the lookup it belongs to and the year, then six
characters drawn with ``secrets`` from a 27-character alphabet without look-alikes (no
0/O, 1/I/L, 2/Z, B, S), so a number read over the phone is taken down right. 27^6 ≈ 387
million numbers a year; a collision (unique constraint) is drawn again by
``create_with_number``. A lookup shows a row only to whoever gives its phone number
(``phone_matches``: the digits alone are compared).
"""

import secrets

from django.db import IntegrityError, transaction
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


def create_with_number(manager_or_model, prefix: str, *, attempts: int = 5, **fields):
    """Create a row with a new ``tracking_number`` (``prefix``), drawing again when the
    number is taken (the unique constraint); IntegrityError when every draw was."""
    manager = getattr(manager_or_model, "objects", manager_or_model)
    for _attempt in range(attempts):
        try:
            with transaction.atomic():
                return manager.create(tracking_number=new_tracking_number(prefix), **fields)
        except IntegrityError:  # a collision: draw again
            continue
    raise IntegrityError("could not draw a free tracking number")


def phone_digits(phone: str) -> str:
    """The digits of a phone number as typed ("0991-123 4567" → "09911234567")."""
    return "".join(ch for ch in phone or "" if ch.isdigit())


def phone_matches(stored: str, given: str) -> bool:
    """Whether a lookup's phone number is the stored one (digits only; never an empty one)."""
    digits = phone_digits(stored)
    return bool(digits) and digits == phone_digits(given)
