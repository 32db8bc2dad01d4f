"""The admin: the catalogue (editorial content) and the staff side of requests.

The request queue lists what the signed-in staff member may handle
(``ServiceRequest.objects.visible_to``), with filters and the four counts of
the desk (my queue, unassigned, due soon, overdue). A request's page shows the
timeline (public notes and internal notes told apart), the materials, and the
actions this person may take as POST buttons; every button calls an action.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.admin_pages import ReadOnlyModelAdmin
from apps.core.errors import InvalidTransition, NotAllowed
from apps.editorial.admin import EditorialAdminMixin, EditorialChildInlineMixin

from . import actions, deadlines, rules
from .models import AttributeDefinition, Rating, Service, ServiceGroup, ServiceMaterial, ServiceRequest, State
from .staff import available_buttons, desk_counts


@admin.register(ServiceGroup)
class ServiceGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "position")
    ordering = ("position",)


class MaterialInline(EditorialChildInlineMixin, admin.TabularInline):
    model = ServiceMaterial
    extra = 1
    fields = ("position", "name", "required", "file_types", "template")
    raw_id_fields = ("template",)


class AttributeInline(EditorialChildInlineMixin, admin.TabularInline):
    model = AttributeDefinition
    extra = 1
    fields = ("position", "code", "label", "datatype", "required", "help_text", "choices")


@admin.register(Service)
class ServiceAdmin(EditorialAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "group", "department", "deadline_days", "online")
    list_filter = ("group", "online")
    search_fields = ("name", "code", "keywords")
    inlines = [MaterialInline, AttributeInline]
    fieldsets = (
        (None, {"fields": ("code", "name", "group", "position", "sensitivity")}),
        (gettext_lazy("办事指南"), {"fields": ("description", "legal_basis", "eligibility", "keywords")}),
        (gettext_lazy("办理"), {"fields": (
            "department", "deadline_days", "fees", "online", "venue", "office_hours", "phone", "procedure")}),
    )


class QueueFilter(admin.SimpleListFilter):
    title = gettext_lazy("办理队列")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("mine", _("我的待办")), ("unassigned", _("未分派")), ("due_soon", _("即将到期")),
                ("overdue", _("已超期")), ("open", _("全部未办结"))]

    def queryset(self, request, queryset):
        today = deadlines.today()
        value = self.value()
        if value == "mine":
            return queryset.assigned_to(request.user)
        if value == "unassigned":
            return queryset.unassigned()
        if value == "due_soon":
            return queryset.due_soon(today, deadlines.due_soon_until(today))
        if value == "overdue":
            return queryset.overdue(today)
        if value == "open":
            return queryset.open()
        return queryset


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnlyModelAdmin):
    list_display = ("tracking_number", "service", "enterprise", "state", "assignee", "due_date", "submitted_at")
    list_filter = (QueueFilter, "state", "service", ("assignee", admin.RelatedOnlyFieldListFilter), "due_date")
    search_fields = ("tracking_number", "enterprise__name", "contact_name")
    list_select_related = ("service", "enterprise", "assignee")
    list_per_page = 50
    show_full_result_count = False
    date_hierarchy = None
    change_list_template = "admin/services/servicerequest/change_list.html"

    def get_queryset(self, request):
        return (ServiceRequest.objects.visible_to(request.user)
                .select_related("service", "enterprise", "assignee")
                .only("pk", "tracking_number", "state", "due_date", "submitted_at", "service__name",
                      "enterprise__name", "assignee__username", "assignee__display_name",
                      "assignee__first_name", "assignee__last_name"))

    def has_module_permission(self, request):
        return rules.is_staff_handler(request.user)

    def has_view_permission(self, request, obj=None):
        return rules.is_staff_handler(request.user) and (obj is None or rules.handles(request.user, obj))

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "desk_counts": desk_counts(request.user)}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("<path:object_id>/act/", self.admin_site.admin_view(self.act_view), name="%s_%s_act" % info),
        ] + super().get_urls()

    def _get(self, request, object_id):
        item = ServiceRequest.objects.select_related("service", "enterprise", "assignee", "duplicate_of").filter(
            pk=unquote(object_id)).first() if str(unquote(object_id)).isdigit() else None
        if item is None or not rules.handles(request.user, item):
            raise Http404(_("没有找到这条诉求，或它不在您的办理范围内。"))
        return item

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return self.act_view(request, object_id)
        return self._render(request, self._get(request, object_id))

    def _render(self, request, item, *, status=200, error=""):
        labels = {d.code: d.label for d in item.service.attribute_definitions.all()}
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "item": item, "title": str(item),
            "timeline": list(item.events.select_related("actor").order_by("at", "pk")),
            "materials": list(item.materials.all()),
            "attributes": [(labels.get(c, c), v) for c, v in item.attributes.items()],
            "buttons": available_buttons(request.user, item), "error": error,
            "staff": actions.assignable_staff() if rules.is_supervisor(request.user) else [],
            "states": State,
            # 好差评: the score and comment, never the rater (ratings_admin shows the rater to the supervisor).
            "rating": Rating.objects.filter(request_id=item.pk).only("pk", "request_id", "score", "comment").first(),
        }
        return TemplateResponse(request, "admin/services/servicerequest/request.html", context, status=status)

    def act_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:services_servicerequest_change", args=[object_id]))
        return _act(self, request, object_id)


def _act(model_admin, request, object_id):
    from django.contrib.auth import get_user_model

    item = model_admin._get(request, object_id)
    name = request.POST.get("action", "")
    public_note = request.POST.get("public_note", "")
    internal_note = request.POST.get("internal_note", "")
    notes = {"public_note": public_note, "internal_note": internal_note}
    try:
        if name == "assign":
            to = get_user_model().objects.filter(pk=request.POST.get("assignee") or 0).first()
            if to is None:
                raise InvalidTransition(_("请选择要分派给的工作人员。"))
            actions.assign(item, by=request.user, to=to, internal_note=internal_note)
        elif name == "take":
            actions.take(item, by=request.user)
        elif name == "note":
            actions.add_internal_note(item, by=request.user, internal_note=internal_note)
        elif name == "duplicate":
            original = ServiceRequest.objects.filter(
                tracking_number=request.POST.get("original", "").strip().upper()).first()
            if original is None:
                raise InvalidTransition(_("没有找到该受理编号的原诉求。"))
            actions.mark_duplicate(item, by=request.user, original=original, **notes)
        elif name == "refer":
            actions.refer(item, by=request.user, department=request.POST.get("department", ""), **notes)
        elif name in ("accept", "start", "request_supplement", "resolve", "close", "reject"):
            getattr(actions, name)(item, by=request.user, **notes)
        else:
            raise InvalidTransition(_("未知的操作。"))
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from None
    except (InvalidTransition, ValidationError) as exc:
        message = getattr(exc, "message", "") or "；".join(getattr(exc, "messages", [str(exc)]))
        return model_admin._render(request, model_admin._get(request, object_id), status=409, error=message)
    messages.success(request, _("操作已完成。"))
    return HttpResponseRedirect(reverse("admin:services_servicerequest_change", args=[item.pk]))

from . import ratings_admin  # noqa: E402,F401  (the 好差评 admin registers itself)
