"""Anti-spam for the public message form, without an image captcha (accessible, no
JavaScript needed). Three independent checks:

1. **Rate limit** per client address: ``PARKPORTAL_INTERACTION_SUBMIT_LIMIT`` posts per
   ``…_SUBMIT_WINDOW`` seconds (a cache counter), then 429.
2. **Honeypot**: a field people never see (moved off-screen, ``aria-hidden``, out of the
   tab order, with a label saying to leave it empty) that form-filling robots fill.
3. **Minimum time on the form**: the form carries a signed timestamp (``django.core.signing``,
   so it cannot be forged) from when it was rendered; a post sooner than
   ``PARKPORTAL_INTERACTION_MIN_FORM_SECONDS`` or later than ``…_FORM_MAX_AGE`` is refused
   (the form is shown again, filled in, with a fresh timestamp).
"""

import time

from django.conf import settings
from django.core import signing

from apps.core import ratelimit

SALT = "interaction.form-started"
HONEYPOT = "website"


def _setting(name, default):
    return getattr(settings, f"PARKPORTAL_INTERACTION_{name}", default)


def over_limit(request, scope: str, limit: int, window: int) -> bool:
    """Count this attempt; True past ``limit`` per ``window`` seconds for this address."""
    return ratelimit.over_limit(request, f"interaction:{scope}", limit=limit, window=window)


def submit_over_limit(request) -> bool:
    return over_limit(request, "submit", _setting("SUBMIT_LIMIT", 5), _setting("SUBMIT_WINDOW", 3600))


def lookup_over_limit(request) -> bool:
    return over_limit(request, "lookup", _setting("LOOKUP_LIMIT", 10), _setting("LOOKUP_WINDOW", 600))


def new_form_token(now: float | None = None) -> str:
    return signing.dumps(int((now or time.time()) * 1000), salt=SALT)


def form_age(token: str, now: float | None = None) -> float | None:
    """Seconds since the form was rendered, or None for a missing, forged or expired token."""
    max_age = _setting("FORM_MAX_AGE", 7200)
    try:
        started = signing.loads(token or "", salt=SALT, max_age=max_age)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(started, int):
        return None
    age = (now or time.time()) - started / 1000
    return age if -5 <= age <= max_age else None


def too_fast(age: float) -> bool:
    return age < _setting("MIN_FORM_SECONDS", 5)


def honeypot_filled(data) -> bool:
    return bool((data.get(HONEYPOT) or "").strip())
