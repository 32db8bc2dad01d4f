"""Batch review: many drafts approved as one unit, so bulk data (a spreadsheet
import of 5,000 enterprises) passes 先审后发 without 5,000 separate reviews.

The actions live in ``apps.editorial.actions.batches``; this module names what
other apps use.
"""

from .actions.batches import create_batch, publish_members
from .models import BatchEntry, ReviewBatch


def open_batch_of(item) -> ReviewBatch | None:
    """The unpublished, unarchived batch this item belongs to, if any."""
    entry = BatchEntry.objects.filter(**BatchEntry.ref_filter(item)).in_open_batch().select_related("batch").first()
    return entry.batch if entry else None


__all__ = ["create_batch", "open_batch_of", "publish_members"]
