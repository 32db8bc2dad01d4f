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
    from .roles import sync_roles

    sync_roles(using=using)


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    verbose_name = _("账号与角色")

    def ready(self) -> None:
        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="accounts.sync_roles")
