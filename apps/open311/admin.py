"""Staff issue and revoke API keys here. The plaintext key is shown once, on the page
that issued it; the list shows only its prefix."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import NotAllowed
from apps.core.admin_pages import ActionPageAdmin
from apps.core.textclean import with_pasted_text_cleaning

from . import actions
from .models import ApiKey, KeyKind


class IssueForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("用途说明"), max_length=100)
    kind = forms.ChoiceField(label=gettext_lazy("持有方类型"), choices=KeyKind.choices, widget=forms.RadioSelect)
    account = forms.ModelChoiceField(
        label=gettext_lazy("企业账号（企业密钥）"), required=False,
        queryset=get_user_model().objects.filter(is_active=True, is_staff=False,
                                                 enterprise_membership__isnull=False).order_by("username"),
        empty_label=gettext_lazy("（请选择）"),
    )
    partner = forms.CharField(label=gettext_lazy("合作系统名称（合作系统密钥）"), max_length=100, required=False)
    rate_per_hour = forms.IntegerField(label=gettext_lazy("每小时调用上限"), initial=600, min_value=1, max_value=100000)


@admin.register(ApiKey)
class ApiKeyAdmin(ActionPageAdmin):
    list_display = ("name", "kind", "holder", "prefix", "rate_per_hour", "created_at", "last_used_at", "revoked_at")
    list_filter = ("kind", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "prefix", "partner", "account__username")

    def get_queryset(self, request):
        return ApiKey.objects.select_related("account", "created_by", "revoked_by")

    def has_module_permission(self, request):
        return actions.may_manage_keys(request.user)

    def has_view_permission(self, request, obj=None):
        return actions.may_manage_keys(request.user)

    def has_add_permission(self, request):
        return actions.may_manage_keys(request.user)

    @admin.display(description=gettext_lazy("持有方"))
    def holder(self, obj):
        return obj.holder

    def add_view(self, request, form_url="", extra_context=None):
        if not actions.may_manage_keys(request.user):
            raise PermissionDenied
        form = with_pasted_text_cleaning(IssueForm)(request.POST or None)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "title": _("签发接口密钥"), "form": form}
        if request.method == "POST" and form.is_valid():
            try:
                key, plaintext = actions.issue_key(by=request.user, **form.cleaned_data)
            except NotAllowed as exc:
                raise PermissionDenied(str(exc)) from None
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    for message in messages:
                        form.add_error(field if field in form.fields else None, message)
            else:
                context.update(key=key, plaintext=plaintext)
                response = TemplateResponse(request, "admin/open311/issue.html", context)
                response["Cache-Control"] = "no-store"
                return response
        return TemplateResponse(request, "admin/open311/issue.html", context, status=400 if form.errors else 200)

    def facts(self, request, item):
        return [
            (_("用途说明"), item.name), (_("持有方类型"), item.get_kind_display()), (_("持有方"), item.holder),
            (_("密钥前缀"), item.prefix), (_("每小时调用上限"), item.rate_per_hour),
            (_("签发"), f"{item.created_by} {item.created_at:%Y-%m-%d %H:%M}"),
            (_("最近使用时间"), f"{item.last_used_at:%Y-%m-%d %H:%M}" if item.last_used_at else ""),
            (_("撤销"), f"{item.revoked_by or ''} {item.revoked_at:%Y-%m-%d %H:%M}" if item.revoked_at else _("有效")),
            (_("通过该密钥提交的诉求"), item.submissions.count()),
        ]

    def act_forms(self, request, item):
        if item.revoked_at is None:
            return [{"action": "revoke", "label": _("撤销密钥"), "fields": [("reason", _("撤销原因"), "text")]}]
        return []

    def act(self, request, item, name):
        if name != "revoke":
            super().act(request, item, name)
        actions.revoke_key(item, by=request.user, reason=request.POST.get("reason", ""))
