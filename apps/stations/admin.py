from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.editorial.admin import EditorialAdminMixin, EditorialChildInlineMixin

from .models import HoursException, MobileStop, OpeningInterval, ServiceStation, StationKind, StationPhoto, StationService


class OpeningIntervalInline(EditorialChildInlineMixin, admin.TabularInline):
    model = OpeningInterval
    extra = 2
    fields = ("weekday", "opens", "closes")


class HoursExceptionInline(EditorialChildInlineMixin, admin.TabularInline):
    model = HoursException
    extra = 1
    fields = ("date", "closed", "opens", "closes", "note")


class MobileStopInline(EditorialChildInlineMixin, admin.TabularInline):
    model = MobileStop
    extra = 1
    fields = ("date", "opens", "closes", "place", "address")


class StationPhotoInline(EditorialChildInlineMixin, admin.TabularInline):
    model = StationPhoto
    extra = 1
    fields = ("position", "image", "caption")
    raw_id_fields = ("image",)


@admin.register(ServiceStation)
class ServiceStationAdmin(EditorialAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "community", "is_mobile")
    list_filter = ("kind", "is_mobile", "services")
    search_fields = ("name", "community", "address")
    list_select_related = ("kind",)
    filter_horizontal = ("services",)
    inlines = [OpeningIntervalInline, HoursExceptionInline, MobileStopInline, StationPhotoInline]
    fieldsets = (
        (None, {"fields": ("name", "kind", "community", "sensitivity")}),
        (_("位置和联系方式"), {"fields": ("address", ("latitude", "longitude"), "phone", "staff_contact")}),
        (_("服务"), {"fields": ("services", "description")}),
        (_("无障碍"), {"fields": ("step_free_access", "accessible_parking", "accessibility_notes")}),
        (_("开放规则"), {
            "fields": ("is_mobile", "closed_on_holidays", "open_on_adjusted_workdays"),
            "description": _("每周开放时间、特殊安排和流动服务安排在下方填写；节假日和调休按“节假日调整”和国家公布的安排计算。"),
        }),
    )


@admin.register(StationKind)
class StationKindAdmin(admin.ModelAdmin):
    list_display = ("name", "position")
    list_editable = ("position",)


@admin.register(StationService)
class StationServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "position")
    list_editable = ("position",)
