"""The admin of the engine's own models: review chains, e-mail opt-outs, review batches."""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy

from ..models import EmailOptOut, ReviewBatch, ReviewChain, ReviewStep, editorial_models
from .mixins import EditorialAdminMixin


class ReviewStepInline(admin.TabularInline):
    model = ReviewStep
    extra = 0
    autocomplete_fields = ()
    fields = ("position", "name", "group", "user", "due_workdays")


@admin.register(ReviewChain)
class ReviewChainAdmin(admin.ModelAdmin):
    list_display = ("name", "content_type", "sensitivity")
    list_filter = ("sensitivity", "content_type")
    inlines = [ReviewStepInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "content_type":
            kwargs["queryset"] = ContentType.objects.filter(
                pk__in=[ContentType.objects.get_for_model(m).pk for m in editorial_models()]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(EmailOptOut)
class EmailOptOutAdmin(admin.ModelAdmin):
    """Each user manages their own opt-outs; site administrators see all."""

    list_display = ("user", "kind")
    fields = ("kind",)

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("user")
        return qs if request.user.is_superuser else qs.filter(user=request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (obj is None or obj.user_id == request.user.pk or request.user.is_superuser)

    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def save_model(self, request, obj, form, change):
        obj.user = request.user if not change else obj.user
        super().save_model(request, obj, form, change)


@admin.register(ReviewBatch)
class ReviewBatchAdmin(EditorialAdminMixin, admin.ModelAdmin):
    """Batches are made by imports; here they are reviewed and published as one unit."""

    list_display = ("title", "member_type", "entry_count")
    readonly_fields = ("title", "description", "member_type", "summary_view", "preview_table")
    fieldsets = ((None, {"fields": ("title", "description", "member_type", "summary_view", "preview_table")}),)

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_entries=Count("entries"))

    @admin.display(description=gettext_lazy("条目数"))
    def entry_count(self, obj):
        return getattr(obj, "_entries", None) or obj.entries.count()

    @admin.display(description=gettext_lazy("统计"))
    def summary_view(self, obj):
        return "；".join(f"{label}：{value}" for label, value in obj.summary_items()) or "—"

    @admin.display(description=gettext_lazy("变更预览"))
    def preview_table(self, obj):
        from django.template.loader import render_to_string

        return render_to_string("editorial/batch_table.html", {"batch": obj})
