from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import actions
from .admin_pages import ReadOnlyModelAdmin
from .models import AuditEntry, IndustryCluster, OutboxMessage, SiteSettings, WorkdayOverride, WorkerHeartbeat


class StampedAdmin(admin.ModelAdmin):
    """Records the acting user on every admin save of a TimeStampedModel."""

    readonly_fields = ("created_at", "created_by", "updated_at", "updated_by")

    def save_model(self, request, obj, form, change):
        obj.stamp(request.user)
        super().save_model(request, obj, form, change)


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (_("网站"), {"fields": ("site_name", "site_domain", "site_id_code")}),
        (_("页脚（国办发〔2017〕47号）"), {
            "fields": ("sponsor", "organizer", "icp_number", "police_number", "conac_url")
        }),
        (_("联系方式"), {"fields": ("address", "postcode", "phone", "email")}),
        (_("记录"), {"fields": ("created_at", "created_by", "updated_at", "updated_by")}),
    )
    readonly_fields = ("created_at", "created_by", "updated_at", "updated_by")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        actions.update_site_settings(obj, by=request.user, changed_fields=form.changed_data)


@admin.register(IndustryCluster)
class IndustryClusterAdmin(StampedAdmin):
    """Clusters show on public pages (filters, tags): every write is an action that
    audits it and invalidates the page cache."""

    list_display = ("name", "role", "position")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request, obj, form, change):
        actions.save_cluster(obj, by=request.user, changed_fields=form.changed_data)

    def delete_model(self, request, obj):
        actions.delete_cluster(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for cluster in queryset:
            actions.delete_cluster(cluster, by=request.user)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyModelAdmin):
    """Append-only: readable and filterable, never changed or deleted."""

    list_display = ("created_at", "actor", "action_name", "object_repr", "from_state", "to_state", "note")
    list_filter = ("action", "content_type", ("created_at", admin.DateFieldListFilter))
    search_fields = ("object_repr", "note", "actor__username", "action")
    date_hierarchy = "created_at"
    list_select_related = ("actor", "content_type")

    @admin.display(description=_("操作"), ordering="action")
    def action_name(self, obj):
        return obj.action_label


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("hostname", "seen_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyModelAdmin):
    """What actions queued and whether the broker took it (technical staff only:
    ``last_error`` holds the broker's own words)."""

    list_display = ("task_name", "created_at", "sent_at", "attempts")
    list_filter = (("sent_at", admin.EmptyFieldListFilter),)
    readonly_fields = ("task_name", "args", "kwargs", "created_at", "sent_at", "attempts", "last_error")

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)


class YearScheduleForm(forms.Form):
    """A whole year's published schedule in one form (国务院办公厅关于某年部分节假日安排的通知)."""

    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    holidays = forms.CharField(
        label=_("放假安排"), widget=forms.Textarea(attrs={"rows": 8, "cols": 60}),
        help_text=_("每行一个假期：名称和日期或日期范围，例如“春节 2027-02-06 至 2027-02-13”或“清明节：4月3日至5日”。"
                    "假期中的周末也一并列入。"),
    )
    workdays = forms.CharField(
        label=_("调休上班日"), required=False, widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("每行一项：名称和日期，多个日期用顿号分隔，例如“春节调休 2月14日、2月20日”。"),
    )


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(StampedAdmin):
    list_display = ("day", "is_workday", "name")
    list_filter = ("is_workday",)
    date_hierarchy = "day"
    change_list_template = "admin/core/workdayoverride/change_list.html"

    def save_model(self, request, obj, form, change):
        actions.save_workday_override(obj, by=request.user, changed_fields=form.changed_data)

    def delete_model(self, request, obj):
        actions.delete_workday_override(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for override in queryset:
            actions.delete_workday_override(override, by=request.user)

    def get_urls(self):
        from django.urls import path

        return [
            path("enter-year/", self.admin_site.admin_view(self.enter_year_view), name="core_workdayoverride_enter_year"),
            *super().get_urls(),
        ]

    def enter_year_view(self, request):
        """录入全年安排: the year's holidays and make-up working days in one form."""
        from django.core.exceptions import PermissionDenied, ValidationError
        from django.shortcuts import redirect
        from django.template.response import TemplateResponse

        from .calendar import unknown_years_ahead
        from .errors import NotAllowed

        if not self.has_add_permission(request):
            raise PermissionDenied
        missing = unknown_years_ahead(366)
        form = YearScheduleForm(request.POST or None, initial={"year": missing[0] if missing else None})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                counts = actions.enter_year_schedule(
                    data["year"], by=request.user, holidays=data["holidays"], workdays=data["workdays"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            except NotAllowed as exc:
                raise PermissionDenied(str(exc))
            else:
                self.message_user(request, _("已录入 %(year)d 年的节假日安排：放假 %(h)d 天，调休上班 %(w)d 天。") % {
                    "year": data["year"], "h": counts["holidays"], "w": counts["workdays"]}, messages.SUCCESS)
                return redirect("admin:core_workdayoverride_changelist")
        return TemplateResponse(request, "admin/core/workdayoverride/enter_year.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
            "title": _("录入全年节假日安排"), "missing_years": missing,
        }, status=400 if request.method == "POST" else 200)
