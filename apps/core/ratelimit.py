"""A fixed-window count of attempts per client address, in the shared cache (public
lookups and forms that have no account to lock), and the client address itself."""

from axes.helpers import get_client_ip_address
from django.core.cache import cache


def client_ip(request) -> str | None:
    """The client's address (see :func:`client_address`), or None if it has none."""
    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR") or None


def client_address(request) -> str:
    """The client's address by the rule the login lockout uses (django-axes' own
    resolution, through django-ipware configured from ``PARKPORTAL_TRUSTED_PROXIES``): with no proxy in
    front, REMOTE_ADDR (a forged X-Forwarded-For is ignored); behind nginx, the entry
    the proxy appended, not the proxy's own address, which every client shares."""
    return client_ip(request) or "unknown"


def over_limit(request, scope: str, *, limit: int, window: int) -> bool:
    """Count this attempt; True past ``limit`` attempts per ``window`` seconds from this
    address within ``scope`` (e.g. ``"services:lookup"``)."""
    key = f"ratelimit:{scope}:{client_address(request)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit
