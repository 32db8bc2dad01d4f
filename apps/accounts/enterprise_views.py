"""Pages of enterprise accounts: set a password from an invitation, reset a
forgotten one, and the staff page that invites a new account."""

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from apps.core.errors import NotAllowed

from . import enterprise_accounts

COLUMN = {"name": "企业账号", "description": "企业账号的密码设置与找回", "type": "办事服务"}
CONTEXT = {"column": COLUMN, "active_column": "services"}


class EnterprisePasswordResetForm(PasswordResetForm):
    """Only enterprise accounts reset here; staff reset through the site admin."""

    def get_users(self, email):
        return (user for user in super().get_users(email) if not user.is_staff)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = EnterprisePasswordResetForm
    template_name = "accounts/enterprise/password_reset.html"
    email_template_name = "accounts/enterprise/password_reset_email.txt"
    subject_template_name = "accounts/enterprise/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:enterprise_password_reset_done")
    extra_context = CONTEXT


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/enterprise/password_reset_done.html"
    extra_context = CONTEXT


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The one-time link from an invitation or a reset mail."""

    template_name = "accounts/enterprise/set_password.html"
    success_url = reverse_lazy("accounts:enterprise_set_password_done")
    extra_context = CONTEXT


class SetPasswordDoneView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/enterprise/set_password_done.html"
    extra_context = CONTEXT


class InviteForm(forms.Form):
    credit_code = forms.CharField(label=gettext_lazy("企业统一社会信用代码"), max_length=18)
    email = forms.EmailField(label=gettext_lazy("电子邮箱"))
    display_name = forms.CharField(label=gettext_lazy("姓名"), max_length=50, required=False)
    phone = forms.CharField(label=gettext_lazy("手机号码"), max_length=20, required=False)

    def clean_credit_code(self):
        from apps.enterprises.models import Enterprise

        code = self.cleaned_data["credit_code"].strip().upper()
        enterprise = Enterprise.objects.filter(credit_code=code).first()
        if enterprise is None:
            raise ValidationError(_("企业名录中没有统一社会信用代码为 %(code)s 的企业。") % {"code": code})
        self.enterprise = enterprise
        return code


@never_cache
@login_required(login_url="admin:login")
def invite(request):
    """Staff open an enterprise account; its holder gets a link to set the password."""
    if not all(request.user.has_perm(p) for p in enterprise_accounts.INVITE_PERMISSIONS):
        raise PermissionDenied(_("您没有开通企业账号的权限。"))
    form = InviteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                user = enterprise_accounts.invite(
                    by=request.user, enterprise=form.enterprise, email=form.cleaned_data["email"],
                    display_name=form.cleaned_data["display_name"], phone=form.cleaned_data["phone"])
            except NotAllowed as exc:
                raise PermissionDenied(str(exc)) from None
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
                status = 400
            else:
                messages.success(request, _("已为 %(enterprise)s 开通账号 %(user)s，设置密码的链接已发送到 %(email)s。") % {
                    "enterprise": form.enterprise.name, "user": user.username, "email": user.email})
                return redirect("accounts:enterprise_invite")
        else:
            status = 400
    return render(request, "accounts/enterprise/invite.html", {"form": form, **CONTEXT}, status=status)
