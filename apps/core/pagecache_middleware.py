"""The whole-page cache for anonymous readers (see docs/ARCHITECTURE.md, "Page cache").

``PageCacheMiddleware`` sits outside sessions, locale, script conversion and the
views: a hit answers from one cache read (no session, no database), a miss stores
the final bytes (already converted to Traditional under ``/zh-hant/``).

- **Who**: GET and HEAD without a session cookie and without ``Authorization``.
  Anyone with a session cookie (staff, a logged-in enterprise user) is never served
  from the cache nor stored, and without touching the database to find out.
- **What is stored**: a GET's 200 public HTML page or feed (``is_public_html``), not
  under an excluded namespace (the admin, editorial previews and share links), that
  sets no cookie, does not vary on ``Cookie`` and is not marked private or no-store.
  A page that uses ``{% csrf_token %}`` sets the CSRF cookie and varies on ``Cookie``,
  so it is never stored: one reader's token is never served to another.
- **Key**: scheme, host, path and query string (the script is in the path), and the
  values of the cookies that change a public page (``PARKPORTAL_PAGECACHE_VARY_COOKIES``:
  elder mode). The entry carries the content generation it was rendered under (and
  its area's, for a page in an area: ``pagecache.register_area``); a different
  current generation (``pagecache.content_changed()``) is a miss.
- **Lifetime**: ``PARKPORTAL_PAGECACHE_TIMEOUT`` (600 s), never past
  ``pagecache.next_change(now)``.
- **HTTP**: ``ETag`` (of the bytes) and ``Last-Modified`` (when rendered) with 304s on
  conditional requests; ``Cache-Control: public, max-age=0, s-maxage=<n>`` where
  ``n`` is ``PARKPORTAL_PAGECACHE_SHARED_MAX_AGE`` (5 s) bounded by the entry's life, so
  a reverse proxy may micro-cache it; ``Vary: Cookie`` because elder mode changes the
  bytes. A response to a reader with a session gets ``private, no-store`` unless the
  view said otherwise.
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, get_conditional_response, has_vary_header, patch_vary_headers
from django.utils.http import http_date

from . import pagecache
from .middleware import is_public_html

log = logging.getLogger(__name__)

ENTRY_PREFIX = "pagecache:page:"
#: Headers a stored page does not keep: recomputed for each answer.
_DROPPED_HEADERS = {"content-length", "cache-control", "etag", "last-modified", "date", "expires"}
_UNCACHEABLE_DIRECTIVES = {"private", "no-store", "no-cache"}


def _setting(name: str, default):
    return getattr(settings, f"PARKPORTAL_PAGECACHE_{name}", default)


def eligible(request) -> bool:
    """May this request be answered from the cache (and its answer stored)? Cheap:
    method and cookies only; an identified reader (session cookie) never is."""
    return (
        _setting("ENABLED", True)
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def page_key(request) -> str:
    """The cache key of what this request would render: everything that changes the bytes
    except the content generation, which the entry carries."""
    cookies = "|".join(request.COOKIES.get(name, "") for name in _setting("VARY_COOKIES", ()))
    raw = "\n".join((request.scheme, request.get_host(), request.get_full_path(), cookies))
    return ENTRY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def storable(request, response) -> bool:
    if request.method != "GET" or response.status_code != 200 or not is_public_html(request, response):
        return False
    match = getattr(request, "resolver_match", None)
    if match and set(match.namespaces) & set(_setting("EXCLUDED_NAMESPACES", ("admin", "editorial"))):
        return False
    if response.cookies or has_vary_header(response, "Cookie") or has_vary_header(response, "*"):
        return False
    directives = {d.split("=")[0].strip().lower() for d in cc_delim_re.split(response.get("Cache-Control", ""))}
    return not directives & _UNCACHEABLE_DIRECTIVES


def _current_generation(found, key: str) -> int:
    """The generation, started at a fresh value if the cache lost it (an evicted key
    restarting at 0 could match an older entry rendered under 0)."""
    if found is not None:
        return int(found)
    cache.add(key, int(time.time() * 1000), timeout=None)
    return int(cache.get(key) or 0)


def _lifetime(now: float) -> int:
    """Whole seconds the page may be kept: the setting, never past the next scheduled change."""
    seconds = _setting("TIMEOUT", 600)
    upcoming = pagecache.next_change(_aware(now))
    if upcoming is not None:
        seconds = min(seconds, upcoming.timestamp() - now)
    return int(seconds)


def _aware(timestamp: float):
    import datetime as dt

    return dt.datetime.fromtimestamp(timestamp, tz=dt.timezone.utc)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not eligible(request):
            return self._identified(self.get_response(request))
        key = page_key(request)
        generation_keys = [pagecache.GENERATION_KEY]
        area = pagecache.area_of(request.path)
        if area is not None:
            generation_keys.append(pagecache.generation_key(area))
        try:
            found = cache.get_many([*generation_keys, key])
            generation = tuple(_current_generation(found.get(k), k) for k in generation_keys)
        except Exception:  # the cache is down: serve uncached, never an error page
            log.exception("page cache unavailable")
            return self.get_response(request)
        entry = found.get(key)
        now = time.time()
        if entry is not None and entry["generation"] == generation and entry["expires"] > now:
            return self._answer(request, entry, now, hit=True)
        response = self.get_response(request)
        if not storable(request, response):
            return response
        lifetime = _lifetime(now)
        if lifetime < 1:
            return response
        entry = {
            "generation": generation,
            "expires": now + lifetime,
            "rendered": now,
            "headers": [(k, v) for k, v in response.items() if k.lower() not in _DROPPED_HEADERS],
            "content": response.content,
            "etag": '"%s"' % hashlib.md5(response.content, usedforsecurity=False).hexdigest(),
        }
        try:
            cache.set(key, entry, timeout=lifetime)
        except Exception:
            log.exception("page cache unavailable")
        return self._answer(request, entry, now, hit=False)

    def _answer(self, request, entry, now: float, *, hit: bool):
        response = HttpResponse(b"" if request.method == "HEAD" else entry["content"])
        for name, value in entry["headers"]:
            response[name] = value
        response["Content-Length"] = str(len(entry["content"]))
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = http_date(int(entry["rendered"]))
        shared = max(0, min(_setting("SHARED_MAX_AGE", 5), int(entry["expires"] - now)))
        response["Cache-Control"] = f"public, max-age=0, s-maxage={shared}"
        response["X-Page-Cache"] = "hit" if hit else "miss"
        patch_vary_headers(response, ("Cookie",))
        return get_conditional_response(
            request, etag=entry["etag"], last_modified=int(entry["rendered"]), response=response
        )

    @staticmethod
    def _identified(response):
        """A reader with a session (or a form post): nothing a shared cache may keep."""
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response
