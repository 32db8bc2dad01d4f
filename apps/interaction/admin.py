"""The consultation desk in the admin: messages (private; acted on through
``actions``) and their replies (``Consultation``, an editorial item reviewed and
published with the engine's buttons)."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.admin_pages import ActionPageAdmin
from apps.core.audit import history_of
from apps.core.errors import InvalidTransition
from apps.editorial.admin import EditorialAdminMixin

from . import actions
from .models import Consultation, Message, State


@admin.register(Message)
class MessageAdmin(ActionPageAdmin):
    """The desk's page for one message: ActionPageAdmin's flow (pasted pinyin cleaned
    from the request, NotAllowed a 403, bad input a 400, a refused transition a 409)
    with the desk's own template, and a saved reply opening the reply's page."""

    list_display = ("tracking_number", "subject", "kind", "state", "department", "submitted_at", "due_date")
    list_filter = ("state", "kind")
    search_fields = ("tracking_number", "subject")
    date_hierarchy = "submitted_at"

    def has_module_permission(self, request):
        return actions.may_handle(request.user)

    def has_view_permission(self, request, obj=None):
        return actions.may_handle(request.user)

    def _get(self, request, object_id):
        object_id = str(unquote(str(object_id)))
        item = Message.objects.select_related("accepted_by").filter(pk=object_id).first() if object_id.isdigit() else None
        if item is None or not actions.may_handle(request.user):
            raise Http404(_("没有找到这条留言。"))
        return item

    def _render(self, request, item, *, status=200, error=""):
        consultation = Consultation._base_manager.filter(message=item).first()
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "item": item, "title": str(item),
            "consultation": consultation, "history": list(history_of(item)[:50]), "error": error,
            "states": State,
        }
        return TemplateResponse(request, "admin/interaction/message/message.html", context, status=status)

    def act(self, request, item, name):
        if name == "accept":
            actions.accept(item, by=request.user, department=request.POST.get("department", ""))
        elif name == "route":
            actions.route(item, by=request.user, department=request.POST.get("department", ""))
        elif name == "reject":
            actions.reject(item, by=request.user, reason=request.POST.get("reason", ""))
        elif name == "reply":
            if Consultation._base_manager.filter(message=item).exists():
                # The reply is rich text, edited on its own page: a plain-text
                # form here would flatten its links, lists and emphasis.
                raise InvalidTransition(_("这条留言已有答复草稿，请在答复页面修改。"))
            reply = (request.POST.get("reply") or "").strip()
            consultation = actions.draft_reply(item, by=request.user, reply=linebreaks(reply, autoescape=True),
                                               question=request.POST.get("question"))
            messages.success(request, _("答复草稿已保存，请提交审核。"))
            return HttpResponseRedirect(reverse("admin:interaction_consultation_change", args=[consultation.pk]))
        else:
            raise InvalidTransition(_("未知的操作。"))
        return None


@admin.register(Consultation)
class ConsultationAdmin(EditorialAdminMixin, admin.ModelAdmin):
    """Replies are created from a message (``draft_reply``), then edited, reviewed and
    published here like any editorial item."""

    list_display = ("subject", "kind", "department", "accepted_on", "public", "first_published_at")
    list_filter = ("kind", "public")
    search_fields = ("subject", "department")
    readonly_fields = ("accepted_on", "public")
    fieldsets = (
        (None, {"fields": ("subject", "kind", "department", "accepted_on", "public", "sensitivity")}),
        (gettext_lazy("公开内容"), {
            "fields": ("question", "reply"),
            "description": gettext_lazy("公开前请删去留言内容中的姓名、电话、住址等个人信息。留言人不同意公开的，答复审核发布后只在留言查询中向留言人显示。"),
        }),
    )

    def has_add_permission(self, request):
        return False
