"""The enterprise directory's resource (key: the normalised credit code)."""

from __future__ import annotations

from typing import Any

from apps.core.models import IndustryCluster

from ..columns import ENTERPRISES
from ..headcount import BANDS_BY_KEY
from ..models import Enterprise, Qualification, QualificationKind
from .base import DirectoryResource, FieldChange, _chunks, _field


class EnterpriseResource(DirectoryResource):
    """The enterprise directory (key: the normalised credit code)."""

    code = "enterprise"
    schema = ENTERPRISES
    import_permission = "enterprises.import_enterprise"

    name = _field("name")
    short_name = _field("short_name")
    credit_code = _field("credit_code")
    cluster = _field("cluster")
    qualifications = _field("qualifications")
    founded_on = _field("founded_on")
    registered_capital = _field("registered_capital")
    headcount = _field("headcount")
    address = _field("address")
    website = _field("website")
    phone = _field("phone")
    description = _field("description")
    main_products = _field("main_products")

    class Meta:
        model = Enterprise
        fields = (
            "name", "short_name", "credit_code", "cluster", "qualifications", "founded_on",
            "registered_capital", "headcount", "address", "website", "phone", "description", "main_products",
        )
        export_order = fields
        import_id_fields = ("credit_code",)
        skip_unchanged = True
        skip_diff = True
        use_bulk = True
        chunk_size = 1000

    @classmethod
    def load_lookups(cls) -> dict:
        qualifications = {}
        for kind in QualificationKind.objects.order_by("position", "pk"):
            qualifications.setdefault(kind.name, kind.pk)
            for alias in kind.alias_list():
                qualifications.setdefault(alias, kind.pk)
        return {"cluster": dict(IndustryCluster.objects.values_list("name", "pk")), "qualifications": qualifications}

    @classmethod
    def fingerprint_extra(cls):
        return list(QualificationKind.objects.order_by("pk").values_list("pk", "position"))

    def display_names(self) -> dict:
        return {"cluster": self.lookups.clusters.names, "qualifications": self.lookups.qualifications.names}

    def _load_children(self, from_rows, snapshots):
        self.children_of: dict[Any, list[dict]] = {}
        names = ("kind_id", "certificate_number", "valid_from", "valid_until")
        for part in _chunks([item.pk for item in from_rows]):
            for row in Qualification.objects.filter(enterprise_id__in=part).order_by("kind__position", "kind_id", "pk").values("enterprise_id", *names):
                self.children_of.setdefault(row.pop("enterprise_id"), []).append(row)
        by_name = {name: Qualification._meta.get_field(name) for name in names}
        for pk, snapshot in snapshots.items():
            self.children_of[pk] = [
                {name: None if row.get(name) is None else by_name[name].to_python(row[name]) for name in names}
                for row in snapshot.get("children", {}).get("qualifications", [])
            ]

    def _fill_children(self, instance, key, value):
        wanted = list(value or ())
        if instance.pk is None:
            self._children = {"qualifications": [{"kind_id": kind_id} for kind_id in self._ordered(wanted)]}
            return
        stored = self.children_of.get(instance.pk, [])
        if set(row["kind_id"] for row in stored) == set(wanted):
            return
        self._changes.append(FieldChange(key, self.columns[key].header, tuple(row["kind_id"] for row in stored) or None, tuple(wanted)))
        kept = {row["kind_id"]: dict(row) for row in stored if row["kind_id"] in wanted}
        self._children = {"qualifications": [kept.get(kind_id, {"kind_id": kind_id}) for kind_id in self._ordered(wanted)]}

    def _ordered(self, kind_ids: list) -> list:
        if len(kind_ids) < 2:
            return kind_ids
        if not hasattr(self, "_positions"):
            self._positions = dict(QualificationKind.objects.values_list("pk", "position"))
        return sorted(kind_ids, key=lambda pk: (self._positions.get(pk, 0), pk))

    # Export: typed values (write_xlsx makes date and number cells of them), names for ids.
    def dehydrate_founded_on(self, obj):
        return obj.founded_on

    def dehydrate_registered_capital(self, obj):
        value = obj.registered_capital
        return None if value is None else value.normalize() if value != value.to_integral_value() else value.quantize(1)

    def dehydrate_cluster(self, obj):
        return obj.cluster.name if obj.cluster_id else ""

    def dehydrate_qualifications(self, obj):
        return "、".join(q.kind.name for q in obj.qualifications.all())

    def dehydrate_headcount(self, obj):
        band = BANDS_BY_KEY.get(obj.headcount)
        return band.label if band else obj.headcount

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("cluster").prefetch_related("qualifications__kind")
