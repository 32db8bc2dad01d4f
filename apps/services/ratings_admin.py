"""The admin of 好差评: ratings (the rater shown to the supervisor only), rectification
cases (the supervisor's) and appeals. Nothing is edited in forms: each page lists the
facts and the actions this person may take, as POST forms that call the actions."""

from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.admin_pages import ActionPageAdmin

from . import actions, rules
from .models import Appeal, CaseState, Rating, Rectification


class CountedFilter(admin.SimpleListFilter):
    title = gettext_lazy("计入统计")
    parameter_name = "counted"

    def lookups(self, request, model_admin):
        return [("yes", _("计入")), ("no", _("申诉成立，不计入"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.counted()
        if self.value() == "no":
            return queryset.filter(excluded_at__isnull=False)
        return queryset


@admin.register(Rating)
class RatingAdmin(ActionPageAdmin):
    list_filter = ("score", CountedFilter, "request__service__group")
    search_fields = ("request__tracking_number",)
    date_hierarchy = "rated_at"

    def get_list_display(self, request):
        columns = ["request", "service_name", "score", "comment_excerpt", "rated_at", "is_counted"]
        return columns + ["rater"] if rules.may_see_rater(request.user) else columns

    def get_queryset(self, request):
        return Rating.objects.visible_to(request.user).select_related("request__service", "rater")

    def has_module_permission(self, request):
        return rules.is_staff_handler(request.user)

    def has_view_permission(self, request, obj=None):
        return rules.is_staff_handler(request.user)

    @admin.display(description=gettext_lazy("事项"))
    def service_name(self, obj):
        return obj.request.service.name

    @admin.display(description=gettext_lazy("评价内容"))
    def comment_excerpt(self, obj):
        return obj.comment[:40]

    @admin.display(description=gettext_lazy("计入统计"), boolean=True)
    def is_counted(self, obj):
        return obj.excluded_at is None

    def facts(self, request, item):
        rows = [(_("诉求"), item.request.tracking_number), (_("事项"), item.request.service.name),
                (_("总体评价"), item.get_score_display())]
        rows += [(label, _("%(score)s") % {"score": value}) for label, value in item.dimension_rows()]
        rows += [(_("评价内容"), item.comment), (_("评价时间"), item.rated_at.strftime("%Y-%m-%d %H:%M")),
                 (_("计入统计"), _("否（恶意评价申诉成立）") if item.excluded_at else _("是"))]
        if rules.may_see_rater(request.user):
            rows.append((_("评价人"), str(item.rater or _("（账号已删除）"))))
        else:
            rows.append((_("评价人"), _("为保护评价人，仅督办可见")))
        return rows

    def history(self, request, item):
        return [_("%(at)s %(who)s申诉：%(reason)s —— %(state)s%(decision)s") % {
            "at": a.filed_at.strftime("%Y-%m-%d"), "who": a.filed_by, "reason": a.reason,
            "state": a.get_state_display(), "decision": f"（{a.decision_reason}）" if a.decision_reason else ""}
            for a in item.appeals.select_related("filed_by")]

    def act_forms(self, request, item):
        if rules.may_file_appeal(request.user, item):
            return [{"action": "appeal", "label": _("申诉为恶意评价"),
                     "fields": [("reason", _("申诉理由（必填）"), "text")]}]
        return []

    def act(self, request, item, name):
        if name != "appeal":
            super().act(request, item, name)
        actions.file_appeal(item, by=request.user, reason=request.POST.get("reason", ""))


@admin.register(Rectification)
class RectificationAdmin(ActionPageAdmin):
    list_display = ("request", "rating_score", "state", "opened_at", "due_date", "reported_at")
    list_filter = ("state",)
    search_fields = ("request__tracking_number",)

    def get_queryset(self, request):
        return Rectification.objects.visible_to(request.user).select_related("request__service", "rating__rater")

    def has_module_permission(self, request):
        return rules.is_supervisor(request.user)

    def has_view_permission(self, request, obj=None):
        return rules.is_supervisor(request.user)

    @admin.display(description=gettext_lazy("评价"))
    def rating_score(self, obj):
        return obj.rating.get_score_display()

    def facts(self, request, item):
        rating = item.rating
        return [
            (_("诉求"), item.request.tracking_number), (_("事项"), item.request.service.name),
            (_("评价"), rating.get_score_display()), (_("评价内容"), rating.comment),
            (_("评价人"), str(rating.rater or "")), (_("状态"), item.get_state_display()),
            (_("整改期限"), _("%(due)s（%(days)s 个工作日）") % {"due": item.due_date, "days": item.deadline_days}),
            (_("回访核实情况"), item.finding), (_("整改措施"), item.fix), (_("反馈企业的整改结果"), item.report),
        ]

    def act_forms(self, request, item):
        if item.state == CaseState.OPEN:
            return [{"action": "verify", "label": _("记录回访核实"),
                     "fields": [("finding", _("回访核实情况（必填，不得向评价企业施压）"), "text")]}]
        if item.state == CaseState.VERIFIED:
            return [{"action": "report_back", "label": _("反馈整改结果"),
                     "fields": [("fix", _("整改措施（必填）"), "text"),
                                ("report", _("反馈企业的整改结果（必填，企业可见并邮件通知）"), "text")]}]
        return []

    def act(self, request, item, name):
        if name == "verify":
            actions.verify(item, by=request.user, finding=request.POST.get("finding", ""))
        elif name == "report_back":
            actions.report_back(item, by=request.user, fix=request.POST.get("fix", ""),
                                report=request.POST.get("report", ""))
        else:
            super().act(request, item, name)


@admin.register(Appeal)
class AppealAdmin(ActionPageAdmin):
    list_display = ("rating", "filed_by", "filed_at", "state", "decided_by", "decided_at")
    list_filter = ("state",)

    def get_queryset(self, request):
        ratings = Rating.objects.visible_to(request.user)
        return Appeal.objects.filter(rating__in=ratings).select_related("rating__request__service", "filed_by",
                                                                        "decided_by")

    def has_module_permission(self, request):
        return rules.is_staff_handler(request.user)

    def has_view_permission(self, request, obj=None):
        return rules.is_staff_handler(request.user)

    def facts(self, request, item):
        rating = item.rating
        return [
            (_("诉求"), rating.request.tracking_number), (_("评价"), rating.get_score_display()),
            (_("评价内容"), rating.comment), (_("申诉人"), str(item.filed_by)), (_("申诉理由"), item.reason),
            (_("状态"), item.get_state_display()), (_("裁定人"), str(item.decided_by or "")),
            (_("裁定理由"), item.decision_reason),
        ]

    def act_forms(self, request, item):
        if rules.may_decide_appeal(request.user, item):
            return [{"action": "decide", "label": _("裁定申诉"),
                     "fields": [("decision", _("裁定结果"), "choice"), ("decision_reason", _("裁定理由（必填）"), "text")]}]
        return []

    def act(self, request, item, name):
        if name != "decide":
            super().act(request, item, name)
        actions.decide_appeal(item, by=request.user, upheld=request.POST.get("decision") == "upheld",
                              reason=request.POST.get("decision_reason", ""))


