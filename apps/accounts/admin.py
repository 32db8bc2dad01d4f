"""The user admin. Powers change only through apps.accounts.actions: a non-superuser
never sees the superuser flag or raw permissions, may give only roles it holds, and
cannot change (or reset the password of) an account that holds more than it does."""

from contextvars import ContextVar

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from . import actions
from .models import User

# The person using the password form (the stock view builds the form without the request).
_acting_user: ContextVar = ContextVar("accounts_acting_user", default=None)


class AuditedPasswordChangeForm(AdminPasswordChangeForm):
    # Django's own text ends in an untranslated English warning.
    usable_password_help_text = _(
        "用户是否能够使用密码登录。如果禁用，仍可通过其他方式（如单点登录）认证。"
        '<ul id="id_unusable_warning" class="messagelist"><li class="warning">'
        "如果禁用，该用户当前的密码将失效。</li></ul>"
    )

    def save(self, commit=True):
        usable = self.cleaned_data.get("set_usable_password", True)
        actions.set_password(self.user, self.cleaned_data["password1"] if usable else None, by=_acting_user.get())
        return self.user


_PERMISSION_VERBS = {"add": _("添加"), "change": _("修改"), "delete": _("删除"), "view": _("查看")}


def permission_label(permission) -> str:
    """"内容 | 栏目页面 | 修改" instead of the stored English "Can change 栏目页面"."""
    model = permission.content_type.model_class()
    verb, _sep, model_name = permission.codename.partition("_")
    if model is None:
        return permission.name
    opts = model._meta
    action = _PERMISSION_VERBS.get(verb) if model_name == opts.model_name else None
    return f"{opts.app_config.verbose_name} | {opts.verbose_name} | {action or permission.name}"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "display_name", "department", "email", "is_staff", "is_active")
    list_filter = ("is_staff", "is_active", "groups")
    search_fields = ("username", "display_name", "email", "phone")
    change_password_form = AuditedPasswordChangeForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("first_name", "last_name", "email")}),
        (_("单位信息"), {"fields": ("display_name", "phone", "department")}),
        (_("角色与权限"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    # Shown to everyone but superusers: no superuser flag, no raw permissions.
    _SUPERUSER_ONLY = ("is_superuser", "user_permissions")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        return tuple(
            (title, {**options, "fields": tuple(f for f in options["fields"] if f not in self._SUPERUSER_ONLY)})
            for title, options in fieldsets
        )

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "groups" and request is not None:
            kwargs["queryset"] = actions.grantable_groups(request.user)
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "user_permissions":
            field.label_from_instance = permission_label
        return field

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or actions.may_manage(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or actions.may_manage(request.user, obj))

    def user_change_password(self, request, id, form_url=""):
        token = _acting_user.set(request.user)
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _acting_user.reset(token)

    def save_model(self, request, obj, form, change):
        if not change:
            actions.create_account(obj, by=request.user)
            return
        wanted_superuser = form.cleaned_data.get("is_superuser", None)
        actions.update_account(
            obj, by=request.user,
            changed_fields=[f for f in form.changed_data if f not in ("is_superuser", "groups", "user_permissions")],
        )
        if wanted_superuser is not None:
            actions.set_superuser(obj, wanted_superuser, by=request.user)

    def save_related(self, request, form, formsets, change):
        # Roles and raw permissions are actions: keep them out of the form's save_m2m.
        groups = form.cleaned_data.pop("groups", None)
        permissions = form.cleaned_data.pop("user_permissions", None)
        super().save_related(request, form, formsets, change)
        user = form.instance
        if groups is not None:
            actions.set_roles(user, groups, by=request.user)
        if permissions is not None:
            actions.set_permissions(user, permissions, by=request.user)
