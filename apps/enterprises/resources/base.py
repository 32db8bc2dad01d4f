"""What the enterprise and platform resources share: reading a table into a
dataset, the import hooks (see :mod:`apps.enterprises.resources`), and the
preview's view of each row (:class:`Outcome`)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Callable

import tablib
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from import_export import fields, resources
from import_export.results import RowResult

from apps.core import credit_code as cc
from apps.editorial.bulk import DraftChange, Maker, bulk_save_drafts
from apps.editorial.models import BatchEntry, Revision, RevisionKind, Status
from apps.editorial.snapshots import set_fields

from .. import collation
from ..cells import CellError, Lookups, beijing_today
from ..columns import COLUMNS_BY_KEY, HeaderMatch, RowError, Schema, display, match_headers
from ..widgets import CLEAR, EMPTY, CellWidget

CHUNK = 1000
WRITE_CHUNK = 2000  # drafts per bulk_save_drafts call (progress is reported after each)
_NOT_EDITABLE = {Status.IN_REVIEW: "正在审核中", Status.SCHEDULED: "已定时发布", Status.ARCHIVED: "已归档"}
# What of a stored item the dry run's result depends on (with its content, which
# every change versions): compared again before a confirmation uses the plan.
STATE_FIELDS = ("pk", "latest_revision_id", "live_revision_id", "status", "visibility", "updated_at", "locked_by_id", "locked_at")
MISSING = {"unset": True}  # a plan's field the row does not set (no cell value is a mapping)
_STATUS = {
    RowResult.IMPORT_TYPE_NEW: "new", RowResult.IMPORT_TYPE_UPDATE: "updated",
    RowResult.IMPORT_TYPE_SKIP: "unchanged", RowResult.IMPORT_TYPE_INVALID: "invalid",
    RowResult.IMPORT_TYPE_ERROR: "invalid",
}


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _in_open_batch(model, object_ids: list[str]) -> set[str]:
    """Those of ``object_ids`` (``model``'s items) that wait in an open batch."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    found = set()
    for part in _chunks(object_ids):
        found.update(BatchEntry.objects.in_open_batch().filter(content_type=content_type, object_id__in=part)
                     .values_list("object_id", flat=True))
    return found


@dataclass
class FieldChange:
    field: str
    header: str
    old: Any
    new: Any


@dataclass
class Outcome:
    """One data row after the import: its spreadsheet row number, status (new,
    updated, unchanged, invalid), key, cleaned values, changes and errors."""

    row: int
    status: str
    key: Any
    values: dict
    changes: list[FieldChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.values.get("name") or ""

    @property
    def is_valid(self) -> bool:
        return not self.errors


# Field types whose values JSON keeps as text (the others come back as they went in).
_AS_TEXT = (models.DateField, models.DecimalField, models.TimeField, models.DurationField, models.UUIDField)


def _reader(model_field):
    """What turns a plan's JSON value back into the field's value (None: nothing to do)."""
    return model_field.to_python if isinstance(model_field, _AS_TEXT) else None


def _revive(model_field, value):
    return value if value is None or not isinstance(model_field, _AS_TEXT) else model_field.to_python(value)


def _field(key: str, headers=None) -> fields.Field:
    column = (headers or COLUMNS_BY_KEY)[key]
    return fields.Field(attribute=key, column_name=column.header, widget=CellWidget(column))


class DirectoryResource(resources.ModelResource):
    """What the enterprise and platform imports share (see the module notes)."""

    code = ""
    schema: Schema
    import_permission = ""

    def __init__(self, *, lookups: dict | None = None, today=None, by=None, summary: str = "",
                 audit_data: dict | None = None, progress: Callable[[int], None] | None = None,
                 progress_every: int = 500, write_progress: Callable[[int, int], None] | None = None):
        super().__init__()
        self.lookup_mapping, self.today = lookups, today
        self.by, self.summary, self.audit_data = by, summary, audit_data or {}
        self.progress, self.progress_every, self.write_progress = progress, max(int(progress_every), 1), write_progress
        self.columns = {column.key: column for column in self.schema.columns}
        self.row_numbers: list[int] = []
        self.header_names: dict[str, str] = {}
        self.header_match: HeaderMatch | None = None
        self.accepted: list[DraftChange] = []
        self.accepted_at: dict[int, DraftChange] = {}  # spreadsheet row → its new version
        self.blank_of = {f.attname: (None if f.null else "") for f in self._meta.model._meta.concrete_fields}
        self.new_instance = Maker(self._meta.model)

    # --- the file ------------------------------------------------------------------------------

    def dataset(self, table) -> tablib.Dataset:
        """The table's data rows under the columns' own headers (blank rows dropped,
        their numbers kept for the messages); header problems in ``header_match``."""
        matched = match_headers(table.headers, header_row=table.header_row, format=table.format, schema=self.schema)
        self.header_match = matched
        keys = [column.key for column in self.schema.columns if column.key in matched.columns]
        indexes = [matched.columns[key] for key in keys]
        self.header_names = {key: matched.headers[key] for key in keys}
        needed = max(indexes, default=-1) + 1
        rows, numbers = [], []
        for offset, cells in enumerate(table.rows):
            if not cells:
                continue
            if len(cells) < needed:
                cells = [*cells, *([""] * (needed - len(cells)))]
            rows.append([cells[index] for index in indexes])
            numbers.append(table.header_row + 1 + offset)
        self.row_numbers = numbers
        return tablib.Dataset(*rows, headers=[self.columns[key].header for key in keys])

    # --- before the rows: names, stored items ----------------------------------------------------

    @classmethod
    def load_lookups(cls) -> dict:
        raise NotImplementedError

    def display_names(self) -> dict:
        return {}

    def before_import(self, dataset, **kwargs):
        mapping = self.lookup_mapping if self.lookup_mapping is not None else self.load_lookups()
        self.lookups = Lookups(mapping, self.today or beijing_today())
        headers = set(dataset.headers or ())
        self.present = [f for f in self.get_import_fields() if f.column_name in headers]
        for f in self.present:
            f.widget.start(self.lookups)
        self.key_field = self.fields[self.schema.key]
        self.names = self.display_names()
        keys = {self._key_of(raw) for raw in dataset[self.key_field.column_name]} - {None} if dataset.height else set()
        self.keys = sorted(keys)
        self.existing = self._load_existing(self.keys)
        self.fingerprint = self._fingerprint(self._stored_state, self.batched, mapping, self.lookups.today)
        self.first_seen: dict = {}
        self.accepted, self.accepted_at, self.planned = [], {}, {}

    def _key_of(self, raw):
        try:
            value = self.key_field.widget.clean(raw)
        except CellError:
            return None
        return None if value is EMPTY or value is CLEAR else value

    def _load_existing(self, keys: list) -> dict:
        """key → the stored item, carrying its latest version (a pending draft is put on the instance)."""
        model = self._meta.model
        items = []
        for part in _chunks(keys):
            items += model._base_manager.filter(**{f"{self.schema.key}__in": part})
        self._stored_state = [(getattr(item, self.schema.key), *(getattr(item, name) for name in STATE_FIELDS)) for item in items]
        pending = [item.latest_revision_id for item in items if item.has_public_content and item.has_unpublished_changes]
        snapshots = {}
        for part in _chunks(pending):
            snapshots.update(Revision.objects.filter(pk__in=part).values_list("pk", "snapshot"))
        for item in items:
            if item.latest_revision_id in snapshots:
                set_fields(item, snapshots[item.latest_revision_id])
        self._load_children(
            [item for item in items if item.latest_revision_id not in snapshots],
            {item.pk: snapshots[item.latest_revision_id] for item in items if item.latest_revision_id in snapshots},
        )
        self.batched = _in_open_batch(model, [str(item.pk) for item in items])
        return {getattr(item, self.schema.key): item for item in items}

    def _load_children(self, from_rows: list, snapshots: dict) -> None:
        """The latest child rows the import compares: of ``from_rows`` from their rows,
        of the others from their snapshots (pk → snapshot). None for platforms."""

    # --- each row -------------------------------------------------------------------------------

    def init_instance(self, row=None):
        """A new item with every field at its default (as ``model()``, built positionally)."""
        return self.new_instance()

    def get_instance(self, instance_loader, row):
        key = self._key_of(row.get(self.key_field.column_name))
        return None if key is None else self.existing.get(key)

    def import_row(self, row, instance_loader, **kwargs):
        self._values, self._changes, self._children = {}, [], None
        row_result = super().import_row(row, instance_loader, **kwargs)
        index = kwargs["row_number"]
        row_result.number = self._number(index)
        row_result.values, row_result.changes = self._values, self._changes
        if self.progress is not None and index % self.progress_every == 0:
            self.progress(index)
        return row_result

    def _number(self, index: int) -> int:
        return self.row_numbers[index - 1] if self.row_numbers else index + 1

    def import_instance(self, instance, row, **kwargs):
        number = self._number(kwargs.get("row_number", 0))
        values, errors = self._values, {}
        for f in self.present:
            column = f.widget.column
            try:
                value = f.clean(row)
            except CellError as error:
                errors[column.key] = ValidationError(error.detail, code=error.code)
                continue
            if value is EMPTY or value is CLEAR:
                if column.required:
                    if value is CLEAR:
                        errors[column.key] = ValidationError("必填，不能清空。", code="required")
                    elif column.key == "credit_code":
                        errors[column.key] = ValidationError(cc.MESSAGES["empty"], code="empty")
                    else:
                        errors[column.key] = ValidationError("必填，不能为空。", code="required")
                elif value is CLEAR:
                    values[column.key] = None
                continue
            values[column.key] = value
        key = values.get(self.schema.key)
        if key is not None:
            first = self.first_seen.setdefault(key, number)
            if first != number:
                header = self.header_names[self.schema.key]
                errors[self.schema.key] = ValidationError(
                    f"与第{first}行重复：同一文件中每个{header}只能出现一次（{key}）。", code="duplicate"
                )
        if errors:
            raise ValidationError(errors)
        self._fill(instance, values)

    def _fill(self, instance, values: dict) -> None:
        new = instance.pk is None
        for key, value in values.items():
            column = self.columns[key]
            if column.attname is None:
                self._fill_children(instance, key, value)
                continue
            target = self.blank_of[column.attname] if value is None else value
            stored = getattr(instance, column.attname)
            if new:
                setattr(instance, column.attname, target)
            elif key != self.schema.key and not (stored == target or (target in ("", None) and stored in ("", None))):
                self._changes.append(FieldChange(key, column.header, stored, value))
                setattr(instance, column.attname, target)
        if new or any(change.field == "name" for change in self._changes):
            instance.sort_key = collation.sort_key(instance.name or "")

    def _fill_children(self, instance, key: str, value) -> None:
        raise NotImplementedError

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return not import_validation_errors and instance.pk is not None and not self._changes

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if not errors and instance.pk is not None:
            reason = _NOT_EDITABLE.get(instance.status)
            if reason is None and instance.lock_is_active():
                reason = f"已被 {instance.locked_by} 锁定编辑"
            if reason is None and str(instance.pk) in self.batched:
                reason = "在另一个待审核的批次中"
            if reason is not None:
                detail = f"“{instance}”{reason}，本次不能导入修改；请待其审核完成后重新导入。"
                errors[NON_FIELD_ERRORS] = [ValidationError(detail, code="not_editable")]
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        """Collect the accepted row: ``after_import`` writes them all as draft versions.
        The dry run keeps what it would write for the plan (:meth:`plan`)."""
        if is_create:
            columns = (self.columns[key] for key in self._values)
            written = {c.attname: getattr(instance, c.attname) for c in columns if c.attname} | {"sort_key": instance.sort_key}
            self.planned[self._number(kwargs["row_number"])] = (None, written, self._children or {})
            if self._is_dry_run(kwargs):
                return
            change = DraftChange(instance, {}, self._children or {})
        else:
            changed = {self.columns[c.field].attname: getattr(instance, self.columns[c.field].attname)
                       for c in self._changes if self.columns[c.field].attname}
            if "name" in changed:
                changed["sort_key"] = instance.sort_key
            self.planned[self._number(kwargs["row_number"])] = (instance.pk, changed, self._children or {})
            if self._is_dry_run(kwargs):
                return
            change = DraftChange(instance, changed, self._children or {})
        self.accepted.append(change)
        self.accepted_at[self._number(kwargs["row_number"])] = change

    def after_import(self, dataset, result, **kwargs):
        """Hand the accepted rows to the editorial engine (one transaction with the import)."""
        if self._is_dry_run(kwargs) or not self.accepted:
            return
        self.write_drafts(self.accepted)

    def write_drafts(self, changes: list[DraftChange]) -> None:
        """The accepted rows as draft versions, through the editorial engine's one bulk action."""
        written = 0
        for part in _chunks(changes, WRITE_CHUNK):
            bulk_save_drafts(self._meta.model, part, by=self.by, kind=RevisionKind.IMPORT, summary=self.summary,
                             audit_data=self.audit_data)
            written += len(part)
            if self.write_progress is not None:
                self.write_progress(written, len(changes))

    # --- the plan: the dry run's accepted rows, kept for the confirmation --------------------

    @classmethod
    def _fingerprint(cls, stored_state, batched, mapping, today) -> str:
        """A digest of everything the dry run's result depends on besides the file:
        the stored items the file names (their keys, versions, state, edit lock), which
        of them sit in an open batch, the names the widgets match, and the day."""
        state = {
            "stored": sorted(stored_state, key=lambda row: str(row[1])), "batched": sorted(batched),
            "lookups": mapping, "extra": cls.fingerprint_extra(), "today": today,
        }
        text = json.dumps(state, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    @classmethod
    def fingerprint_extra(cls):
        """Other stored data the rows' outcome depends on (e.g. the order of qualification kinds)."""
        return None

    @classmethod
    def current_fingerprint(cls, keys: list, today=None) -> str:
        """The fingerprint as it would be computed now for a file naming ``keys``."""
        model = cls._meta.model
        stored = []
        for part in _chunks(keys):
            stored += model._base_manager.filter(**{f"{cls.schema.key}__in": part}).values_list(cls.schema.key, *STATE_FIELDS)
        batched = _in_open_batch(model, [str(row[1]) for row in stored])
        return cls._fingerprint(stored, batched, cls.load_lookups(), today or beijing_today())

    def plan(self, outcomes: list[Outcome], preview_row: Callable[[Outcome], dict]) -> dict:
        """What the confirmation will write if nothing it depends on changes meanwhile:
        the accepted rows in the batch's order (``outcomes``), each with its row of the
        reviewer's diff; JSON (dates and amounts as text, read back by the model fields)."""
        names = sorted({attname for pk, fields, _children in self.planned.values() for attname in fields})
        rows = []
        for outcome in outcomes:
            pk, fields, children = self.planned[outcome.row]
            rows.append([pk, [fields.get(name, MISSING) for name in names], children, preview_row(outcome)])
        return {"fingerprint": self.fingerprint, "keys": self.keys, "fields": names, "rows": rows}

    @classmethod
    def changes_from_plan(cls, plan: dict) -> list[tuple[DraftChange, dict]] | None:
        """The plan's rows as draft changes (each with its diff row), or None when anything
        the dry run depended on has changed since (the caller then imports the file again)."""
        if not plan or plan.get("fingerprint") != cls.current_fingerprint(plan["keys"]):
            return None
        model = cls._meta.model
        parse = [_reader(model._meta.get_field(name)) for name in plan["fields"]]
        children_of = {accessor: rel.related_model for rel in model._meta.related_objects
                       if (accessor := rel.get_accessor_name()) in model.editorial_children}
        make = Maker(model)
        out = []
        for pk, values, children, preview in plan["rows"]:
            fields = {
                name: value if to_python is None or value is None else to_python(value)
                for name, to_python, value in zip(plan["fields"], parse, values) if value != MISSING
            }
            children = {
                accessor: [{name: _revive(children_of[accessor]._meta.get_field(name), value) for name, value in row.items()}
                           for row in rows]
                for accessor, rows in children.items()
            }
            item = make(**fields) if pk is None else make(**{model._meta.pk.attname: pk})
            out.append((DraftChange(item, {} if pk is None else fields, children), preview))
        return out

    # --- after the rows ---------------------------------------------------------------------------

    def outcome(self, row_result) -> Outcome:
        """A row result as the preview shows it, with Chinese messages naming row and column."""
        number, status = row_result.number, _STATUS[row_result.import_type]
        values = row_result.values
        errors = []
        if row_result.validation_error is not None:
            for key, found in row_result.validation_error.error_dict.items():
                header = "" if key == NON_FIELD_ERRORS else self.header_names.get(key, key)
                for error in found:
                    detail = error.message % error.params if error.params else error.message
                    message = f"第{number}行，{header}：{detail}" if header else f"第{number}行：{detail}"
                    errors.append(RowError(number, header, None if key == NON_FIELD_ERRORS else key, error.code or "invalid", message, detail))
        for error in row_result.errors:
            detail = f"无法导入（{error.error}）。"
            errors.append(RowError(number, "", None, "error", f"第{number}行：{detail}", detail))
        return Outcome(number, status, values.get(self.schema.key), values, row_result.changes, errors)

    def show(self, key: str, value) -> str:
        return display(key, value, self.names)
