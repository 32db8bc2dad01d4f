"""The whole-page cache for anonymous readers: its invalidation interface.

Every public page is cached whole under a key that includes one site-wide
*content generation*. Anything that changes what the public can see calls
``content_changed()`` from its action; the generation is bumped after commit,
so every cached page is stale at once and the next reader renders afresh.

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

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "pagecache:generation"

log = logging.getLogger(__name__)

#: Callables ``provider(now) -> datetime | None``: the next moment after ``now`` at
#: which public content changes by itself (None: nothing scheduled).
_next_change_providers: list[Callable[[dt.datetime], dt.datetime | None]] = []


def generation() -> int:
    """The current content generation (0 until the first change)."""
    return int(cache.get(GENERATION_KEY) or 0)


def bump() -> None:
    """Bump the generation now. For code that already runs after commit (an on-commit
    callback); actions call ``content_changed()``."""
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # not set yet (or evicted): start a new, distinct generation
            cache.add(GENERATION_KEY, int(time.time() * 1000), timeout=None)
            cache.incr(GENERATION_KEY)
    except Exception:  # the cache is down: pages age out by their timeout
        log.exception("could not bump the page cache generation")


def content_changed() -> None:
    """What the public sees has changed: bump the generation after commit.

    Call it from every action that publishes, takes down, or otherwise changes
    public content. Outside a transaction it bumps at once.

    It also bumps at once inside the transaction (a "double delete"): nothing
    cached before the change is served after this call, and a page rendered
    from the pre-commit data meanwhile is dropped by the bump after commit. In
    a rolled-back transaction the first bump only costs a re-render.
    """
    if transaction.get_connection().in_atomic_block:
        bump()
    transaction.on_commit(bump)


def register_next_change(provider: Callable[[dt.datetime], dt.datetime | None]) -> None:
    """Register a source of scheduled changes (called once, from ``AppConfig.ready``)."""
    if provider not in _next_change_providers:
        _next_change_providers.append(provider)


def next_change(now: dt.datetime) -> dt.datetime | None:
    """The earliest scheduled change after ``now`` across all providers."""
    times = [t for t in (p(now) for p in _next_change_providers) if t is not None and t > now]
    return min(times, default=None)
