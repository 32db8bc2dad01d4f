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


@register.simple_tag(takes_context=True)
def nonced_media(context, media):
    """Render form media with the request's CSP nonce on every tag (the rich-text
    editor's inline import map needs it; django-csp adds the nonce to the header)."""
    from js_asset import Media

    nonce = getattr(context.get("request"), "csp_nonce", None)
    if not media or nonce is None:
        return media
    return Media.from_media(media, nonce=str(nonce)).render()
