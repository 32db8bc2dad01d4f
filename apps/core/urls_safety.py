"""Which stored URLs may become a link or a redirect: http(s) and site-relative paths.

One rule for every app, used twice: on input as a model-field validator
(``validate_safe_url``) and on output by the ``safe_url`` template filter
(apps/core/templatetags/portal_tags.py), so a row written before the validator
existed, or by a path that skips it, still never renders ``javascript:``.

Browsers forgive a lot in a URL: they drop leading and trailing spaces and C0
controls, remove tabs and newlines anywhere, read the scheme case-insensitively
and treat ``\\`` like ``/``. The check reads the URL as a browser would, so
``"  JaVaScRiPt:"``, ``"java\\tscript:"`` and ``"/\\evil.example"`` are refused.
"""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SAFE_SCHEMES = frozenset({"http", "https"})

# Stripped from both ends by browsers (the URL standard's "C0 control or space").
_EDGE = "".join(chr(c) for c in range(0x21))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

MESSAGE = _("链接地址只能是以 / 开头的站内路径或以 http:// 、https:// 开头的网址。")


def browser_reading(url: str) -> str:
    """The URL as a browser parses it from an attribute (before resolving)."""
    return _TAB_OR_NEWLINE.sub("", str(url).strip(_EDGE)).replace("\\", "/")


def is_safe_url(url) -> bool:
    """True for an http(s) URL with a host, or a path on this site ("/…", not "//…")."""
    if url is None:
        return False
    seen = browser_reading(url)
    if not seen:
        return False
    if seen.startswith("/"):
        return not seen.startswith("//")
    try:
        parts = urlsplit(seen)
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.hostname)


def validate_safe_url(value) -> None:
    """Model-field validator: refuse anything but http(s) and site-relative paths,
    and any control character or surrounding space (what a browser would silently drop)."""
    if not value:
        return
    text = str(value)
    if _CONTROL.search(text) or text != text.strip() or not is_safe_url(text):
        raise ValidationError(MESSAGE, code="unsafe_url")


def safe_url_or(url, fallback: str = "#") -> str:
    """``url`` when it is safe to render as a link, else ``fallback``."""
    return str(url) if url and is_safe_url(url) else fallback
