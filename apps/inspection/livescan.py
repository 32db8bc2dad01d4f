"""The wording hits of live content, stored for the self-inspection report.

Worker side (``tasks.py`` calls ``rescan_live``): the whole site is re-scanned
when a list changes (``actions.lists_changed`` queues it through the outbox) and
nightly by beat, which picks up content published since (e.g. with an override)
and content taken down; nothing re-scans an item when it goes live.
``rescan_item`` re-scans one item (no task queues it).
The stored rows are derived data: each scan replaces an item's rows.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from apps.editorial.models import editorial_models

from .models import LiveWordingHit
from .texts import content_of_snapshot
from .wording import find_in


def _rows_for(model, item, content_type, now) -> list[LiveWordingHit]:
    snapshot = item.live_revision.snapshot if item.live_revision_id else None
    if snapshot is None:
        return []
    findings = find_in(content_of_snapshot(model, snapshot).texts)
    return [
        LiveWordingHit(
            content_type=content_type, object_id=str(item.pk), item_repr=str(item)[:300],
            field_label=f.label[:100], term=f.term[:100], suggestion=f.suggestion[:200], kind=f.kind,
            severity=f.severity, context=f"{f.before}【{f.found}】{f.after}"[:300], found_at=now,
        )
        for f in findings
    ]


@transaction.atomic
def rescan_item(content_type_id: int, object_id: str) -> int:
    content_type = ContentType.objects.get_for_id(content_type_id)
    model = content_type.model_class()
    now = timezone.now()
    LiveWordingHit.objects.filter(content_type=content_type, object_id=str(object_id)).delete()
    item = model.objects.viewable().select_related("live_revision").filter(pk=object_id).first()
    if item is None:
        return 0
    rows = _rows_for(model, item, content_type, now)
    LiveWordingHit.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def rescan_live() -> int:
    """Every viewable item of every content type, against the lists as they are now."""
    now = timezone.now()
    rows = []
    for model in editorial_models():
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        for item in model.objects.viewable().select_related("live_revision").iterator(chunk_size=200):
            rows.extend(_rows_for(model, item, content_type, now))
    LiveWordingHit.objects.all().delete()
    LiveWordingHit.objects.bulk_create(rows, batch_size=500)
    return len(rows)
