"""Admin integration: a ModelAdmin mixin for content models, and the engine's own admin.

A content model's admin inherits ``EditorialAdminMixin`` first:

    @admin.register(Page)
    class PageAdmin(EditorialAdminMixin, admin.ModelAdmin): ...

The change form then edits the latest draft (not the public row), refuses a
stale save, shows the workflow buttons this user may press (POST forms with a
comment), the timeline, comments, revisions with diffs, and preview links.
"""

from datetime import datetime

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET, require_POST
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import history_of
from apps.core.errors import InvalidTransition, NotAllowed

from . import actions
from .availability import available_actions
from .diff import compare
from .models import (
    EmailOptOut, PreviewLink, ReviewBatch, ReviewChain, ReviewComment, ReviewRound, ReviewStep, Revision,
    RoundStatus, Status, TaskStatus, Visibility,
)
from .public import render_revision
from .snapshots import draft_workspace

BASE_REVISION_FIELD = "_editorial_base_revision"

ACTION_LABELS = {
    "submit": gettext_lazy("提交审核"),
    "approve": gettext_lazy("审核通过"),
    "request_changes": gettext_lazy("退回修改"),
    "publish": gettext_lazy("发布"),
    "schedule": gettext_lazy("定时发布"),
    "unschedule": gettext_lazy("取消定时发布"),
    "urgent_publish": gettext_lazy("紧急发布（事后补审）"),
    "approve_retrospectively": gettext_lazy("补审通过"),
    "withdraw": gettext_lazy("撤回（保留页面并公开说明）"),
    "unpublish": gettext_lazy("下线（410 或跳转）"),
    "archive": gettext_lazy("归档"),
    "lock": gettext_lazy("锁定编辑"),
    "unlock": gettext_lazy("解除锁定"),
}
# Which inputs each button's form asks for.
ACTION_INPUTS = {
    "submit": ["note"],
    "approve": ["note"],
    "request_changes": ["note!"],
    "publish": ["major", "change_note"],
    "schedule": ["go_live_at", "expire_at", "major", "change_note"],
    "urgent_publish": ["reason!", "major", "change_note"],
    "approve_retrospectively": ["note"],
    "withdraw": ["note!"],
    "unpublish": ["redirect_url", "note"],
    "archive": ["note"],
}


def _posted_id(request, name: str) -> int:
    """A row id posted by a button's form; anything but digits is a 404, not a 500."""
    raw = request.POST.get(name, "")
    if not raw.isdigit():
        raise Http404
    return int(raw)


def _parse_when(raw: str):
    if not raw:
        return None
    try:
        value = parse_datetime(raw.strip().replace(" ", "T"))
    except ValueError:  # well formed but impossible, e.g. month 13
        value = None
    if value is None:
        raise ValidationError(_("时间格式应为 年-月-日 时:分，例如 2026-12-01 09:00。"))
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _parse_major(raw: str):
    return {"major": True, "minor": False}.get(raw or "")


def _parse_task(raw: str):
    """The review task the reviewer's form was rendered for (posted as ``task``)."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationError(_("审核步骤编号无效，请刷新后重试。"))


def run_action(code: str, item, user, data) -> str:
    """Call the action for a button press; return the success message."""
    note = data.get("note", "")
    if code == "submit":
        actions.submit(item, by=user, note=note)
        return _("已提交审核。")
    if code == "approve":
        actions.approve(item, by=user, note=note, expected_task=_parse_task(data.get("task")))
        return _("已审核通过。")
    if code == "request_changes":
        actions.request_changes(item, by=user, note=note, expected_task=_parse_task(data.get("task")))
        return _("已退回修改。")
    if code == "publish":
        actions.publish(item, by=user, major=_parse_major(data.get("major")), change_note=data.get("change_note", ""))
        return _("已发布。")
    if code == "schedule":
        actions.schedule(
            item, by=user, go_live_at=_parse_when(data.get("go_live_at", "")),
            expire_at=_parse_when(data.get("expire_at", "")),
            major=_parse_major(data.get("major")), change_note=data.get("change_note", ""),
        )
        return _("已定时发布。")
    if code == "unschedule":
        actions.unschedule(item, by=user)
        return _("已取消定时发布。")
    if code == "urgent_publish":
        actions.urgent_publish(
            item, by=user, reason=data.get("reason", ""),
            major=_parse_major(data.get("major")), change_note=data.get("change_note", ""),
        )
        return _("已紧急发布，须由他人补审。")
    if code == "approve_retrospectively":
        actions.approve_retrospectively(item, by=user, note=note)
        return _("已补审通过。")
    if code == "withdraw":
        actions.withdraw(item, by=user, note=note)
        return _("已撤回。")
    if code == "unpublish":
        actions.unpublish(item, by=user, redirect_url=data.get("redirect_url", ""), note=note)
        return _("已下线。")
    if code == "archive":
        actions.archive(item, by=user, note=note)
        return _("已归档。")
    if code == "lock":
        actions.lock(item, by=user)
        return _("已锁定，其他人暂时不能保存修改。")
    if code == "unlock":
        actions.unlock(item, by=user)
        return _("已解除锁定。")
    raise Http404


class EditorialChildInlineMixin:
    """For inlines of an item's ordered child rows (``editorial_children``).

    The rows are part of the item and of each revision: whoever may change the
    item may add, change and remove its rows, without separate permissions.
    """

    def _parent_perm(self, request, action):
        opts = self.parent_model._meta
        return request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")

    def has_add_permission(self, request, obj=None):
        return self._parent_perm(request, "change") or (obj is None and self._parent_perm(request, "add"))

    def has_change_permission(self, request, obj=None):
        return self._parent_perm(request, "change") or (obj is None and self._parent_perm(request, "add"))

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        return self._parent_perm(request, "view") or self.has_change_permission(request, obj)


class EditorialAdminMixin:
    """Mix into a content model's ModelAdmin (before admin.ModelAdmin)."""

    change_form_template = "editorial/admin/change_form.html"
    editorial_list_filters = ("status", "visibility", "sensitivity", "awaiting_retrospective_review")

    # --- lists ------------------------------------------------------------------
    def get_list_display(self, request):
        return (*super().get_list_display(request), "status_column", "visibility", "public_updated_at")

    def get_list_filter(self, request):
        return (*self.editorial_list_filters, *super().get_list_filter(request))

    def get_list_select_related(self, request):
        return True if super().get_list_select_related(request) is False else super().get_list_select_related(request)

    @admin.display(description=gettext_lazy("状态"), ordering="status")
    def status_column(self, obj):
        label = obj.get_status_display()
        if obj.awaiting_retrospective_review:
            label += _("（待补审）")
        elif obj.visibility == Visibility.LIVE and obj.status != Status.PUBLISHED:
            label += _("（有未发布的修改）")
        return label

    # --- content is archived or taken down, never deleted ---------------------
    def has_delete_permission(self, request, obj=None):
        return False

    def log_addition(self, request, obj, message):
        return None  # apps.core.AuditEntry is the record (editorial.save_draft)

    def log_change(self, request, obj, message):
        return None

    # --- editing the latest draft ------------------------------------------------
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        state = request._editorial = {"saved": None}
        if object_id is None:
            if request.method == "POST" and not self.has_add_permission(request):
                raise PermissionDenied
            with transaction.atomic():
                response = super().changeform_view(request, object_id, form_url, extra_context)
                if isinstance(response, TemplateResponse):
                    response.render()
                if state["saved"] is not None:
                    obj = state["saved"]
                    from .snapshots import serialize

                    actions.record_revision(
                        actions.lock_for_update(obj), by=request.user, snapshot=serialize(obj), summary=_("新建"),
                    )
            return response

        model = self.model
        obj = model._base_manager.filter(pk=unquote(object_id)).first()
        if obj is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        extra_context = {**(extra_context or {}), **self.workflow_context(request, obj)}
        with transaction.atomic():
            current = actions.lock_for_update(obj)
            if request.method == "POST":
                base = request.POST.get(BASE_REVISION_FIELD, "")
                if not base.isdigit():
                    # Without the version the form was based on, a stale save could
                    # not be told apart from a fresh one: never save blind.
                    return self._refuse(request, current, ValidationError(
                        _("表单缺少所依据的版本信息，未保存。请重新打开编辑页面后再修改。")))
                try:
                    actions._check_editable(current, request.user, int(base))
                except actions.StaleEdit as exc:
                    return self._refuse_stale(request, current, exc)
                except (NotAllowed, InvalidTransition) as exc:
                    return self._refuse(request, current, exc)
            with draft_workspace(current) as workspace:
                response = super().changeform_view(request, object_id, form_url, extra_context)
                if isinstance(response, TemplateResponse):
                    response.render()  # read the draft before the savepoint goes
                if state["saved"] is not None:
                    workspace.item = state["saved"]  # the instance the admin wrote
                    workspace.capture()
                    workspace.keep = True
            if workspace.snapshot is not None:
                actions.record_revision(actions.lock_for_update(obj), by=request.user, snapshot=workspace.snapshot)
        return response

    def save_model(self, request, obj, form, change):
        obj.stamp(request.user)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        request._editorial["saved"] = form.instance

    def _refuse_stale(self, request, obj, exc):
        opts = self.model._meta
        diff_url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_compare", args=[obj.pk]
        ) + f"?a={exc.base_revision_id}&b={exc.latest_revision_id}"
        return TemplateResponse(
            request, "editorial/admin/refused.html",
            {**self.admin_site.each_context(request), "title": _("未保存"), "message": exc.message,
             "diff_url": diff_url, "back_url": request.path, "opts": opts, "original": obj},
            status=409,
        )

    def _refuse(self, request, obj, exc):
        status = 403 if isinstance(exc, NotAllowed) else 409
        if isinstance(exc, ValidationError):
            status, message = 400, "；".join(exc.messages)
        else:
            message = getattr(exc, "message", "") or str(exc)
        opts = self.model._meta
        back = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        return TemplateResponse(
            request, "editorial/admin/refused.html",
            {**self.admin_site.each_context(request), "title": _("操作未完成"), "message": message,
             "back_url": back, "opts": opts, "original": obj},
            status=status,
        )

    # --- the workflow panel -----------------------------------------------------------
    def workflow_context(self, request, obj) -> dict:
        ref = ReviewRound.ref_filter(obj)
        rounds = list(ReviewRound.objects.filter(**ref).prefetch_related("tasks__group", "tasks__decided_by")[:5])
        # The step on screen: approve / request changes post its id, so a stale or
        # repeated click is refused instead of deciding the next step.
        open_task = None
        if rounds and rounds[0].status == RoundStatus.IN_PROGRESS:
            open_task = next((t for t in rounds[0].tasks.all() if t.status == TaskStatus.OPEN), None)
        allowed = available_actions(obj, request.user, round_=rounds[0] if rounds else None, task=open_task)
        buttons = [
            {"code": code, "label": ACTION_LABELS[code], "inputs": ACTION_INPUTS.get(code, []),
             "task": open_task.pk if open_task and code in ("approve", "request_changes") else None}
            for code in ACTION_LABELS if code in allowed and not (code == "lock" and obj.locked_by_id == request.user.pk and obj.lock_is_active())
        ]
        comments = list(ReviewComment.objects.filter(**ref, parent__isnull=True).select_related("author", "resolved_by").prefetch_related("replies__author"))
        opts = self.model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        for button in buttons:
            button["url"] = reverse(f"{prefix}_workflow", args=[obj.pk, button["code"]])
        revisions = list(Revision.objects.filter(**ref).select_related("created_by")[:15])
        compare_url = reverse(f"{prefix}_compare", args=[obj.pk])
        for revision in revisions:
            revision.preview_url = reverse(f"{prefix}_preview", args=[obj.pk, revision.number])
            revision.revert_url = reverse(f"{prefix}_revert", args=[obj.pk, revision.number])
            if obj.latest_revision_id and revision.pk != obj.latest_revision_id:
                revision.compare_url = f"{compare_url}?a={revision.pk}&b={obj.latest_revision_id}"
        return {
            "editorial_item": obj,
            "editorial_buttons": buttons,
            "editorial_rounds": rounds,
            "editorial_timeline": list(history_of(obj)[:30]),
            "editorial_comments": comments,
            "editorial_revisions": revisions,
            "editorial_links": list(PreviewLink.objects.filter(**ref).select_related("created_by", "revision")[:10]),
            "editorial_can_edit": "edit" in allowed,
            "editorial_comment_url": reverse(f"{prefix}_comment", args=[obj.pk]),
            "editorial_share_url": reverse(f"{prefix}_share", args=[obj.pk]),
            "editorial_field_names": [
                (f.name, f.verbose_name) for f in opts.fields if f.editable and not f.primary_key
            ],
        }

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            # Writes are POST only: nothing changes on GET.
            path("<path:object_id>/workflow/<str:code>/", wrap(require_POST(self.workflow_view)), name=f"{name}_workflow"),
            path("<path:object_id>/revisions/compare/", wrap(require_GET(self.compare_view)), name=f"{name}_compare"),
            path("<path:object_id>/revisions/<int:number>/preview/", wrap(require_GET(self.preview_view)), name=f"{name}_preview"),
            path("<path:object_id>/revisions/<int:number>/revert/", wrap(require_POST(self.revert_view)), name=f"{name}_revert"),
            path("<path:object_id>/comments/", wrap(require_POST(self.comment_view)), name=f"{name}_comment"),
            path("<path:object_id>/share/", wrap(require_POST(self.share_view)), name=f"{name}_share"),
            *super().get_urls(),
        ]

    def _get_item(self, request, object_id):
        obj = self.model._base_manager.filter(pk=unquote(object_id)).first()
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def _back(self, obj):
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))

    def workflow_view(self, request, object_id, code):
        obj = self._get_item(request, object_id)
        if code not in ACTION_LABELS:
            raise Http404
        try:
            message = run_action(code, obj, request.user, request.POST)
        except (NotAllowed, InvalidTransition, ValidationError) as exc:
            return self._refuse(request, obj, exc)
        messages.success(request, message)
        return self._back(obj)

    def _revision(self, obj, number):
        revision = Revision.objects.filter(**Revision.ref_filter(obj), number=number).first()
        if revision is None:
            raise Http404
        return revision

    def compare_view(self, request, object_id):
        obj = self._get_item(request, object_id)
        ref = Revision.ref_filter(obj)
        try:
            a = Revision.objects.get(**ref, pk=int(request.GET.get("a", "")))
            b = Revision.objects.get(**ref, pk=int(request.GET.get("b", "")))
        except (ValueError, Revision.DoesNotExist):
            return self._refuse(request, obj, ValidationError(_("请选择同一内容的两个版本进行比较。")))
        return TemplateResponse(request, "editorial/admin/compare.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": obj,
            "title": _("版本比较：第 %(a)s 版 → 第 %(b)s 版") % {"a": a.number, "b": b.number},
            "a": a, "b": b, "diffs": compare(self.model, a.snapshot, b.snapshot),
        })

    def preview_view(self, request, object_id, number):
        obj = self._get_item(request, object_id)
        return render_revision(request, obj, self._revision(obj, number))

    def revert_view(self, request, object_id, number):
        obj = self._get_item(request, object_id)
        try:
            actions.revert(obj, by=request.user, revision=self._revision(obj, number))
        except (NotAllowed, InvalidTransition) as exc:
            return self._refuse(request, obj, exc)
        messages.success(request, _("已根据第 %(n)s 版生成新的草稿。") % {"n": number})
        return self._back(obj)

    def comment_view(self, request, object_id):
        obj = self._get_item(request, object_id)
        try:
            if request.POST.get("resolve"):
                comment = ReviewComment.objects.filter(**ReviewComment.ref_filter(obj), pk=_posted_id(request, "resolve")).first()
                if comment is None:
                    raise Http404
                actions.resolve_comment(comment, by=request.user)
            else:
                parent = None
                if request.POST.get("parent"):
                    parent = ReviewComment.objects.filter(**ReviewComment.ref_filter(obj), pk=_posted_id(request, "parent")).first()
                actions.add_comment(obj, by=request.user, body=request.POST.get("body", ""),
                                    field_name=request.POST.get("field_name", ""), parent=parent)
        except (NotAllowed, InvalidTransition, ValidationError) as exc:
            return self._refuse(request, obj, exc)
        return self._back(obj)

    def share_view(self, request, object_id):
        obj = self._get_item(request, object_id)
        try:
            if request.POST.get("revoke"):
                link = PreviewLink.objects.filter(**PreviewLink.ref_filter(obj), pk=_posted_id(request, "revoke")).first()
                if link is None:
                    raise Http404
                actions.revoke_preview_link(link, by=request.user)
                messages.success(request, _("预览链接已撤销。"))
            else:
                try:
                    days = int(request.POST.get("days") or 0) or None
                except ValueError:
                    raise ValidationError(_("有效期须为整数天。"))
                _link, token = actions.create_preview_link(obj, by=request.user, days=days, note=request.POST.get("note", ""))
                url = request.build_absolute_uri(reverse("editorial:shared_preview", args=[token]))
                messages.success(request, format_html(_("预览链接（请复制发送给核对人，打开即记录）：{}"), url))
        except (NotAllowed, InvalidTransition, ValidationError) as exc:
            return self._refuse(request, obj, exc)
        return self._back(obj)


# --- The engine's own configuration ------------------------------------------------------

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
            from .actions import editorial_models

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
        return "；".join(f"{k}：{v}" for k, v in (obj.summary or {}).items()) or "—"

    @admin.display(description=gettext_lazy("变更预览"))
    def preview_table(self, obj):
        from django.template.loader import render_to_string

        return render_to_string("editorial/batch_table.html", {"batch": obj})
