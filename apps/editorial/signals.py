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
"""

from django.db import transaction
from django.dispatch import Signal

content_published = Signal()
content_unpublished = Signal()
public_version_changed = Signal()


def send_published(item) -> None:
    transaction.on_commit(lambda: content_published.send(sender=type(item), item=item))


def send_unpublished(item) -> None:
    transaction.on_commit(lambda: content_unpublished.send(sender=type(item), item=item))
