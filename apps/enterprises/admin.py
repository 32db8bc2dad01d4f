"""Admin: the directory's items (editorial), their spreadsheet import and export,
the reference lists, enterprise accounts and the import history.

Import is an upload → preview (the resource's dry run) → confirm flow
(:mod:`.actions`, :mod:`.importing`); export uses the changelist's own
queryset (current filters and search) and the same django-import-export
resource (:mod:`.resources`).
"""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.core.admin_pages import ReadOnlyModelAdmin
from apps.core.errors import InvalidTransition, NotAllowed
from apps.core.admin_widgets import SafeAutocompleteAdminMixin
from apps.editorial.admin import EditorialAdminMixin, EditorialChildInlineMixin

from . import actions
from .forms import ImportForm
from .models import (
    Enterprise,
    EnterpriseMembership,
    EnterprisePhoto,
    ImportJob,
    ImportStatus,
    Platform,
    PlatformKind,
    PlatformPhoto,
    Qualification,
    QualificationKind,
)
from .resources import FORMATS, resource_for

STATUS_LABELS = {"new": gettext_lazy("新增"), "updated": gettext_lazy("更新"), "unchanged": gettext_lazy("未变化"), "invalid": gettext_lazy("有错误")}


class SpreadsheetAdminMixin:
    """Import (upload → preview → confirm) and export (CSV, XLSX) for a directory model."""

    change_list_template = "admin/enterprises/directory_change_list.html"

    def _names(self):
        opts = self.model._meta
        return f"{opts.app_label}_{opts.model_name}"

    def get_urls(self):
        name = self._names()
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name=f"{name}_import"),
            path("import/<int:job_id>/", wrap(self.import_job_view), name=f"{name}_import_job"),
            path("import/<int:job_id>/confirm/", wrap(require_POST(self.import_confirm_view)), name=f"{name}_import_confirm"),
            path("import/<int:job_id>/cancel/", wrap(require_POST(self.import_cancel_view)), name=f"{name}_import_cancel"),
            path("export/", wrap(self.export_view), name=f"{name}_export"),
            *super().get_urls(),
        ]

    @property
    def target(self):
        return resource_for(self.model)

    def has_import_permission(self, request) -> bool:
        return actions.may_import(request.user, self.target)

    def changelist_view(self, request, extra_context=None):
        name = self._names()
        query = request.GET.urlencode()
        extra = {
            "import_url": reverse(f"admin:{name}_import") if self.has_import_permission(request) else "",
            "export_links": [
                (label, reverse(f"admin:{name}_export") + "?" + (f"{query}&" if query else "") + f"_format={code}")
                for code, label in (("csv", _("导出 CSV")), ("xlsx", _("导出 Excel")))
            ],
            "history_url": reverse("admin:enterprises_importjob_changelist") + f"?target__exact={self.target.code}",
        }
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def _context(self, request, **kwargs):
        return {
            **self.admin_site.each_context(request), "opts": self.model._meta,
            "target_label": self.target.schema.label, **kwargs,
        }

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied(_("您没有批量导入的权限。"))
        form = ImportForm(request.POST or None, request.FILES or None)
        status = 200
        error = ""
        if request.method == "POST":
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    job = actions.start_import(
                        self.target.code, by=request.user, data=upload.read(), filename=upload.name,
                        encoding=form.cleaned_data["encoding"],
                    )
                except actions.ImportRefused as refused:
                    error, status = refused.message, 400
                except NotAllowed as exc:
                    raise PermissionDenied(str(exc))
                else:
                    return HttpResponseRedirect(reverse(f"admin:{self._names()}_import_job", args=[job.pk]))
            else:
                status = 400
        columns = self.target.schema.columns
        return TemplateResponse(
            request, "enterprises/admin/import_form.html",
            self._context(request, title=_("批量导入%(label)s") % {"label": self.target.schema.label},
                          form=form, error=error, columns=columns, sync_limit=actions.SYNC_ROW_LIMIT),
            status=status,
        )

    def _job(self, request, job_id) -> ImportJob:
        job = ImportJob.objects.filter(pk=job_id, target=self.target.code).select_related("created_by", "confirmed_by", "batch").first()
        if job is None:
            raise Http404
        if not (self.has_import_permission(request) or request.user.has_perm("enterprises.view_importjob")):
            raise PermissionDenied
        return job

    def import_job_view(self, request, job_id):
        job = self._job(request, job_id)
        preview = []
        for row in job.preview:
            preview.append({**row, "status_label": STATUS_LABELS.get(row["status"], row["status"])})
        counts = job.counts or {}
        context = self._context(
            request, title=_("导入：%(file)s") % {"file": job.filename}, job=job, preview=preview,
            counts=counts, progress=actions.progress_of(job) if job.is_running else None,
            can_confirm=job.status == ImportStatus.PREVIEWED and self.has_import_permission(request)
            and (counts.get("new", 0) + counts.get("updated", 0)) > 0,
            can_cancel=job.status == ImportStatus.PREVIEWED and job.created_by_id == request.user.pk,
            preview_truncated=len(job.preview) < counts.get("total", 0),
            batch_url=reverse("admin:editorial_reviewbatch_change", args=[job.batch_id]) if job.batch_id else "",
            status_labels=STATUS_LABELS,
        )
        return TemplateResponse(request, "enterprises/admin/import_job.html", context)

    def import_confirm_view(self, request, job_id):
        job = self._job(request, job_id)
        try:
            job = actions.confirm_import(job, by=request.user)
        except NotAllowed as exc:
            raise PermissionDenied(str(exc))
        except InvalidTransition as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse(f"admin:{self._names()}_import_job", args=[job.pk]))
        if job.status == ImportStatus.DONE:
            messages.success(request, _("已生成 %(n)d 个草稿版本，并作为一个批次提交审核。") % {"n": job.revisions_created})
        elif job.status == ImportStatus.FAILED:
            messages.error(request, job.error)
        return HttpResponseRedirect(reverse(f"admin:{self._names()}_import_job", args=[job.pk]))

    def import_cancel_view(self, request, job_id):
        job = self._job(request, job_id)
        try:
            actions.cancel_import(job, by=request.user)
        except (NotAllowed, InvalidTransition) as exc:
            raise PermissionDenied(getattr(exc, "message", str(exc)))
        messages.info(request, _("已取消本次导入，没有写入任何数据。"))
        return HttpResponseRedirect(reverse(f"admin:{self._names()}_changelist"))

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        request.GET = request.GET.copy()
        file_format = request.GET.pop("_format", ["csv"])[-1]
        if file_format not in FORMATS:
            raise Http404
        try:
            changelist = self.get_changelist_instance(request)  # the current filters and search
        except IncorrectLookupParameters:
            return HttpResponseBadRequest(
                _("导出条件无效：链接中含有无法识别的筛选参数。请回到列表重新筛选后再导出。"),
                content_type="text/plain; charset=utf-8",
            )
        queryset = changelist.get_queryset(request)
        try:
            content, filename, content_type = actions.export_directory(
                self.target.code, queryset, by=request.user, file_format=file_format
            )
        except NotAllowed as exc:
            raise PermissionDenied(str(exc))
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class QualificationInline(EditorialChildInlineMixin, admin.TabularInline):
    model = Qualification
    extra = 1
    fields = ("kind", "certificate_number", "valid_from", "valid_until")


class PhotoInline(EditorialChildInlineMixin, admin.TabularInline):
    extra = 1
    fields = ("position", "image", "caption")
    # The magnifier opens the image library, whose "增加图片" uploads through apps.media.
    raw_id_fields = ("image",)


class EnterprisePhotoInline(PhotoInline):
    model = EnterprisePhoto


class PlatformPhotoInline(PhotoInline):
    model = PlatformPhoto


MEDIA_HELP = gettext_lazy("先在“媒体资源”中上传（或点放大镜后选择、新增），再在此填写。提交审核前，图片须有替代文本且已处理完成。")


@admin.register(Enterprise)
class EnterpriseAdmin(EditorialAdminMixin, SpreadsheetAdminMixin, admin.ModelAdmin):
    list_display = ("name", "credit_code", "cluster", "directory_status")
    list_filter = ("cluster", "directory_status", "qualifications__kind", "is_key_project", "is_representative")
    search_fields = ("name", "short_name", "credit_code")
    list_select_related = ("cluster",)
    autocomplete_fields = ("service_liaison",)
    raw_id_fields = ("logo",)
    inlines = [QualificationInline, EnterprisePhotoInline]
    fieldsets = (
        (None, {"fields": ("name", "short_name", "credit_code", "cluster", "directory_status", "sensitivity")}),
        (gettext_lazy("基本信息"), {"fields": ("founded_on", "registered_capital", "headcount", "address", ("latitude", "longitude"), "website", "phone")}),
        (gettext_lazy("介绍"), {"fields": ("description", "main_products")}),
        (gettext_lazy("企业标志"), {"fields": ("logo",), "description": MEDIA_HELP}),
        (gettext_lazy("服务"), {"fields": ("is_representative", "is_key_project", "service_liaison")}),
    )

    def save_model(self, request, obj, form, change):
        actions.prepare_instance(obj)
        super().save_model(request, obj, form, change)


@admin.register(Platform)
class PlatformAdmin(EditorialAdminMixin, SpreadsheetAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "level", "host")
    list_filter = ("kind", "level")
    search_fields = ("name", "host__name")
    list_select_related = ("kind", "host")
    autocomplete_fields = ("host",)
    fields = ("name", "kind", "level", "host", "established_on", "address", "website", "phone", "description", "sensitivity")
    inlines = [PlatformPhotoInline]

    def save_model(self, request, obj, form, change):
        actions.prepare_instance(obj)
        super().save_model(request, obj, form, change)


@admin.register(QualificationKind)
class QualificationKindAdmin(admin.ModelAdmin):
    list_display = ("name", "aliases", "position")
    list_editable = ("position",)
    search_fields = ("name", "aliases")

    def has_delete_permission(self, request, obj=None):
        return False  # kinds in use are protected; rename or reorder instead


@admin.register(PlatformKind)
class PlatformKindAdmin(admin.ModelAdmin):
    list_display = ("name", "position")
    list_editable = ("position",)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EnterpriseMembership)
class EnterpriseMembershipAdmin(SafeAutocompleteAdminMixin, admin.ModelAdmin):
    list_display = ("user", "enterprise", "created_at")
    search_fields = ("user__username", "user__display_name", "enterprise__name", "enterprise__credit_code")
    autocomplete_fields = ("user", "enterprise")
    fields = ("user", "enterprise")

    def save_model(self, request, obj, form, change):
        obj.stamp(request.user)
        super().save_model(request, obj, form, change)


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyModelAdmin):
    """The import history: who imported which file, when, and the counts."""

    list_display = ("filename", "target", "created_by", "created_at", "status", "counts_summary", "open_link")
    list_filter = ("target", "status")
    search_fields = ("filename", "created_by__username", "created_by__display_name")
    list_select_related = ("created_by",)
    fields = (
        "target", "filename", "size", "encoding", "detected_encoding", "file_format", "row_count", "status",
        "counts", "error", "created_by", "created_at", "confirmed_by", "confirmed_at", "finished_at",
        "revisions_created", "batch", "purged_at",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).defer(*actions.BULKY)  # the file and the plan are not shown

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    @admin.display(description=gettext_lazy("统计"))
    def counts_summary(self, obj):
        counts = obj.counts or {}
        if not counts:
            return "—"
        return "，".join(f"{STATUS_LABELS[k]} {counts.get(k, 0)}" for k in ("new", "updated", "unchanged", "invalid"))

    @admin.display(description=gettext_lazy("详情"))
    def open_link(self, obj):
        model = "enterprise" if obj.target == "enterprise" else "platform"
        return format_html('<a href="{}">{}</a>', reverse(f"admin:enterprises_{model}_import_job", args=[obj.pk]), _("查看"))
