"""The whole-page cache for anonymous readers: its invalidation interface.

Every public page is cached whole under a key that includes one site-wide
*content generation*. Anything that changes what the public can see calls
``content_changed()`` from its action; the generation is bumped after commit,
so every cached page is stale at once and the next reader renders afresh.

A page whose content changes far more often than the rest of the site (the
service statistics move with every request accepted, resolved or rated) belongs to an *area*
(``register_area``: a name and the path prefixes of its pages, without the
script prefix). Its actions call ``content_changed(area=…)``: only the area's
pages are stale; a site-wide change still makes them stale too.

Content that changes by itself at a known time (a scheduled go-live, an
expiry, an application round opening or closing) is announced through
``register_next_change``: a cached page never lives past the next such time.

This module is the interface the apps call; the middleware that serves and
stores pages is ``apps.core.pagecache_middleware`` (issue 9).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import NoReverseMatch, get_urlconf, reverse

from .scripts import neutral_path

GENERATION_KEY = "pagecache:generation"
AREA_PREFIX = "pagecache:generation:"

log = logging.getLogger(__name__)

#: Callables ``provider(now) -> datetime | None``: the next moment after ``now`` at
#: which public content changes by itself (None: nothing scheduled).
_next_change_providers: list[Callable[[dt.datetime], dt.datetime | None]] = []

#: Area name -> path prefixes (without ``/zh-hant``) or URL names of the pages in it;
#: ``_resolved`` holds them as paths, per URLconf.
_areas: dict[str, tuple] = {}
_resolved: dict[str, list[tuple[str, tuple[str, ...]]]] = {}


def register_area(name: str, prefixes: tuple) -> None:
    """Pages under ``prefixes`` (paths starting with "/", or URL names, resolved in the
    project's URLconf on first use) also depend on the area's own generation (called
    once, from ``AppConfig.ready``)."""
    _areas[name] = tuple(prefixes)
    _resolved.clear()


def _resolve(prefixes: tuple, urlconf) -> tuple[str, ...]:
    """The prefixes as paths in ``urlconf``; a URL name it does not have is no page of it."""
    paths = []
    for prefix in prefixes:
        if prefix.startswith("/"):
            paths.append(prefix)
            continue
        try:
            paths.append(reverse(prefix, urlconf=urlconf))
        except NoReverseMatch:
            continue
    return tuple(paths)


def area_of(path: str) -> str | None:
    """The area a public path belongs to, if any (either script)."""
    if not _areas:
        return None
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    resolved = _resolved.get(urlconf)
    if resolved is None:  # once per URLconf (a test may serve another one)
        resolved = _resolved[urlconf] = [(name, _resolve(prefixes, urlconf)) for name, prefixes in _areas.items()]
    path = neutral_path(path)
    for name, prefixes in resolved:
        if prefixes and path.startswith(prefixes):
            return name
    return None


def generation_key(area: str | None = None) -> str:
    return GENERATION_KEY if area is None else AREA_PREFIX + area


def generation(area: str | None = None) -> int:
    """The current content generation, site-wide or of an area (0 until the first change)."""
    return int(cache.get(generation_key(area)) or 0)


def bump(area: str | None = None) -> None:
    """Bump a generation now. For code that already runs after commit (an on-commit
    callback); actions call ``content_changed()``."""
    key = generation_key(area)
    try:
        try:
            cache.incr(key)
        except ValueError:  # not set yet (or evicted): start a new, distinct generation
            cache.add(key, int(time.time() * 1000), timeout=None)
            cache.incr(key)
    except Exception:  # the cache is down: pages age out by their timeout
        log.exception("could not bump the page cache generation")


def content_changed(area: str | None = None) -> None:
    """What the public sees has changed: bump the generation after commit.

    Call it from every action that publishes, takes down, or otherwise changes
    public content. Outside a transaction it bumps at once.

    It also bumps at once inside the transaction (a "double delete"): nothing
    cached before the change is served after this call, and a page rendered
    from the pre-commit data meanwhile is dropped by the bump after commit. In
    a rolled-back transaction the first bump only costs a re-render.

    ``area``: only the pages of that area changed (``register_area``).
    """
    if area is not None and area not in _areas:
        raise LookupError(f"no page cache area {area!r} is registered")
    if transaction.get_connection().in_atomic_block:
        bump(area)
    transaction.on_commit(lambda: bump(area))


def register_next_change(provider: Callable[[dt.datetime], dt.datetime | None]) -> None:
    """Register a source of scheduled changes (called once, from ``AppConfig.ready``)."""
    if provider not in _next_change_providers:
        _next_change_providers.append(provider)


def next_change(now: dt.datetime) -> dt.datetime | None:
    """The earliest scheduled change after ``now`` across all providers."""
    times = [t for t in (p(now) for p in _next_change_providers) if t is not None and t > now]
    return min(times, default=None)
