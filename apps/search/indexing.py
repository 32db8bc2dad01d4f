"""Writing the index. The index holds only what each registration's read rule
returns; it follows the editorial engine:

- ``on_public_versions_changed`` (receiver of ``apps.editorial.signals.
  public_version_changed`` and, for a batch's thousands of members at once,
  ``public_versions_changed``, inside the action's transaction): an item that left
  its read rule (withdrawn, unpublished, expired, archived, or no longer listed)
  leaves the index in the same transaction, so a search never returns it, even
  before any task runs; the items that are public are queued for (re-)indexing
  through the outbox, ``CHUNK`` per message (``search.index_items``, after commit,
  re-sent while the broker is down).
- ``index_items`` (the task's work) re-reads the items through the rule: indexes
  them, or removes those no longer public. Running it twice is harmless.
- ``rebuild`` (``manage.py rebuild_search_index``, the ``search.rebuild_index`` task):
  everything again, kind by kind, in chunks.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from apps.core import outbox

from . import dictionary, registry
from .backends import backend
from .models import SearchEntry
from .text import Segmenter, html_to_text, segment

EPOCH = dt.date(1970, 1, 1)
CHUNK = 500
#: Plain text kept for snippets (characters).
BODY_CHARS = 4000


def day_number(moment) -> int:
    if moment is None:
        return 0
    if isinstance(moment, dt.datetime):
        moment = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return (moment - EPOCH).days


def _text(item, source) -> str:
    if source is None:
        return ""
    if callable(source):
        value = source(item)
        return html_to_text(value) if "<" in (value or "") else (value or "")
    names = (source,) if isinstance(source, str) else source
    parts = []
    for name in names:
        value = getattr(item, name, "")
        if value is None or value == "":
            continue
        value = str(value)
        parts.append(html_to_text(value) if "<" in value else value.strip())
    return " ".join(parts)


def build_entry(registration, item, segmenter: Segmenter) -> SearchEntry:
    title = _text(item, registration.title)[:300]
    summary = _text(item, registration.summary)
    body = _text(item, registration.body)
    date = getattr(item, registration.date) if registration.date else None
    with translation.override(settings.LANGUAGE_CODE):
        url = registration.url(item) if registration.url else item.get_absolute_url()
    return SearchEntry(
        kind=registration.key, object_id=item.pk, title=title, summary=summary[:1000], body=body[:BODY_CHARS],
        url=url[:500], date=date, day=day_number(date),
        title_seg=segment(segmenter, title, "title"), summary_seg=segment(segmenter, summary, "summary"),
        body_seg=segment(segmenter, body, "body"),
    )


def _write(registration, items, segmenter) -> int:
    entries = [build_entry(registration, item, segmenter) for item in items]
    ids = [e.object_id for e in entries]
    SearchEntry.objects.filter(kind=registration.key, object_id__in=ids).delete()
    SearchEntry.objects.bulk_create(entries, batch_size=CHUNK)
    backend().after_write(SearchEntry.objects.filter(kind=registration.key, object_id__in=ids))
    return len(entries)


def remove(registration, pk) -> int:
    deleted, _ = SearchEntry.objects.filter(kind=registration.key, object_id=pk).delete()
    return deleted


@transaction.atomic
def index_items(key: str, pks: list) -> dict:
    """Index the items the read rule returns, remove the others. Returns the counts."""
    registration = registry.for_key(key)
    if registration is None:
        return {"unknown": len(pks)}
    items = list(registration.queryset().filter(pk__in=pks))
    found = {item.pk for item in items}
    gone = [pk for pk in pks if pk not in found]
    if gone:
        SearchEntry.objects.filter(kind=registration.key, object_id__in=gone).delete()
    if items:
        _write(registration, items, dictionary.segmenter())
    return {"indexed": len(items), "removed": len(gone)}


def index_item(key: str, pk: int) -> str:
    """One item: "indexed", "removed" or "unknown"."""
    done = index_items(key, [pk])
    return next(name for name, count in done.items() if count)


def rebuild(keys=None, *, stdout=None) -> dict[str, int]:
    """Index everything public again (each kind in its own transaction: searches of
    the other kinds go on meanwhile)."""
    dictionary.forget_now()
    segmenter = dictionary.segmenter()
    counts = {}
    for registration in registry.registrations():
        if keys and registration.key not in keys:
            continue
        with transaction.atomic():
            SearchEntry.objects.filter(kind=registration.key).delete()
            total = 0
            batch = []
            for item in registration.queryset().order_by("pk").iterator(chunk_size=CHUNK):
                batch.append(item)
                if len(batch) >= CHUNK:
                    total += _write(registration, batch, segmenter)
                    batch = []
            if batch:
                total += _write(registration, batch, segmenter)
        counts[registration.key] = total
        if stdout is not None:
            stdout.write(f"{registration.key}: {total}")
    return counts


def on_public_version_changed(sender, item, **kwargs) -> None:
    on_public_versions_changed(sender, [item])


def on_public_versions_changed(sender, items, **kwargs) -> None:
    """In the action's transaction: remove now what is no longer public; queue the rest."""
    registration = registry.for_model(sender)
    if registration is None:
        return
    if registration.terms:
        dictionary.forget()
    pks = [item.pk for item in items]
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start:start + CHUNK]
        public = set(registration.rule().filter(pk__in=chunk).values_list("pk", flat=True))
        gone = [pk for pk in chunk if pk not in public]
        if gone:
            SearchEntry.objects.filter(kind=registration.key, object_id__in=gone).delete()
        if public:
            outbox.enqueue("search.index_items", registration.key, [pk for pk in chunk if pk in public])
