"""Batch review: creating a batch of drafts, and publishing its members when the
batch itself is published (an explicit call from ``publishing.publish_version``).

The batch is an ordinary editorial item (submit / approve / publish with the
usual actions, chain, two-person rule and audit). While a batch is open its
members cannot be edited or submitted on their own (``base.refuse_if_batched``).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit
from apps.core.errors import InvalidTransition, require_state

from .. import signals
from ..bulk import Maker
from ..models import BatchEntry, ReviewBatch, Status
from .drafting import create_draft
from .golive import go_live

CHUNK = 5000  # ids per query when checking many members


def _refuse_if_any_batched(content_type, ids: list[str]) -> None:
    """The rule of refuse_if_batched, for many items of one type: a query per 5,000 ids."""
    for start in range(0, len(ids), CHUNK):
        entry = (
            BatchEntry.objects.filter(content_type=content_type, object_id__in=ids[start:start + CHUNK])
            .in_open_batch().select_related("batch").first()
        )
        if entry is not None:
            raise InvalidTransition(
                _("《%(id)s》在批次《%(batch)s》中等待审核，批次审核完成前不能加入其他批次。")
                % {"id": entry.object_id, "batch": entry.batch.title}
            )


def _require_latest_drafts(model, members: list[tuple]) -> None:
    """Each (pk, revision id) names an item whose latest revision it is, in draft or
    changes requested: read from the rows (5,000 members per query), not from the
    caller's copies; a message is built only for a refusal."""
    wanted = dict(members)
    editable = (Status.DRAFT, Status.CHANGES_REQUESTED)
    pks = list(wanted)
    found = 0
    for start in range(0, len(pks), CHUNK):
        rows = model._base_manager.filter(pk__in=pks[start:start + CHUNK]).values_list("pk", "latest_revision_id", "status")
        for pk, latest_revision_id, status in rows:
            found += 1
            if latest_revision_id != wanted[pk] or status not in editable:
                item = model._base_manager.get(pk=pk)
                raise InvalidTransition(_("《%(item)s》的最新版本不是草稿，不能加入批次。") % {"item": item})
    if found != len(wanted):
        raise InvalidTransition(_("批次中的部分内容已被删除，请重新生成批次。"))


@transaction.atomic
def create_batch(*, title: str, items, by, summary=None, preview_rows=None, description="", model=None) -> ReviewBatch:
    """A draft batch; each member's revision must be its item's latest, in draft.

    ``items``: (item, revision) pairs; or, with ``model``, (pk, revision id) pairs
    of that model (an import's 20,000 members: no instances needed).
    ``preview_rows``: the reviewer's diff, one row per member in the same order,
    stored with each member (``BatchEntry.preview``); rows that do not pair with
    the members one to one are kept in the batch row, as before 0004.
    """
    pairs = list(items)
    require_state(bool(pairs), _("批次中没有需要审核的内容。"))
    if model is None:
        types = {type(item) for item, _rev in pairs}
        if len(types) != 1:  # pragma: no cover - every batch so far has one type
            raise InvalidTransition(_("一个批次只能包含一种内容。"))
        model = types.pop()
        pairs = [(item.pk, revision.pk) for item, revision in pairs]
    pairs = [(model._meta.pk.to_python(pk), revision_id) for pk, revision_id in pairs]
    _require_latest_drafts(model, pairs)
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    ids = [str(pk) for pk, _rev in pairs]
    _refuse_if_any_batched(content_type, ids)
    per_member = preview_rows is not None and len(preview_rows) == len(pairs)
    batch = create_draft(
        ReviewBatch,
        by=by,
        fields={
            "title": title[:200],
            "description": description,
            "member_type": ContentType.objects.get_for_model(model),
            "summary": summary or {},
            "preview_rows": [] if per_member else list(preview_rows or []),
        },
        summary=_("批次包含 %(n)s 项") % {"n": len(pairs)},
    )
    previews = preview_rows if per_member else [{}] * len(pairs)
    make = Maker(BatchEntry, batch_id=batch.pk, content_type_id=content_type.pk)
    BatchEntry.objects.bulk_create(
        [
            make(object_id=object_id, revision_id=revision_id, preview=preview)
            for object_id, (_pk, revision_id), preview in zip(ids, pairs, previews)
        ],
        batch_size=1000,
    )
    return batch


def publish_members(batch: ReviewBatch, *, by, now) -> int:
    """Publish every member's batched revision (inside the batch's publish transaction,
    which tells the page cache once, for all of them)."""
    entries = list(batch.entries.filter(published_at__isnull=True).select_related("revision", "content_type"))
    by_type: dict = {}
    for entry in entries:
        by_type.setdefault(entry.content_type_id, []).append(entry)
    with signals.public_changes_together():  # one signal per model for the search index, not one per member
        count = _publish_entries(batch, by_type, by=by, now=now)
    BatchEntry.objects.filter(pk__in=[e.pk for e in entries]).update(published_at=now)
    return count


def _publish_entries(batch, by_type, *, by, now) -> int:
    count = 0
    for entries_of_type in by_type.values():
        model = entries_of_type[0].content_type.model_class()
        items = model._base_manager.select_for_update(of=("self",)).in_bulk([e.object_id for e in entries_of_type])
        for entry in entries_of_type:
            item = items.get(model._meta.pk.to_python(entry.object_id))
            if item is None or item.latest_revision_id != entry.revision_id:
                raise InvalidTransition(_("批次中的《%(id)s》已被修改或删除，请重新生成批次。") % {"id": entry.object_id})
            was = go_live(item, by=by, revision=entry.revision, major=item.first_published_at is None,
                          change_note=_("首次发布") if item.first_published_at is None else "", now=now,
                          announce=False)  # the batch's own go_live has told the page cache
            audit(item, "editorial.publish", by=by, from_state=was, to_state=Status.PUBLISHED,
                  note=_("随批次《%(batch)s》发布") % {"batch": batch.title}, batch=batch.pk,
                  revision=entry.revision.number)
            count += 1
    return count
