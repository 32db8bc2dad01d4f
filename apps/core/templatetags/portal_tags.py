from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value) -> int:
    """Whole minutes of a timedelta (rounded up), e.g. for a lockout message."""
    if not isinstance(value, timedelta):
        return 0
    return max(1, -(-int(value.total_seconds()) // 60))


@register.filter
def safe_url(value) -> str:
    """The stored URL if it is http(s) or a site path, else "#" (never javascript:, data: …).
    Use on every href/src built from a stored value: ``href="{{ link.url|safe_url }}"``."""
    from apps.core.urls_safety import safe_url_or

    return safe_url_or(value)
