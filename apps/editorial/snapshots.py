"""Snapshots: an item's content (fields, many-to-many, ordered child rows) as JSON.

``serialize()`` reads the item as it is in the database (plus its in-memory
field values); ``materialize()`` writes a snapshot back. Both the admin and
the actions edit through ``draft_workspace()``: the latest draft is written
into the row inside a savepoint, the caller edits it like any model, the result
is serialised, and the savepoint is rolled back when the row holds public
content, so the public never sees a draft.
"""

import contextlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction

from . import media_text


def latest_ids(item, *, fields=(), children=(), m2m=()) -> list:
    """The ids the item's latest version (the draft being submitted) refers to.

    ``fields``: foreign-key attnames (``"cover_image_id"``); ``children``:
    ``(accessor, attname)`` pairs of ``editorial_children`` rows
    (``("gallery_items", "image_id")``); ``m2m``: many-to-many names. Read from the
    latest revision's snapshot, which for a published item differs from the row;
    from the row itself before the first revision. Empty ids are left out.
    """
    snapshot = item.latest_revision.snapshot if item.latest_revision_id else None
    ids = []
    if snapshot is not None:
        ids += [snapshot.get("fields", {}).get(attname) for attname in fields]
        for accessor, attname in children:
            ids += [row.get(attname) for row in snapshot.get("children", {}).get(accessor, [])]
        for name in m2m:
            ids += snapshot.get("m2m", {}).get(name, [])
    else:
        ids += [getattr(item, attname) for attname in fields]
        if item.pk:
            for accessor, attname in children:
                ids += list(getattr(item, accessor).values_list(attname, flat=True))
            for name in m2m:
                ids += list(getattr(item, name).values_list("pk", flat=True))
    return [pk for pk in ids if pk]


def content_fields(model) -> list[models.Field]:
    workflow = getattr(model, "WORKFLOW_FIELDS", frozenset())
    return [
        f for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in workflow
    ]


def _jsonable(value):
    # Round-trip through the encoder so dates, decimals and UUIDs become text.
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _field_value(field, obj):
    if isinstance(field, models.FileField):
        value = getattr(obj, field.attname)
        return value.name if value else ""
    return _jsonable(field.value_from_object(obj))


def _to_python(field, value):
    if isinstance(field, models.JSONField) or value is None:
        return value
    if isinstance(field, models.FileField):
        return value
    return field.to_python(value)


def child_relation(model, accessor: str):
    for rel in model._meta.related_objects:
        if rel.get_accessor_name() == accessor:
            return rel
    raise LookupError(f"{model.__name__} has no reverse relation {accessor!r}")


def serialize(item) -> dict:
    model = type(item)
    fields = {f.attname: _field_value(f, item) for f in content_fields(model)}
    m2m = {
        f.name: sorted(getattr(item, f.name).values_list("pk", flat=True))
        for f in model._meta.many_to_many
    }
    children = {}
    for accessor in model.editorial_children:
        rel = child_relation(model, accessor)
        child_model = rel.related_model
        rows = []
        for child in getattr(item, accessor).all():
            row = {"pk": child.pk}
            for f in child_model._meta.concrete_fields:
                if f.primary_key or f.name == rel.field.name:
                    continue
                row[f.attname] = _field_value(f, child)
            rows.append(row)
        children[accessor] = rows
    snapshot = {"fields": fields, "m2m": m2m, "children": children}
    # The reviewed text of the media this version shows (alt text, captions,
    # titles), copied from the media library: see media_text.py.
    return media_text.with_current_text(model, snapshot)


def set_fields(item, snapshot: dict) -> None:
    """Put a snapshot's field values on the instance (no database write)."""
    by_attname = {f.attname: f for f in content_fields(type(item))}
    for attname, value in snapshot.get("fields", {}).items():
        field = by_attname.get(attname)
        if field is not None:  # a field removed since the snapshot was taken
            setattr(item, attname, _to_python(field, value))


def materialize(item, snapshot: dict) -> None:
    """Write a snapshot into the item's row, many-to-many and child rows."""
    model = type(item)
    set_fields(item, snapshot)
    item.save()
    for name, pks in snapshot.get("m2m", {}).items():
        if any(f.name == name for f in model._meta.many_to_many):
            getattr(item, name).set(pks)
    for accessor, rows in snapshot.get("children", {}).items():
        if accessor not in model.editorial_children:
            continue
        rel = child_relation(model, accessor)
        child_model = rel.related_model
        by_attname = {f.attname: f for f in child_model._meta.concrete_fields if not f.primary_key}
        getattr(item, accessor).all().delete()
        for row in rows:
            child = child_model(**{rel.field.name: item})
            for attname, value in row.items():
                if attname in by_attname:
                    setattr(child, attname, _to_python(by_attname[attname], value))
            # Keep the snapshot's primary key so a form rendered from this
            # draft posts back ids that exist. A key taken meanwhile by another
            # row (SQLite can reuse rolled-back ids) gets a fresh one instead.
            child.pk = row.get("pk")
            if child.pk is not None and child_model._base_manager.filter(pk=child.pk).exists():
                child.pk = None
            try:
                with transaction.atomic():
                    child.save(force_insert=True)
            except IntegrityError:
                child.pk = None
                child.save(force_insert=True)


def snapshots_equal(a: dict | None, b: dict | None) -> bool:
    return _jsonable(a) == _jsonable(b)


@contextlib.contextmanager
def draft_workspace(item):
    """Materialise the latest draft in the database for the duration of the block.

    Yields a ``Workspace``; when the block sets ``workspace.keep = True`` and the
    item has no public content yet, the writes are committed (the row simply is
    the draft); otherwise everything written in the block is rolled back.
    Must be called inside ``transaction.atomic()`` with the row locked.
    """
    workspace = Workspace(item)
    sid = transaction.savepoint()
    try:
        if item.has_public_content and item.has_unpublished_changes:
            materialize(item, item.latest_revision.snapshot)
        yield workspace
    except BaseException:
        transaction.savepoint_rollback(sid)
        raise
    if workspace.keep and not item.has_public_content:
        transaction.savepoint_commit(sid)
    else:
        transaction.savepoint_rollback(sid)


class Workspace:
    def __init__(self, item):
        self.item = item
        self.keep = False
        self.snapshot: dict | None = None

    def capture(self) -> dict:
        self.snapshot = serialize(self.item)
        return self.snapshot
