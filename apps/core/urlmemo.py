"""Memoising URL work (reverse, translate_url) that every public page repeats.

A reversed or translated URL depends on the URLconf in use, the script prefix
and the active language (i18n_patterns' prefix); nothing else. ``per_urlconf``
caches a function's result under those three plus its own arguments, so one
process computes each header link once instead of on every request.
"""

from functools import lru_cache, wraps

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language


def url_context() -> tuple:
    """What a reversed URL depends on besides its name: URLconf, script prefix, language."""
    return (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), get_language())


def per_urlconf(maxsize: int):
    """Decorator: an ``lru_cache`` of ``maxsize`` keyed by :func:`url_context` and the
    (hashable) arguments."""

    def decorate(function):
        cached = lru_cache(maxsize=maxsize)(lambda _context, *args: function(*args))

        @wraps(function)
        def wrapper(*args):
            return cached(url_context(), *args)

        wrapper.cache_clear = cached.cache_clear
        return wrapper

    return decorate
