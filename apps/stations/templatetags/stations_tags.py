import json

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def jsonld(value) -> str:
    """A dict as JSON for a ``<script type="application/ld+json">`` element: the
    characters that could end the element or start markup are escaped."""
    return mark_safe(json.dumps(value, ensure_ascii=False).translate(_ESCAPES))
