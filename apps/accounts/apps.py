from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles_after_migrate(sender, using="default", apps=None, **kwargs):
    # post_migrate is sent once per app, in INSTALLED_APPS order, and each app's
    # permissions are created by its own signal. Sync once, after the last app,
    # when every permission exists.
    from django.apps import apps as global_apps

    if sender is not list(global_apps.get_app_configs())[-1]:
        return
    # Our receiver may run before auth's own for this last app: make sure every
    # app's permissions exist first (create_permissions is idempotent).
    from django.contrib.auth.management import create_permissions

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=global_apps)
    from .roles import sync_roles

    sync_roles(using=using)


class AccountsConfig(AppConfig):
    default = True  # the module also holds LoginGuardConfig
    name = "apps.accounts"
    verbose_name = _("账号与角色")

    def ready(self) -> None:
        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="accounts.sync_roles")
        from apps.core.audit import register_action_labels

        register_action_labels({
            "accounts.create": _("创建账号"),
            "accounts.update": _("修改账号"),
            "accounts.set_roles": _("调整角色"),
            "accounts.set_superuser": _("设置超级管理员"),
            "accounts.set_permissions": _("直接授予权限"),
            "accounts.set_password": _("重设密码"),
        })


def _axes_config_base():
    from axes.apps import AppConfig as AxesAppConfig

    return AxesAppConfig


class LoginGuardConfig(_axes_config_base()):
    """django-axes under a Chinese name in the admin (its own has none)."""

    verbose_name = _("登录防护")
