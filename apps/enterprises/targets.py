"""What the spreadsheet import and export know about each kind of row.

One ``Target`` per importable model (enterprises, platforms): its import
schema, the name lookups the validation needs, how stored rows turn into the
import layer's cleaned values (for the diff), and how cleaned values become
model fields and child rows (for the upsert). The import flow, the bulk
draft writer, the admin and the export are shared and take a target, so
platforms reuse every step of the enterprise import.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable

from django.db.models import Q

from apps.core.models import IndustryCluster
from apps.editorial.bulk import any_of, is_postgresql
from apps.editorial.models import Revision, Visibility

from . import collation
from .importing import ENTERPRISES, PLATFORMS, Schema
from .models import (
    Enterprise,
    ImportTarget,
    Platform,
    PlatformKind,
    Qualification,
    QualificationKind,
)

CHUNK = 1000  # ids or keys per IN (...) list


def chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class Existing:
    """A stored row as the import sees it: its latest content (the draft if one
    is pending, else the row) as cleaned values, and its workflow state."""

    obj: Any
    values: dict
    children: list[dict] = field(default_factory=list)  # the latest version's child rows (snapshot form)
    # The latest version's other child rows (photos), which the import leaves alone: JSON as in snapshots.
    carried: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def pending_draft(self) -> bool:
        obj = self.obj
        return obj.visibility != Visibility.NONE and obj.latest_revision_id != obj.live_revision_id


def child_dicts_from_snapshot(rows: list[dict], child_model) -> list[dict]:
    """Snapshot child rows (JSON) → python values by attname, with "pk"."""
    by_attname = {f.attname: f for f in child_model._meta.concrete_fields}
    out = []
    for row in rows:
        converted = {"pk": row.get("pk")}
        for attname, value in row.items():
            if attname != "pk" and attname in by_attname:
                converted[attname] = None if value is None else by_attname[attname].to_python(value)
        out.append(converted)
    return out


class Target:
    code: str
    model: type
    schema: Schema
    import_permission: str
    children_accessor: str | None = None
    # field key of the import layer → model attname
    attnames: dict[str, str]
    text_fields: frozenset[str]

    # --- validation inputs ---------------------------------------------------------
    def lookups(self) -> dict:
        raise NotImplementedError

    # --- reading what is stored ------------------------------------------------------
    def key_lookup(self) -> str:
        return self.schema.key

    def load_existing(self, keys: list[str]) -> dict[str, Existing]:
        """The stored rows whose key is in ``keys``, with their latest content."""
        found: dict[str, Existing] = {}
        key_field = self.key_lookup()
        # On PostgreSQL the (already normalised) keys go as one array parameter:
        # an IN list makes the field prepare each of them again (the credit code
        # field normalises every value: 0.25 s for 20,000 keys).
        array = is_postgresql(self.model)
        for part in chunks(sorted(set(keys)), 5000 if array else CHUNK):
            rows = list(self.model._base_manager.filter(**{f"{key_field}__in": any_of(self.model, part, "text")}))
            children = self._load_children([row.pk for row in rows])
            # Snapshots are read only for the rows whose latest version is a pending draft.
            pending = [row.latest_revision_id for row in rows if Existing(row, {}).pending_draft]
            revisions = Revision.objects.in_bulk(pending) if pending else {}
            carried = self._load_carried([row.pk for row in rows if row.latest_revision_id not in revisions])
            for row in rows:
                existing = Existing(obj=row, values={})
                if existing.pending_draft and row.latest_revision_id in revisions:
                    row.latest_revision = revisions[row.latest_revision_id]
                    self._values_from_snapshot(existing, row.latest_revision.snapshot)
                    snapshot_children = row.latest_revision.snapshot.get("children", {})
                    existing.carried = {a: snapshot_children.get(a, []) for a in self.carried_accessors()}
                else:
                    self._values_from_row(existing, children.get(row.pk, []))
                    existing.carried = {a: rows_of.get(row.pk, []) for a, rows_of in carried.items()}
                found[getattr(row, key_field)] = existing
        return found

    def carried_accessors(self) -> list[str]:
        """The item's child rows that the import does not write (photos): carried over."""
        return [a for a in self.model.editorial_children if a != self.children_accessor]

    def _load_carried(self, pks: list[int]) -> dict[str, dict[int, list[dict]]]:
        """Carried child rows of stored rows, in snapshot form (one query per accessor)."""
        from apps.editorial.snapshots import _child_relation, _field_value

        found: dict[str, dict[int, list[dict]]] = {}
        for accessor in self.carried_accessors():
            rel = _child_relation(self.model, accessor)
            fk = rel.field
            fields = [f for f in rel.related_model._meta.concrete_fields if not f.primary_key and f.name != fk.name]
            by_parent: dict[int, list[dict]] = found.setdefault(accessor, {})
            if not pks:
                continue
            wanted = any_of(rel.related_model, pks, "bigint")
            for child in rel.related_model._base_manager.filter(**{f"{fk.attname}__in": wanted}).order_by(*rel.related_model._meta.ordering):
                row = {"pk": child.pk, **{f.attname: _field_value(f, child) for f in fields}}
                by_parent.setdefault(getattr(child, fk.attname), []).append(row)
        return found

    def _load_children(self, pks: list[int]) -> dict[int, list[dict]]:
        return {}

    def _values_from_row(self, existing: Existing, children: list[dict]) -> None:
        row = existing.obj
        for key, attname in self.attnames.items():
            existing.values[key] = getattr(row, attname)
        existing.children = children

    def _values_from_snapshot(self, existing: Existing, snapshot: dict) -> None:
        fields = snapshot.get("fields", {})
        by_attname = {f.attname: f for f in self.model._meta.concrete_fields}
        for key, attname in self.attnames.items():
            raw = fields.get(attname)
            existing.values[key] = None if raw is None else by_attname[attname].to_python(raw)
        if self.children_accessor:
            rel = next(r for r in self.model._meta.related_objects if r.get_accessor_name() == self.children_accessor)
            existing.children = child_dicts_from_snapshot(
                snapshot.get("children", {}).get(self.children_accessor, []), rel.related_model
            )

    def preview_changes(self, snapshots: list[dict]) -> list[list[dict]]:
        """The preview's changes of new items (each non-empty column, as the import's
        preview shows it), from their revisions' snapshots: a review batch stores no
        copy of them (``ReviewBatch.diff_rows``)."""
        from .importing import display_plan

        plan = display_plan(self.schema, self.lookups())
        columns = [(column.key, column.header) for column in self.schema.columns]
        result = []
        for snapshot in snapshots:
            existing = Existing(obj=None, values={})
            self._values_from_snapshot(existing, snapshot or {})
            values = existing.values
            result.append([
                {"field": header, "old": "", "new": plan.display(key, values[key])}
                for key, header in columns if key in values and values[key] not in (None, "", ())
            ])
        return result

    # --- writing -----------------------------------------------------------------
    def model_fields(self, values: dict) -> dict:
        """Cleaned values → model field values (attname → value); children excluded."""
        out = {}
        for key, value in values.items():
            attname = self.attnames.get(key)
            if attname is None:
                continue
            if value is None and key in self.text_fields:
                value = ""
            out[attname] = value
        if "name" in out:
            out["sort_key"] = collation.sort_key(out["name"])
        return out

    def new_children(self, values: dict, previous: list[dict] | None = None) -> list[dict] | None:
        """Child rows (attname → value, plus "pk") for the new version; None: unchanged."""
        return None

    def child_order(self) -> Any:
        return None


class EnterpriseTarget(Target):
    code = ImportTarget.ENTERPRISE
    model = Enterprise
    schema = ENTERPRISES
    import_permission = "enterprises.import_enterprise"
    children_accessor = "qualifications"
    attnames = {
        "name": "name", "short_name": "short_name", "credit_code": "credit_code", "cluster": "cluster_id",
        "founded_on": "founded_on", "registered_capital": "registered_capital", "headcount": "headcount",
        "address": "address", "website": "website", "phone": "phone", "description": "description",
        "main_products": "main_products",
    }
    text_fields = frozenset(
        {"name", "short_name", "credit_code", "headcount", "address", "website", "phone", "description", "main_products"}
    )

    def lookups(self) -> dict:
        clusters = {name: pk for pk, name in IndustryCluster.objects.values_list("pk", "name")}
        qualifications = {}
        for kind in QualificationKind.objects.order_by("position", "pk"):
            qualifications.setdefault(kind.name, kind.pk)
            for alias in kind.alias_list():
                qualifications.setdefault(alias, kind.pk)
        return {"cluster": clusters, "qualifications": qualifications}

    def _load_children(self, pks):
        found: dict[int, list[dict]] = {}
        rows = Qualification.objects.filter(enterprise_id__in=any_of(Qualification, pks, "bigint")).order_by("kind__position", "kind_id", "pk")
        for q in rows.values("pk", "enterprise_id", "kind_id", "certificate_number", "valid_from", "valid_until"):
            enterprise_id = q.pop("enterprise_id")
            found.setdefault(enterprise_id, []).append(q)
        return found

    def _values_from_row(self, existing, children):
        super()._values_from_row(existing, children)
        existing.values["qualifications"] = tuple(child["kind_id"] for child in children)

    def _values_from_snapshot(self, existing, snapshot):
        super()._values_from_snapshot(existing, snapshot)
        existing.values["qualifications"] = tuple(child["kind_id"] for child in existing.children)

    def new_children(self, values, previous=None):
        if "qualifications" not in values:
            return None
        wanted = list(values["qualifications"] or ())
        kept = [dict(child) for child in (previous or []) if child["kind_id"] in wanted]
        have = {child["kind_id"] for child in kept}
        for kind_id in wanted:
            if kind_id not in have:
                kept.append({"pk": None, "kind_id": kind_id, "certificate_number": "", "valid_from": None, "valid_until": None})
                have.add(kind_id)
        positions = self._positions() if len(kept) > 1 else {}
        kept.sort(key=lambda c: (positions.get(c["kind_id"], 0), c["kind_id"], c["pk"] or 0))
        return kept

    def _positions(self) -> dict:
        """Kind positions (the child rows' order), read once per second at most."""
        import time

        cached = getattr(self, "_position_cache", None)
        if cached is None or time.monotonic() - cached[0] > 1:
            cached = (time.monotonic(), dict(QualificationKind.objects.values_list("pk", "position")))
            self._position_cache = cached
        return cached[1]


class PlatformTarget(Target):
    code = ImportTarget.PLATFORM
    model = Platform
    schema = PLATFORMS
    import_permission = "enterprises.import_platform"
    attnames = {
        "name": "name", "kind": "kind_id", "level": "level", "host": "host_id",
        "established_on": "established_on", "address": "address", "website": "website", "phone": "phone",
        "description": "description",
    }
    text_fields = frozenset({"name", "level", "address", "website", "phone", "description"})

    def lookups(self) -> dict:
        kinds = {name: pk for pk, name in PlatformKind.objects.values_list("pk", "name")}
        hosts, host_names = {}, {}
        for pk, code, name in Enterprise._base_manager.values_list("pk", "credit_code", "name"):
            hosts[code] = pk
            host_names[pk] = name
        return {"platform_kind": kinds, "host": hosts, "host_names": host_names}


TARGETS: dict[str, Target] = {
    ImportTarget.ENTERPRISE: EnterpriseTarget(),
    ImportTarget.PLATFORM: PlatformTarget(),
}


def target_for(model_or_code) -> Target:
    if isinstance(model_or_code, str):
        return TARGETS[model_or_code]
    for target in TARGETS.values():
        if target.model is model_or_code:
            return target
    raise LookupError(model_or_code)


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


__all__ = ["Existing", "Target", "TARGETS", "target_for", "chunks", "Q"]
