from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "apps.services"
    verbose_name = _("办事服务")

    def ready(self):
        from apps.core.audit import register_action_labels

        from .actions.labels import ACTION_LABELS

        register_action_labels(ACTION_LABELS)
