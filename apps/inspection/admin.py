"""The inspection admin: the wording lists (with CSV/XLSX import and export), the
override of a blocking hit, the stored checker results, and the self-inspection
report (page, printable page, XLSX). Writes go through ``actions``."""

from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.core.admin_pages import AuditTrailAdminMixin, ReadOnlyModelAdmin, refused
from apps.core.errors import InvalidTransition, NotAllowed

from . import actions
from .forms import ImportForm, OverrideForm
from .indicators import compute_all
from .models import LinkCheck, LiveWordingHit, ReportMail, WordingEntry, WordingOverride
from .report import xlsx

REPORT_PERMISSION = "inspection.view_report"


@admin.register(WordingEntry)
class WordingEntryAdmin(AuditTrailAdminMixin, admin.ModelAdmin):
    list_display = ("term", "kind", "severity", "suggestion", "active", "updated_at")
    list_filter = ("kind", "severity", "active")
    search_fields = ("term", "suggestion", "note")
    fields = ("term", "kind", "severity", "suggestion", "note", "active")
    change_list_template = "inspection/admin/wordingentry_change_list.html"

    def save_model(self, request, obj, form, change):
        actions.save_entry(obj, by=request.user)

    def delete_model(self, request, obj):
        actions.delete_entries(WordingEntry.objects.filter(pk=obj.pk), by=request.user)

    def delete_queryset(self, request, queryset):
        actions.delete_entries(queryset, by=request.user)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="inspection_wordingentry_import"),
            path("export/", wrap(require_GET(self.export_view)), name="inspection_wordingentry_export"),
            path("override/<str:app_label>/<str:model_name>/<str:object_id>/",
                 wrap(require_POST(self.override_view)), name="inspection_wording_override"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        status, outcome, problems = 200, None, []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                outcome = actions.import_entries(
                    upload.read(), by=request.user, filename=upload.name, replace=form.cleaned_data["replace"],
                    dry_run=form.cleaned_data["dry_run"])
            except ValidationError as error:
                status, problems = 400, error.messages
            except NotAllowed as error:
                raise PermissionDenied(str(error))
            else:
                if not form.cleaned_data["dry_run"]:
                    messages.success(request, _("已导入：新增 %(new)s 条，更新 %(update)s 条，未变 %(skip)s 条，删除 %(delete)s 条。") % outcome)
                    return HttpResponseRedirect(reverse("admin:inspection_wordingentry_changelist"))
        elif request.method == "POST":
            status = 400
        return TemplateResponse(request, "inspection/admin/import.html", {
            **self.admin_site.each_context(request), "title": _("导入错敏词表"), "form": form, "opts": self.model._meta,
            "outcome": outcome, "problems": problems,
        }, status=status)

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
        data = actions.export_entries(fmt=fmt)
        content_type = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx"
                        else "text/csv; charset=utf-8")
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="wording-{timezone.localdate():%Y%m%d}.{fmt}"'
        return response

    def override_view(self, request, app_label, model_name, object_id):
        try:
            content_type = ContentType.objects.get_by_natural_key(app_label, model_name)
        except ContentType.DoesNotExist:
            raise Http404
        model = content_type.model_class()
        item = model._base_manager.filter(pk=object_id).first() if model is not None and object_id.isdigit() else None
        if item is None:
            raise Http404
        back = reverse(f"admin:{app_label}_{model_name}_change", args=[item.pk])
        form = OverrideForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("请填写放行理由。"))
            actions.override_wording(item, by=request.user, reason=form.cleaned_data["reason"])
        except (NotAllowed, InvalidTransition, ValidationError) as exc:
            return refused(request, self.admin_site, exc, opts=model._meta, obj=item, back_url=back)
        messages.success(request, _("已放行该版本的严重错敏词一次，并记入审计日志。"))
        return HttpResponseRedirect(back)


@admin.register(WordingOverride)
class WordingOverrideAdmin(ReadOnlyModelAdmin):
    list_display = ("item_repr", "terms", "reason", "created_by", "created_at", "used_at", "used_for")
    list_select_related = ("created_by",)


@admin.register(LiveWordingHit)
class LiveWordingHitAdmin(ReadOnlyModelAdmin):
    list_display = ("item_repr", "field_label", "term", "suggestion", "severity", "context", "found_at")
    list_filter = ("severity", "kind")


@admin.register(ReportMail)
class ReportMailAdmin(ReadOnlyModelAdmin):
    list_display = ("week", "created_at", "sent_at")


@admin.register(LinkCheck)
class LinkCheckAdmin(ReadOnlyModelAdmin):
    list_display = ("item_repr", "url", "kind", "ok", "status_code", "error", "dead_runs", "first_seen_at",
                    "last_checked_at")
    list_filter = ("ok", "kind")
    search_fields = ("url", "item_repr")
    change_list_template = "inspection/admin/linkcheck_change_list.html"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("report/", wrap(require_GET(self.report_view)), name="inspection_report"),
            path("report/print/", wrap(require_GET(self.report_print_view)), name="inspection_report_print"),
            path("report/xlsx/", wrap(require_GET(self.report_xlsx_view)), name="inspection_report_xlsx"),
            *super().get_urls(),
        ]

    def _require_report(self, request):
        if not request.user.has_perm(REPORT_PERMISSION):
            raise PermissionDenied

    def _context(self, request):
        now = timezone.now()
        return {**self.admin_site.each_context(request), "title": _("网站自查报告"), "results": compute_all(now),
                "now": now, "opts": self.model._meta}

    def report_view(self, request):
        self._require_report(request)
        return TemplateResponse(request, "inspection/admin/report.html", self._context(request))

    def report_print_view(self, request):
        self._require_report(request)
        return TemplateResponse(request, "inspection/admin/report_print.html", self._context(request))

    def report_xlsx_view(self, request):
        self._require_report(request)
        response = HttpResponse(
            xlsx(compute_all()), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="self-inspection-{timezone.localdate():%Y%m%d}.xlsx"'
        return response
