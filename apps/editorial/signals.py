"""Signals for other apps (search index, cache purge), sent after commit.

content_published(sender=model class, item=instance): a version went live.
content_unpublished(sender=model class, item=instance): withdrawn or taken down.
"""

from django.db import transaction
from django.dispatch import Signal

content_published = Signal()
content_unpublished = Signal()


def send_published(item) -> None:
    transaction.on_commit(lambda: content_published.send(sender=type(item), item=item))


def send_unpublished(item) -> None:
    transaction.on_commit(lambda: content_unpublished.send(sender=type(item), item=item))
