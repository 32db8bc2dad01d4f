"""The platforms' resource (key: the name)."""

from __future__ import annotations

from ..columns import PLATFORM_COLUMNS, PLATFORMS
from ..models import Enterprise, Platform, PlatformKind, PlatformLevel
from .base import DirectoryResource, _field

_PLATFORM_COLUMNS = {column.key: column for column in PLATFORM_COLUMNS}


class PlatformResource(DirectoryResource):
    """The platforms (key: the name)."""

    code = "platform"
    schema = PLATFORMS
    import_permission = "enterprises.import_platform"

    name = _field("name", _PLATFORM_COLUMNS)
    kind = _field("kind", _PLATFORM_COLUMNS)
    level = _field("level", _PLATFORM_COLUMNS)
    host = _field("host", _PLATFORM_COLUMNS)
    established_on = _field("established_on", _PLATFORM_COLUMNS)
    address = _field("address", _PLATFORM_COLUMNS)
    website = _field("website", _PLATFORM_COLUMNS)
    phone = _field("phone", _PLATFORM_COLUMNS)
    description = _field("description", _PLATFORM_COLUMNS)

    class Meta:
        model = Platform
        fields = ("name", "kind", "level", "host", "established_on", "address", "website", "phone", "description")
        export_order = fields
        import_id_fields = ("name",)
        skip_unchanged = True
        skip_diff = True
        use_bulk = True
        chunk_size = 1000

    @classmethod
    def load_lookups(cls) -> dict:
        hosts, host_names = {}, {}
        for pk, code, name in Enterprise._base_manager.values_list("pk", "credit_code", "name"):
            hosts[code] = pk
            host_names[pk] = name
        return {"platform_kind": dict(PlatformKind.objects.values_list("name", "pk")), "host": hosts, "host_names": host_names}

    def display_names(self) -> dict:
        return {"kind": self.lookups.platform_kinds.names, "host": self.lookups.host_names}

    def dehydrate_kind(self, obj):
        return obj.kind.name

    def dehydrate_level(self, obj):
        return PlatformLevel(obj.level).label if obj.level else ""

    def dehydrate_host(self, obj):
        return obj.host.credit_code if obj.host_id else ""

    def dehydrate_established_on(self, obj):
        return obj.established_on

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("kind", "host")
