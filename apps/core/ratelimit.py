"""A fixed-window count of attempts per client address, in the shared cache (public
lookups and forms that have no account to lock)."""

from django.core.cache import cache


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


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
