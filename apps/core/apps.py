import os

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = _("基础设置")

    def ready(self) -> None:
        from django.conf import settings

        # The embedded defaults keep their files under var/: make sure it exists
        # before SQLite or the file cache touch it (the project creates the
        # filesystem broker's folders: parkportal.apps).
        os.makedirs(settings.VAR_DIR, exist_ok=True)
        from .audit import register_action_labels

        register_action_labels({
            "core.update_site_settings": _("修改网站设置"),
            "core.save_cluster": _("保存产业集群"),
            "core.delete_cluster": _("删除产业集群"),
            "core.enter_year_schedule": _("录入全年节假日安排"),
            "core.save_workday_override": _("修改节假日安排"),
            "core.delete_workday_override": _("删除节假日安排"),
        })
