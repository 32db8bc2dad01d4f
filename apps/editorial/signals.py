"""Signals for other apps (search index, cache purge), sent after commit.

content_published(sender=model class, item=instance): a version went live.
content_unpublished(sender=model class, item=instance): withdrawn or taken down.

public_version_changed(sender=model class, item=instance, fields=frozenset of names):
    sent by ``actions.base.update`` *inside* the action's transaction, after the row
    was written, whenever a field the public sees changed (a version went live, a
    withdrawal, unpublish or expiry, archiving), for every item of a batch too. A
    receiver runs in the transaction (a rolled-back action rolls back what it
    wrote): it must be quick, and put anything slow after commit (the search index
    removes a taken-down item at once and queues re-indexing through the outbox).

public_versions_changed(sender=model class, items=list of instances):
    the same for many items of one model at once: sent instead of one
    ``public_version_changed`` per item for the changes made inside
    ``public_changes_together()`` (a review batch's publication, thousands of
    items). A receiver of one connects to both.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.dispatch import Signal

content_published = Signal()
content_unpublished = Signal()
public_version_changed = Signal()
public_versions_changed = Signal()

_collected: ContextVar[dict | None] = ContextVar("public_changes_collected", default=None)


def announce_public_change(item, fields: frozenset) -> None:
    """``public_version_changed`` now, or collected for ``public_changes_together``."""
    collected = _collected.get()
    if collected is not None:
        collected.setdefault(type(item), []).append(item)
        return
    public_version_changed.send(sender=type(item), item=item, fields=fields)


@contextmanager
def public_changes_together():
    """Collect the public changes made inside; at the end (if nothing raised), one
    ``public_versions_changed`` per model, still inside the caller's transaction."""
    collected: dict = {}
    token = _collected.set(collected)
    try:
        yield
    finally:
        _collected.reset(token)
    for model, items in collected.items():
        public_versions_changed.send(sender=model, items=items)


def send_published(item) -> None:
    transaction.on_commit(lambda: content_published.send(sender=type(item), item=item))


def send_unpublished(item) -> None:
    transaction.on_commit(lambda: content_unpublished.send(sender=type(item), item=item))
