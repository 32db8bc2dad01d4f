"""The ModelAdmin mixin for content models, and the mixin for their child-row inlines."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from apps.core.admin_pages import AuditTrailAdminMixin, refused
from apps.core.admin_widgets import SafeAutocompleteAdminMixin
from apps.core.errors import InvalidTransition, NotAllowed
from apps.core.fields import RichTextField

from .. import actions, checks, media_text, traditional
from ..availability import available_actions, signs_off
from ..diff import compare
from ..history import timeline
from ..models import PreviewLink, ReviewComment, ReviewRound, Revision, RoundStatus, Status, TaskStatus, Visibility
from ..public import render_revision
from ..snapshots import draft_workspace, serialize
from .buttons import ACTION_INPUTS, ACTION_LABELS, BASE_REVISION_FIELD, SIGN_OFF_INPUTS, SIGN_OFF_LABEL, run_action


def _posted_id(request, name: str) -> int:
    """A row id posted by a button's form; anything but digits is a 404, not a 500."""
    raw = request.POST.get(name, "")
    if not raw.isdigit():
        raise Http404
    return int(raw)


def traditional_snapshot(obj) -> dict:
    """The draft's snapshot, with the media text it would carry if saved now."""
    snapshot = obj.latest_revision.snapshot if obj.latest_revision_id else serialize(obj)
    return media_text.with_current_text(type(obj), snapshot)


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


class EditorialAdminMixin(AuditTrailAdminMixin, SafeAutocompleteAdminMixin):
    """Mix into a content model's ModelAdmin (before admin.ModelAdmin)."""

    change_form_template = "editorial/admin/change_form.html"

    def get_view_on_site_url(self, obj=None):
        """"在站点上查看": the public page once there is one; before the first
        publication, or for an item kept off the site (``has_public_page``), the
        preview of the latest version (the public URL would be a 404)."""
        if obj is not None and not obj.has_public_page and obj.latest_revision_id:
            opts = self.model._meta
            return reverse(
                f"admin:{opts.app_label}_{opts.model_name}_preview", args=[obj.pk, obj.latest_revision.number]
            )
        return super().get_view_on_site_url(obj)
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

    # --- the read-only view (reviewers, publishers): rich text rendered, not raw HTML ----
    RENDERED = "__rendered"

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        rich = {f.name for f in self.model._meta.concrete_fields if isinstance(f, RichTextField)}

        def swap(name):
            if isinstance(name, (list, tuple)):
                return type(name)(swap(n) for n in name)
            return f"{name}{self.RENDERED}" if name in rich else name

        return [(title, {**options, "fields": [swap(n) for n in options["fields"]]}) for title, options in fieldsets]

    def __getattr__(self, name):
        # "<field>__rendered" in a read-only fieldset: the field's HTML, sanitised again
        # with the field's own sanitiser, shown as the public page shows it.
        if not name.endswith(EditorialAdminMixin.RENDERED) or "model" not in self.__dict__:
            raise AttributeError(name)
        field_name = name.removesuffix(EditorialAdminMixin.RENDERED)
        try:
            field = self.__dict__["model"]._meta.get_field(field_name)
        except FieldDoesNotExist:
            raise AttributeError(name) from None
        if not isinstance(field, RichTextField):
            raise AttributeError(name)

        def rendered(obj):
            html = field.sanitize(getattr(obj, field_name) or "")
            return format_html('<div class="rich-text-readonly">{}</div>', mark_safe(html))  # noqa: S308 - sanitised just above

        rendered.short_description = field.verbose_name
        return rendered

    # --- content is archived or taken down, never deleted ---------------------
    def has_delete_permission(self, request, obj=None):
        return False

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
                    actions.record_revision(
                        actions.lock_for_update(obj), by=request.user, snapshot=serialize(obj), summary=_("新建"),
                    )
                    self._warn_after_save(request, obj)
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
                    actions.check_editable(current, request.user, int(base))
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
                self._warn_after_save(request, obj)
        return response

    def _warn_after_save(self, request, obj) -> None:
        """The registered submission checks, on the version just saved (e.g. wording hits)."""
        saved = self.model._base_manager.select_related("latest_revision").get(pk=obj.pk)
        for note in checks.saved_warnings(saved):
            messages.warning(request, note)

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
            request, "admin/refused.html",
            {**self.admin_site.each_context(request), "title": _("未保存"), "message": exc.message,
             "diff_url": diff_url, "back_url": request.path, "opts": opts, "original": obj},
            status=409,
        )

    def _refuse(self, request, obj, exc):
        opts = self.model._meta
        back = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        return refused(request, self.admin_site, exc, opts=opts, obj=obj, back_url=back)

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
            if button["code"] == "approve" and signs_off(rounds[0] if rounds else None, open_task, request.user):
                button["label"], button["inputs"] = SIGN_OFF_LABEL, SIGN_OFF_INPUTS
        revisions = list(Revision.objects.filter(**ref).select_related("created_by")[:15])
        compare_url = reverse(f"{prefix}_compare", args=[obj.pk])
        for revision in revisions:
            revision.preview_url = reverse(f"{prefix}_preview", args=[obj.pk, revision.number])
            revision.revert_url = reverse(f"{prefix}_revert", args=[obj.pk, revision.number])
            if obj.latest_revision_id and revision.pk != obj.latest_revision_id:
                revision.compare_url = f"{compare_url}?a={revision.pk}&b={obj.latest_revision_id}"
        found_traditional = traditional.findings(self.model, traditional_snapshot(obj))
        return {
            "editorial_item": obj,
            "editorial_check_panels": checks.panels(request, obj),
            "editorial_buttons": buttons,
            "editorial_rounds": rounds,
            "editorial_timeline": timeline(obj),
            "editorial_comments": comments,
            "editorial_revisions": revisions,
            "editorial_links": list(PreviewLink.objects.filter(**ref).select_related("created_by", "revision")[:10]),
            "editorial_can_edit": "edit" in allowed,
            "editorial_comment_url": reverse(f"{prefix}_comment", args=[obj.pk]),
            # Traditional characters pasted into the Simplified draft: its fields,
            # child rows, and the media text it will carry (read from the library).
            "editorial_traditional": found_traditional,
            "editorial_traditional_in_item": any(f.in_item for f in found_traditional),
            "editorial_simplify_url": reverse(f"{prefix}_simplify", args=[obj.pk]),
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
            path("<path:object_id>/simplify/", wrap(require_POST(self.simplify_view)), name=f"{name}_simplify"),
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

    def simplify_view(self, request, object_id):
        obj = self._get_item(request, object_id)
        base = request.POST.get(BASE_REVISION_FIELD, "")
        if not base.isdigit():  # as for the change form: never convert blind
            return self._refuse(request, obj, ValidationError(_("缺少所依据的版本信息，未转换。请重新打开编辑页面。")))
        try:
            actions.convert_to_simplified(obj, by=request.user, base_revision_id=int(base))
        except actions.StaleEdit as exc:
            return self._refuse_stale(request, obj, exc)
        except (NotAllowed, InvalidTransition, ValidationError) as exc:
            return self._refuse(request, obj, exc)
        messages.success(request, _("已将繁体字转换为简体，并保存为新的草稿版本。"))
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
