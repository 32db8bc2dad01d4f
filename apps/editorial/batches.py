"""Batch review: many drafts approved as one unit, so bulk data (a spreadsheet
import of 5,000 enterprises) passes 先审后发 without 5,000 separate reviews.

The batch is an ordinary editorial item (submit / approve / publish with the
usual actions, chain, two-person rule and audit). Publishing it publishes each
member's batched revision, once. While a batch is open its members cannot be
edited or submitted on their own.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit
from apps.core.errors import InvalidTransition, require_state

from .models import BatchEntry, ReviewBatch, Status, Visibility


def open_batch_of(item) -> ReviewBatch | None:
    """The unpublished, unarchived batch this item belongs to, if any."""
    entry = (
        BatchEntry.objects.filter(**BatchEntry.ref_filter(item), batch__visibility=Visibility.NONE)
        .exclude(batch__status=Status.ARCHIVED)
        .select_related("batch")
        .first()
    )
    return entry.batch if entry else None


def refuse_if_batched(item) -> None:
    batch = open_batch_of(item)
    if batch is not None:
        raise InvalidTransition(
            _("该内容在批次《%(batch)s》中等待审核，批次审核完成前不能单独修改或提交。") % {"batch": batch.title}
        )


def _refuse_if_any_batched(content_type, ids: list[str]) -> None:
    """The same rule as refuse_if_batched, for many items of one type: one query per 1,000 ids."""
    for start in range(0, len(ids), 1000):
        entry = (
            BatchEntry.objects.filter(
                content_type=content_type, object_id__in=ids[start:start + 1000], batch__visibility=Visibility.NONE,
            )
            .exclude(batch__status=Status.ARCHIVED)
            .select_related("batch")
            .first()
        )
        if entry is not None:
            raise InvalidTransition(
                _("《%(id)s》在批次《%(batch)s》中等待审核，批次审核完成前不能加入其他批次。")
                % {"id": entry.object_id, "batch": entry.batch.title}
            )


def _require_latest_drafts(model, members: list[tuple]) -> None:
    """Each (pk, revision id) names an item whose latest revision it is, in draft or
    changes requested: read from the rows (1,000 members per query), not from the
    caller's copies; a message is built only for a refusal."""
    wanted = dict(members)
    editable = (Status.DRAFT, Status.CHANGES_REQUESTED)
    pks = list(wanted)
    found = 0
    for start in range(0, len(pks), 1000):
        rows = model._base_manager.filter(pk__in=pks[start:start + 1000]).values_list("pk", "latest_revision_id", "status")
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
    from .actions import create_draft

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
    BatchEntry.objects.bulk_create(
        [
            BatchEntry(batch=batch, content_type=content_type, object_id=object_id, revision_id=revision_id, preview=preview)
            for object_id, (_pk, revision_id), preview in zip(ids, pairs, previews)
        ],
        batch_size=1000,
    )
    return batch


def publish_members(batch: ReviewBatch, *, by, now) -> int:
    """Publish every member's batched revision (inside the batch's publish transaction)."""
    from .actions import _go_live

    count = 0
    entries = list(batch.entries.filter(published_at__isnull=True).select_related("revision", "content_type"))
    by_type: dict = {}
    for entry in entries:
        by_type.setdefault(entry.content_type_id, []).append(entry)
    for entries_of_type in by_type.values():
        model = entries_of_type[0].content_type.model_class()
        items = model._base_manager.select_for_update(of=("self",)).in_bulk([e.object_id for e in entries_of_type])
        for entry in entries_of_type:
            item = items.get(_pk(model, entry.object_id))
            if item is None or item.latest_revision_id != entry.revision_id:
                raise InvalidTransition(_("批次中的《%(id)s》已被修改或删除，请重新生成批次。") % {"id": entry.object_id})
            was = _go_live(item, by=by, revision=entry.revision, major=item.first_published_at is None,
                           change_note=_("首次发布") if item.first_published_at is None else "", now=now)
            audit(item, "editorial.publish", by=by, from_state=was, to_state=Status.PUBLISHED,
                  note=_("随批次《%(batch)s》发布") % {"batch": batch.title}, batch=batch.pk,
                  revision=entry.revision.number)
            count += 1
    BatchEntry.objects.filter(pk__in=[e.pk for e in entries]).update(published_at=now)
    return count


def _pk(model, raw):
    return model._meta.pk.to_python(raw)
