from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Open311Config(AppConfig):
    name = "apps.open311"
    verbose_name = _("开放接口（Open311）")

    def ready(self):
        from . import schema  # noqa: F401  (registers the api_key scheme with drf-spectacular)
        from apps.core.audit import register_action_labels

        register_action_labels({
            "open311.issue_key": _("签发接口密钥"),
            "open311.revoke_key": _("撤销接口密钥"),
            "open311.file_request": _("通过开放接口提交诉求"),
        })
