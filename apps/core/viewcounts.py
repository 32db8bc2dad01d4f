"""View counts (浏览次数) without a database write per request.

A public view marks its response with ``mark(response, item)``: a response header
naming the item (``X-Parkportal-Viewed: news.pressrelease:42``). The header is stored
with the page in the page cache like any other header, so
``ViewCountMiddleware`` — outside the page cache — sees it on a cache hit as on a
miss, counts the view in the shared cache, and removes the header before the
response leaves. Nothing is counted for:

- a request that is not a GET answered 200 (HEAD, a 304 revalidation, errors);
- a known bot: the community-kept crawler-user-agents list (``crawleruseragents``,
  pinned in requirements.in), plus an empty User-Agent and browser prefetches
  (``Sec-Purpose: prefetch``/``Purpose: prefetch``).

The counters are flushed to ``ViewCount`` rows by beat (``core.flush_view_counts``,
every ``PARKPORTAL_VIEWCOUNT_FLUSH_SECONDS``): each counter is *taken* — read and
reset in one atomic step — so a view is added to the database by exactly one flush,
however many run at once. On Redis (django-redis) a counter is a plain Redis integer:
``INCR`` to count, ``GET`` + ``DEL`` in one ``MULTI``/``EXEC`` to take. On any other
cache (the file cache of the embedded default, locmem in tests), whose ``incr`` is a
read and a write, both run under an exclusive ``flock`` on
``PARKPORTAL_VIEWCOUNT_LOCK_FILE``: the file cache lives on one machine, so a file lock
serialises every process that shares it. If the database write of a flush fails,
the taken views are lost (logged), never counted twice.

What is counted is registered per model (``register(model, candidates)``, from the
app's ``ready()``): ``candidates()`` is the model's public read rule; a flush reads
the counters of those rows (``get_many`` in chunks), so it costs one cache round trip
per 500 public items. The page shows the figure stored in the database: it may lag
by the flush interval (and by the page cache's lifetime).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import F

HEADER = "X-Parkportal-Viewed"
PREFIX = "viewcount:"
CHUNK = 500

log = logging.getLogger(__name__)

#: label ("app_label.model") -> (model, callable returning the public queryset)
_registry: dict[str, tuple[type[models.Model], Callable[[], models.QuerySet]]] = {}


def label_of(model) -> str:
    return model._meta.label_lower


def register(model, candidates: Callable[[], models.QuerySet]) -> None:
    """Count views of ``model``; ``candidates()`` is its public read rule (e.g. ``published()``)."""
    _registry[label_of(model)] = (model, candidates)


def registered() -> dict:
    return dict(_registry)


def key_for(label: str, pk) -> str:
    return f"{PREFIX}{label}:{int(pk)}"


def mark(response, item):
    """Say that this response shows ``item`` (a registered model's row); returns the response."""
    if label_of(type(item)) in _registry:
        response[HEADER] = f"{label_of(type(item))}:{item.pk}"
    return response


# --- bots ---------------------------------------------------------------------------

@lru_cache(maxsize=2048)
def is_bot(user_agent: str) -> bool:
    """A known crawler, or no user agent at all (scripts and probes)."""
    import crawleruseragents

    user_agent = user_agent.strip()
    return not user_agent or crawleruseragents.is_crawler(user_agent)


def counts_as_view(request) -> bool:
    if request.method != "GET":
        return False
    meta = request.META
    if "prefetch" in meta.get("HTTP_SEC_PURPOSE", "") or meta.get("HTTP_PURPOSE", "") == "prefetch":
        return False
    return not is_bot(meta.get("HTTP_USER_AGENT", "")[:512])


# --- counters -----------------------------------------------------------------------

def _redis():
    """The raw Redis client behind django-redis, or None for any other cache."""
    client = getattr(cache, "client", None)
    if client is not None and hasattr(client, "get_client"):
        return client.get_client(write=True)
    return None


@contextlib.contextmanager
def _file_lock():
    path = getattr(settings, "PARKPORTAL_VIEWCOUNT_LOCK_FILE")
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def increment(label: str, pk) -> None:
    key = key_for(label, pk)
    redis = _redis()
    if redis is not None:
        redis.incr(cache.make_key(key))
        return
    with _file_lock():
        cache.set(key, int(cache.get(key) or 0) + 1, timeout=None)


def peek(label: str, pk) -> int:
    """The views counted and not flushed yet (tests and diagnostics)."""
    key = key_for(label, pk)
    redis = _redis()
    if redis is not None:
        return int(redis.get(cache.make_key(key)) or 0)
    return int(cache.get(key) or 0)


def take(keys: list[str]) -> dict[str, int]:
    """Read and reset the counters ``keys`` in one atomic step: the views each holds are
    returned to exactly one caller."""
    if not keys:
        return {}
    redis = _redis()
    if redis is not None:
        pipe = redis.pipeline(transaction=True)
        raw = [cache.make_key(k) for k in keys]
        for k in raw:
            pipe.get(k)
        pipe.delete(*raw)
        values = pipe.execute()[:-1]
        return {k: int(v) for k, v in zip(keys, values) if v is not None and int(v) > 0}
    with _file_lock():
        found = cache.get_many(keys)
        if found:
            cache.delete_many(list(found))
    return {k: int(v) for k, v in found.items() if int(v or 0) > 0}


def _chunks(values: Iterable, size: int):
    batch = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def flush() -> int:
    """Move every registered model's counted views into ``ViewCount``; returns the views moved."""
    from django.contrib.contenttypes.models import ContentType

    from .models import ViewCount

    moved = 0
    for label, (model, candidates) in _registry.items():
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        ids = candidates().order_by().values_list("pk", flat=True).iterator(chunk_size=2000)
        for batch in _chunks(ids, CHUNK):
            taken = take([key_for(label, pk) for pk in batch])
            if not taken:
                continue
            try:
                with transaction.atomic():
                    for key, views in taken.items():
                        pk = int(key.rsplit(":", 1)[1])
                        row, _created = ViewCount.objects.get_or_create(content_type=content_type, object_id=pk)
                        ViewCount.objects.filter(pk=row.pk).update(count=F("count") + views)
                        moved += views
            except Exception:
                log.exception("view counts: %d views of %s taken but not written", sum(taken.values()), label)
                raise
    return moved


def count_of(item) -> int:
    """The flushed figure for ``item`` (one query)."""
    from django.contrib.contenttypes.models import ContentType

    from .models import ViewCount

    content_type = ContentType.objects.get_for_model(type(item), for_concrete_model=False)
    found = ViewCount.objects.filter(content_type=content_type, object_id=item.pk).values_list("count", flat=True).first()
    return found or 0


class ViewCountMiddleware:
    """Counts a view for a response marked by ``mark()`` and strips the mark. Sits just
    outside the page cache, so pages served from it are counted too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        viewed = response.get(HEADER)
        if viewed is None:
            return response
        del response[HEADER]
        if response.status_code == 200 and counts_as_view(request):
            label, _sep, pk = viewed.rpartition(":")
            try:
                increment(label, int(pk))
            except Exception:  # the cache is down: a lost view, never an error page
                log.exception("view count not recorded")
        return response
