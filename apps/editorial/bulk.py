"""Many draft versions at once: the engine's ``save_draft`` / ``create_draft`` for
a spreadsheet import of thousands of rows.

``bulk_save_drafts`` writes exactly what those two actions write for each item
(the row and its child rows while the row is the draft, the next ``Revision``
with a ``serialize()``-equal snapshot, the workflow state, one
``editorial.save_draft`` audit row) in a few statements per table instead of
about ten queries per item. It is the only place besides them that writes
revisions, workflow state or audit rows for drafts; ``tests/editorial/test_bulk.py``
compares its records with the engine's. Plain ORM: ``bulk_create`` (which
returns the primary keys on PostgreSQL and SQLite), ``bulk_update`` and
``update()``.

What it leaves to its caller: validating the values (an import's widgets do;
``full_clean`` per row would cost a query per unique field) — the database
still refuses a duplicate key (``IntegrityError``, and the transaction rolls
back whole).
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Case, CharField, Max, OuterRef, Subquery, Value, When
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.duration import duration_iso_string
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from apps.core.errors import InvalidTransition, require, require_state
from apps.core.models import AuditEntry

from . import rules
from .models import BatchEntry, Revision, RevisionKind, Status
from .snapshots import child_relation, content_fields, snapshots_equal

CHUNK = 1000  # rows per bulk statement, ids per IN (...) list

# As ``actions.EDITABLE``: the states a new version may be saved in.
_EDITABLE = {
    Status.DRAFT, Status.CHANGES_REQUESTED, Status.APPROVED, Status.PUBLISHED,
    Status.WITHDRAWN, Status.UNPUBLISHED,
}


@dataclass
class DraftChange:
    """One item's new version.

    ``item``: a new, unsaved instance with its content set, or a stored item
    (only its primary key is used: the row is re-read under a lock).
    ``fields``: attname → value to change on a stored item. ``children``:
    accessor → rows (attname → value) replacing that accessor's child rows;
    an accessor left out keeps its rows. After the call ``item`` is the saved
    (or locked) row and ``revision`` the new revision (None: nothing changed,
    only for ``kind=edit``, as ``record_revision``).
    """

    item: Any
    fields: dict = field(default_factory=dict)
    children: dict[str, list[dict]] = field(default_factory=dict)
    revision: Revision | None = None


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


class Maker:
    """New, unsaved instances of ``model`` from a few values, every other field at
    its default, built with the positional constructor (as ``Model.from_db``
    does): the keyword constructor looks up a default and runs a descriptor for
    every field, about half the cost of a bulk insert of small rows.

    ``constant``: attname → value shared by every instance (e.g. the acting
    user's id). A callable default (``dict``, ``timezone.now``) is still called
    for each instance that does not give the field.
    """

    def __init__(self, model, **constant):
        fields = model._meta.concrete_fields
        self.model = model
        self.index = {f.attname: position for position, f in enumerate(fields)}
        self.template = [constant[f.attname] if f.attname in constant else f.get_default() for f in fields]
        self.fresh = [
            (position, f) for position, f in enumerate(fields)
            if f.attname not in constant and f.has_default() and callable(f.default)
        ]

    def __call__(self, **values):
        row = self.template.copy()
        for position, f in self.fresh:
            if f.attname not in values:
                row[position] = f.get_default()
        index = self.index
        for attname, value in values.items():
            row[index[attname]] = value
        return self.model(*row)


# --- snapshots as serialize() makes them, without a query per item ----------------------

_PLAIN = frozenset({str, int, bool, float, type(None)})


def _json_value(value):
    """What ``snapshots._jsonable`` (DjangoJSONEncoder) makes of a field value, without the round trip."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, dt.datetime):
        text = value.isoformat()
        if value.microsecond:
            text = text[:23] + text[26:]
        return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        text = value.isoformat()
        return text[:12] if value.microsecond else text
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, (decimal.Decimal, uuid.UUID, Promise)):
        return str(value)
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


class _Shape:
    """One model's snapshot layout: content fields, m2m names, child accessors."""

    def __init__(self, model):
        self.model = model
        self.fields = [(f.attname, isinstance(f, models.FileField)) for f in content_fields(model)]
        self.m2m = [f.name for f in model._meta.many_to_many]
        self.children = {}
        for accessor in model.editorial_children:
            rel = child_relation(model, accessor)
            child_fields = [
                f.attname for f in rel.related_model._meta.concrete_fields
                if not f.primary_key and f.name != rel.field.name
            ]
            self.children[accessor] = (rel.related_model, rel.field, child_fields)

    def field_values(self, item) -> dict:
        out = {}
        for attname, is_file in self.fields:
            value = getattr(item, attname)
            if is_file:
                value = value.name if value else ""
            out[attname] = _json_value(value)
        return out

    def child_row(self, accessor: str, child) -> dict:
        _model, _fk, names = self.children[accessor]
        return {"pk": child.pk, **{name: _json_value(getattr(child, name)) for name in names}}

    def load_children(self, pks: list) -> dict[str, dict[Any, list[dict]]]:
        """accessor → {item pk: [snapshot rows]}, in the child model's order (one query per accessor and chunk)."""
        found = {}
        for accessor, (child_model, fk, _names) in self.children.items():
            by_item = found.setdefault(accessor, {})
            for part in _chunks(pks):
                for child in child_model._base_manager.filter(**{f"{fk.attname}__in": part}):
                    by_item.setdefault(getattr(child, fk.attname), []).append(self.child_row(accessor, child))
        return found


# --- the action ---------------------------------------------------------------------------


def _lock(model, pks: list) -> dict:
    """The stored items under a row lock, with their latest revision (as ``lock_for_update``)."""
    found = {}
    for part in _chunks(pks):
        rows = model._base_manager.select_for_update(of=("self",)).select_related("latest_revision").filter(pk__in=part)
        found.update((row.pk, row) for row in rows)
    return found


def _check_editable(model, items: list, by) -> None:
    """``actions._check_editable`` for many items: permission, state, edit lock, open batch."""
    for item in items:
        require(rules.can_edit(by, item), _("您没有修改该内容的权限。"))
        require_state(
            item.status in _EDITABLE,
            _("“%(item)s”处于“%(status)s”状态，不能直接修改。") % {"item": item, "status": item.get_status_display()},
        )
        if item.lock_is_active() and item.locked_by_id != by.pk:
            raise InvalidTransition(_("%(user)s 正在编辑“%(item)s”，请稍后再试。") % {"user": item.locked_by, "item": item})
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    for part in _chunks([str(item.pk) for item in items]):
        entry = (
            BatchEntry.objects.in_open_batch().filter(content_type=content_type, object_id__in=part)
            .select_related("batch").first()
        )
        if entry is not None:
            raise InvalidTransition(
                _("《%(id)s》在批次《%(batch)s》中等待审核，批次审核完成前不能单独修改或提交。")
                % {"id": entry.object_id, "batch": entry.batch.title}
            )


def _create_rows(model, shape: _Shape, changes: list[DraftChange], by) -> None:
    """New items: the rows (the row is the draft) and their child rows."""
    items = []
    for change in changes:
        change.item.stamp(by)
        items.append(change.item)
    model._base_manager.bulk_create(items, batch_size=CHUNK)
    _write_children(shape, changes, replace=False)


def _write_children(shape: _Shape, changes: list[DraftChange], *, replace: bool) -> None:
    """Child rows of items whose row is the draft: replaced as a whole, as ``_write_relations``."""
    for accessor, (child_model, fk, _names) in shape.children.items():
        touched = [change for change in changes if accessor in change.children]
        if not touched:
            continue
        if replace:
            for part in _chunks([change.item.pk for change in touched]):
                child_model._base_manager.filter(**{f"{fk.attname}__in": part}).delete()
        make = Maker(child_model)
        rows = [make(**{fk.attname: change.item.pk, **row}) for change in touched for row in change.children[accessor]]
        child_model._base_manager.bulk_create(rows, batch_size=CHUNK)
        created = iter(rows)
        for change in touched:
            change.children[accessor] = [next(created) for _row in change.children[accessor]]


def _snapshot(shape: _Shape, fields: dict, children: dict[str, list[dict]]) -> dict:
    if shape.m2m:  # pragma: no cover - no model with many-to-many fields is imported in bulk yet
        raise NotImplementedError("bulk drafts of models with many-to-many fields")
    return {"fields": fields, "m2m": {}, "children": {accessor: children.get(accessor, []) for accessor in shape.children}}


def _child_rows_of(shape: _Shape, accessor: str, rows) -> list[dict]:
    """Snapshot rows of written children (instances) or of rows only in the snapshot (dicts)."""
    out = []
    for row in rows:
        if isinstance(row, dict):
            _model, _fk, names = shape.children[accessor]
            out.append({"pk": None, **{name: _json_value(row.get(name)) for name in names}})
        else:
            out.append(shape.child_row(accessor, row))
    return out


@transaction.atomic
def bulk_save_drafts(model, changes: list[DraftChange], *, by, kind=RevisionKind.EDIT, summary: str = "",
                     audit_data: dict | None = None) -> list[DraftChange]:
    """Save a new version of many items of ``model`` (new ones and stored ones) for ``by``.

    The same records as ``create_draft`` (new items) and ``save_draft`` (stored
    ones): permission and state are checked for every item under a row lock
    (``NotAllowed`` / ``InvalidTransition``: nothing is written); the public keeps
    the published version (a published item's new version lives only in its
    revision); ``changes requested`` stays until resubmitted. ``audit_data`` is
    added to each audit row's data (e.g. the import job).
    """
    if not changes:
        return changes
    shape = _Shape(model)
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    new = [change for change in changes if change.item.pk is None]
    stored = [change for change in changes if change.item.pk is not None]
    if new:
        require(rules.can_add(by, model), _("您没有新建该类内容的权限。"))

    # Stored items: locked and checked, then their latest version (the draft if one is pending).
    locked = _lock(model, [change.item.pk for change in stored])
    require_state(len(locked) == len({change.item.pk for change in stored}), _("部分内容已被删除，请重新导入。"))
    for change in stored:
        change.item = locked[change.item.pk]
    _check_editable(model, [change.item for change in stored], by)
    pending = {change.item.pk for change in stored if change.item.has_public_content and change.item.has_unpublished_changes}
    row_children = shape.load_children([change.item.pk for change in stored if change.item.pk not in pending])
    bases = {}
    for change in stored:
        item = change.item
        if item.pk in pending:  # a published item with a pending draft: build on the draft
            bases[item.pk] = item.latest_revision.snapshot
        else:  # the row is the latest version
            bases[item.pk] = {
                "fields": shape.field_values(item),
                "children": {accessor: rows.get(item.pk, []) for accessor, rows in row_children.items()},
            }

    # Rows that are the draft (never published) take the new content; new items are created.
    drafts_in_row = [change for change in stored if not change.item.has_public_content]
    changed_fields = set()
    for change in drafts_in_row:
        for attname, value in change.fields.items():
            setattr(change.item, attname, value)
        changed_fields.update(change.fields)
    if changed_fields:
        model._base_manager.bulk_update([change.item for change in drafts_in_row], sorted(changed_fields), batch_size=CHUNK)
    _write_children(shape, drafts_in_row, replace=True)
    _create_rows(model, shape, new, by)

    # The snapshots, then the revisions.
    numbers = {}
    for part in _chunks([str(change.item.pk) for change in stored]):
        numbers.update(
            Revision.objects.filter(content_type=content_type, object_id__in=part)
            .values("object_id").order_by().annotate(n=Max("number")).values_list("object_id", "n")
        )
    def note_of(item) -> str:
        return summary if item.pk in bases else (summary or _("新建"))

    make_revision = Maker(Revision, content_type_id=content_type.pk, kind=kind, created_by_id=by.pk, created_at=now)
    revisions, written = [], []
    for change in changes:
        item = change.item
        if item.pk in bases:
            base = bases[item.pk]
            fields = dict(base.get("fields", {}))
            fields.update((attname, _json_value(value)) for attname, value in change.fields.items())
            children = {a: list(rows) for a, rows in base.get("children", {}).items()}
            children.update((a, _child_rows_of(shape, a, rows)) for a, rows in change.children.items())
        else:
            fields = shape.field_values(item)
            children = {a: _child_rows_of(shape, a, change.children.get(a, [])) for a in shape.children}
        snapshot = _snapshot(shape, fields, children)
        latest = item.latest_revision if item.latest_revision_id else None
        if kind == RevisionKind.EDIT and latest is not None and snapshots_equal(latest.snapshot, snapshot):
            continue  # nothing changed, as record_revision
        change.revision = make_revision(
            object_id=str(item.pk), number=numbers.get(str(item.pk), 0) + 1, snapshot=snapshot,
            based_on_id=item.latest_revision_id, summary=note_of(item)[:200],
        )
        revisions.append(change.revision)
        written.append(change)
    Revision.objects.bulk_create(revisions, batch_size=CHUNK)

    # Workflow state, as record_revision leaves it: latest revision, draft (changes requested stays).
    latest_revision = Subquery(
        Revision.objects.filter(content_type=content_type, object_id=Cast(OuterRef("pk"), CharField()))
        .order_by("-number").values("pk")[:1]
    )
    state = Case(When(status=Status.CHANGES_REQUESTED, then=Value(Status.CHANGES_REQUESTED)), default=Value(Status.DRAFT))
    for part in _chunks([change.item.pk for change in written]):
        model._base_manager.filter(pk__in=part).update(
            latest_revision=latest_revision, status=state, updated_by=by, updated_at=now, schedule_error="",
        )

    # One editorial.save_draft audit row per item.
    make_entry = Maker(AuditEntry, actor_id=by.pk, action="editorial.save_draft", content_type_id=content_type.pk)
    entries = []
    for change in written:
        item, revision = change.item, change.revision
        was = Status.DRAFT if item.pk not in bases else item.status
        becomes = Status.CHANGES_REQUESTED if was == Status.CHANGES_REQUESTED else Status.DRAFT
        entries.append(make_entry(
            object_id=str(item.pk), object_repr=str(item)[:300], from_state=str(was), to_state=str(becomes),
            note=note_of(item), data={"revision": revision.number, **(audit_data or {})},
        ))
    AuditEntry.objects.bulk_create(entries, batch_size=CHUNK)
    return changes
