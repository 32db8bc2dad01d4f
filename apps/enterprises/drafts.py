"""Many draft versions in a few statements: the write half of a spreadsheet import.

``actions.create_draft`` / ``actions.save_draft`` of the editorial engine cost
about ten queries per item (lock, clean, save, children, snapshot, revision
number, revision, state, audit). An import of 20,000 rows cannot afford that,
so this module writes the *same records* in bulk:

* new items: the rows (state ``draft``: the row is the draft while nothing is
  published), their child rows, revision 1 (``kind=import``);
* changed items: the next revision, its snapshot made from the latest version
  (the pending draft if there is one, else the row) with the file's changes;
  the row and its children are written only while the item was never
  published (afterwards the row is the public version and stays untouched);
* every item: ``latest_revision``, the state (``draft``; ``changes requested``
  stays), ``updated_by``, and one ``editorial.save_draft`` audit row, exactly
  as ``record_revision`` writes them.

Keys come first (``apps.editorial.bulk.allocate_ids``: the sequences on
PostgreSQL), so every record is written once and complete: a new item's row
names its revision and is in its final state, a revision's snapshot names
its child rows' keys; nothing is updated or read back afterwards. Records are
tuples, not model instances, inserted by ``bulk.insert_rows`` (``COPY`` on
PostgreSQL from :data:`COPY_FROM` rows, INSERT statements otherwise).

Snapshots have the engine's format (``snapshots.serialize``); a test checks
that this module and the engine's actions produce equal snapshots, states and
audit rows for the same input (with either insert path). Callers have checked
permissions and states (see ``actions.apply_import``) and run inside one
transaction: a failure leaves nothing behind.

This belongs in ``apps.editorial`` as ``bulk_save_drafts(model, drafts, by=,
kind=)``; it lives here until the engine offers it (see the report on issue 5).
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, FileField, Max, OuterRef, Subquery, Value, When
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.duration import duration_iso_string
from django.utils.functional import Promise

from apps.core.models import AuditEntry
from apps.editorial import bulk
from apps.editorial.models import Revision, Status
from apps.editorial.snapshots import content_fields, set_fields

from .targets import CHUNK, Existing, Target, chunks

# Seconds spent per stage by write_drafts in this process (read by bench/import/run.py).
TIMINGS: dict[str, float] = {}


class _Stage:
    def __init__(self):
        import time

        self.clock = time.perf_counter
        self.last = self.clock()

    def __call__(self, name: str) -> None:
        now = self.clock()
        TIMINGS[name] = TIMINGS.get(name, 0.0) + now - self.last
        self.last = now


@dataclass
class Draft:
    """One item's new version: ``fields`` by attname (all of them for a new item,
    the changed ones otherwise) and ``children`` (None: unchanged).

    ``write_drafts`` fills in ``pk``, ``revision_id``, ``number`` and the states;
    ``item`` and ``revision`` are built on demand (the import never needs them)."""

    existing: Existing | None
    fields: dict
    children: list[dict] | None = None
    pk: Any = None
    revision_id: int | None = None
    number: int | None = None
    from_state: str = ""
    to_state: str = ""
    model: Any = None

    @property
    def item(self):
        if self.existing is not None:
            return self.existing.obj
        item = self.model(pk=self.pk, **self.fields, status=self.to_state, latest_revision_id=self.revision_id)
        item._state.adding = False
        return item

    @property
    def revision(self) -> Revision:
        return Revision.objects.get(pk=self.revision_id)


# --- snapshots ---------------------------------------------------------------------


def _json_value(value):
    """What DjangoJSONEncoder makes of a field value (snapshots' ``_jsonable``), fast."""
    if value is None or type(value) in (str, int, bool, float):
        return value
    if isinstance(value, dt.datetime):
        text = value.isoformat()
        if value.microsecond:
            text = text[:23] + text[26:]
        if text.endswith("+00:00"):
            text = text.removesuffix("+00:00") + "Z"
        return text
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        text = value.isoformat()
        return text[:12] if value.microsecond else text
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, (decimal.Decimal, uuid.UUID, Promise)):
        return str(value)
    if isinstance(value, (list, tuple, dict)):
        import json

        from django.core.serializers.json import DjangoJSONEncoder

        return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    return str(value)


_PLAIN = frozenset({str, int, bool, float, type(None)})  # JSON as they are


class Snapshotter:
    """Builds ``serialize()``-equal snapshots for one model without queries.

    The import writes the child rows of ``children_accessor``; the model's other
    ``editorial_children`` (photos) are carried over from the latest version
    (``Existing.carried``, already in snapshot form), empty for a new item.
    """

    def __init__(self, model, children_accessor: str | None):
        self.fields = [(f.attname, f) for f in content_fields(model)]
        self.field_kinds = [(attname, isinstance(f, FileField)) for attname, f in self.fields]
        self.accessor = children_accessor
        self.child_fields = []
        if children_accessor:
            rel = next(r for r in model._meta.related_objects if r.get_accessor_name() == children_accessor)
            self.child_model = rel.related_model
            self.child_fields = [
                f.attname for f in self.child_model._meta.concrete_fields
                if not f.primary_key and f.name != rel.field.name
            ]
        self.carried = [accessor for accessor in model.editorial_children if accessor != children_accessor]
        self.m2m = [f.name for f in model._meta.many_to_many]

    def snapshot(self, item, children: list | None, carried: dict | None = None) -> dict:
        return self.snapshot_of({attname: getattr(item, attname) for attname, _f in self.fields}, children, carried)

    def snapshot_of(self, values: dict, children: list | None, carried: dict | None = None) -> dict:
        """The snapshot of an item whose field values (by attname) are ``values``."""
        fields = {}
        plain = _PLAIN
        for attname, is_file in self.field_kinds:
            value = values[attname]
            if is_file:
                value = getattr(value, "name", value) or ""
            fields[attname] = value if type(value) in plain else _json_value(value)
        result_children = {}
        if self.accessor:
            rows = result_children[self.accessor] = []
            for child in children or ():
                row = {"pk": child.get("pk")}
                for name in self.child_fields:
                    value = child.get(name)
                    row[name] = value if type(value) in plain else _json_value(value)
                rows.append(row)
        for accessor in self.carried:
            result_children[accessor] = list((carried or {}).get(accessor, []))
        if self.m2m:  # pragma: no cover - the directory models have none
            raise NotImplementedError("bulk drafts of models with many-to-many fields")
        return {"fields": fields, "m2m": {}, "children": result_children}


# --- writing -------------------------------------------------------------------------

COPY_FROM = 200  # rows: fewer are inserted by INSERT statements (values prepared by their fields)


class _Table:
    """One model's columns for ``bulk.insert_rows``: every concrete field, with its
    default (as ``Model.__init__`` would set it) where a row gives no value."""

    def __init__(self, model, now, *, with_pk: bool = True):
        self.model = model
        fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        self.attnames = [f.attname for f in fields]
        self.defaults = {}
        for f in fields:
            if f.primary_key:
                self.defaults[f.attname] = None
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
            else:
                self.defaults[f.attname] = f.get_default()

    def values(self, given: dict) -> dict:
        return {**self.defaults, **given}

    def row(self, values: dict) -> tuple:
        """The row of complete ``values`` (see ``values()``)."""
        return tuple([values[a] for a in self.attnames])

    def row_of(self, given: dict) -> tuple:
        """The row of ``given`` values, defaults for the rest."""
        return tuple([given.get(a, default) for a, default in self.defaults.items()])


def write_drafts(target: Target, drafts: list[Draft], *, by, kind, summary: str, audit_data: dict | None = None) -> list[Draft]:
    """Write every draft's new version; fills ``pk``, ``revision_id``, ``number`` and the states.

    Keys are taken first (``bulk.allocate_ids``), so each row is written once,
    complete: a new item's row already names its revision and is in its final
    state, the revision's snapshot names the child rows' keys. Rows are tuples
    (``bulk.insert_rows``: ``COPY`` on PostgreSQL), not model instances.
    """
    if not drafts:
        return drafts
    model = target.model
    ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
    now = timezone.now()
    copy = len(drafts) >= COPY_FROM
    snapshotter = Snapshotter(model, target.children_accessor)
    accessor = target.children_accessor
    child_model = snapshotter.child_model if accessor else None
    fk_attname = None
    if accessor:
        rel = next(r for r in model._meta.related_objects if r.get_accessor_name() == accessor)
        fk_attname = rel.field.attname

    stage = _Stage()
    new = [d for d in drafts if d.existing is None]
    changed = [d for d in drafts if d.existing is not None]
    for draft, revision_id in zip(drafts, bulk.allocate_ids(Revision, len(drafts))):
        draft.model = model
        draft.revision_id = revision_id

    # 1. Changed items: the latest version in memory, with the file's changes.
    reprs = {}
    row_writes, row_fields, child_deletes = [], set(), []
    for draft in changed:
        existing = draft.existing
        item = existing.obj
        draft.pk = item.pk
        draft.from_state = item.status
        reprs[item.pk] = str(item)  # the row's (public) name, as record_revision audits it
        if existing.pending_draft:
            set_fields(item, item.latest_revision.snapshot)
        for attname, value in draft.fields.items():
            setattr(item, attname, value)
        if draft.children is None and accessor:
            draft.children = existing.children
        if item.visibility == "none":  # never published: the row is the draft
            row_writes.append(item)
            row_fields.update(draft.fields)
            if accessor:
                keep = {c["pk"] for c in draft.children if c.get("pk")}
                child_deletes.extend(c["pk"] for c in existing.children if c.get("pk") and c["pk"] not in keep)
    if row_writes and row_fields:
        for item in row_writes:
            item.updated_by = by
            item.updated_at = now
        model._base_manager.bulk_update(row_writes, sorted(row_fields | {"updated_by", "updated_at"}), batch_size=CHUNK)

    # 2. New items: their values, complete (the row is the draft).
    table = _Table(model, now)
    new_values = []
    for draft, pk in zip(new, bulk.allocate_ids(model, len(new))):
        draft.pk = pk
        draft.from_state = Status.DRAFT
        values = table.values(draft.fields)
        values.update({
            model._meta.pk.attname: pk, "status": Status.DRAFT, "latest_revision_id": draft.revision_id,
            "created_by_id": by.pk, "updated_by_id": by.pk,
        })
        new_values.append(values)
    stage("rows")

    # 3. Child rows of items whose row is the draft (new ones, and changed never-published ones).
    if accessor:
        for part in chunks(child_deletes):
            child_model._base_manager.filter(pk__in=part).delete()
        creates = [
            (draft, child) for draft in drafts
            if draft.children is not None and (draft.existing is None or draft.existing.obj.visibility == "none")
            for child in draft.children if not child.get("pk")
        ]
        child_table = _Table(child_model, now)
        child_pk = child_model._meta.pk.attname
        rows = []
        for (draft, child), pk in zip(creates, bulk.allocate_ids(child_model, len(creates))):
            child["pk"] = pk
            rows.append(child_table.row_of({**child, child_pk: pk, fk_attname: draft.pk}))
        # The rows first (a child names its item): see below.
    stage("children")

    # 4. Revision numbers, then the revisions.
    numbers: dict[str, int] = {}
    for part in chunks([str(d.pk) for d in changed]):
        found = (
            Revision.objects.filter(content_type=ct, object_id__in=part)
            .values("object_id").order_by().annotate(n=Max("number"))
        )
        numbers.update((row["object_id"], row["n"]) for row in found)
    revision_table = _Table(Revision, now)
    revision_rows = []
    note, summary = summary, summary[:200]
    values_of = iter(new_values)
    for draft in drafts:
        draft.number = numbers.get(str(draft.pk), 0) + 1
        if draft.existing is None:
            snapshot = snapshotter.snapshot_of(next(values_of), draft.children, None)
            based_on = None
        else:
            snapshot = snapshotter.snapshot(draft.existing.obj, draft.children, draft.existing.carried)
            based_on = draft.existing.obj.latest_revision_id
        revision_rows.append(revision_table.row_of({
            Revision._meta.pk.attname: draft.revision_id, "content_type_id": ct.pk, "object_id": str(draft.pk), "number": draft.number,
            "kind": kind, "created_by_id": by.pk, "created_at": now, "snapshot": snapshot,
            "based_on_id": based_on, "summary": summary,
        }))
    stage("snapshots")
    bulk.insert_rows(Revision, revision_table.attnames, revision_rows, copy=copy)
    stage("revisions")
    bulk.insert_rows(model, table.attnames, [table.row(v) for v in new_values], copy=copy)
    if accessor:
        bulk.insert_rows(child_model, child_table.attnames, rows, copy=copy)
    stage("insert")

    # 5. Workflow state of changed items, as record_revision leaves it (new rows were written in it).
    if changed:
        latest = Subquery(
            Revision.objects.filter(content_type=ct, object_id=Cast(OuterRef("pk"), CharField()))
            .order_by("-number").values("pk")[:1]
        )
        state = Case(
            When(status=Status.CHANGES_REQUESTED, then=Value(Status.CHANGES_REQUESTED)),
            default=Value(Status.DRAFT),
        )
        for part in chunks([d.pk for d in changed]):
            model._base_manager.filter(pk__in=part).update(
                latest_revision=latest, status=state, updated_by=by, updated_at=now, schedule_error="",
            )
        for draft in changed:
            item = draft.item
            item.latest_revision_id = draft.revision_id
            item.status = Status.CHANGES_REQUESTED if draft.from_state == Status.CHANGES_REQUESTED else Status.DRAFT
            item.updated_by = by
    stage("state")

    # 6. One editorial.save_draft audit row per item, as record_revision writes it.
    audit_table = _Table(AuditEntry, now, with_pk=False)
    extra = audit_data or {}
    audit_rows = []
    for draft in drafts:
        draft.to_state = Status.CHANGES_REQUESTED if draft.from_state == Status.CHANGES_REQUESTED else Status.DRAFT
        name = reprs.get(draft.pk) if draft.existing is not None else draft.fields.get("name")
        if name is None:
            name = str(draft.item)
        audit_rows.append(audit_table.row_of({
            "actor_id": by.pk, "action": "editorial.save_draft", "content_type_id": ct.pk,
            "object_id": str(draft.pk), "object_repr": str(name)[:300], "from_state": str(draft.from_state),
            "to_state": str(draft.to_state), "note": note, "data": {"revision": draft.number, **extra},
        }))
    bulk.insert_rows(AuditEntry, audit_table.attnames, audit_rows, copy=copy)
    stage("audit")
    return drafts
