from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "apps.services"
    verbose_name = _("办事服务")

    def ready(self):
        from apps.core.audit import register_action_labels

        from .actions.labels import ACTION_LABELS

        register_action_labels(ACTION_LABELS)

        from apps.core.pagecache import register_area, register_next_change

        from .statistics import AREA, next_month_start

        # The statistics move with every request and rating: a page cache area of
        # their own, so that a request accepted or rated does not make the whole site stale.
        register_area(AREA, ("services:statistics",))

        # The statistics page shows the months up to the current one: it changes at each month's start.
        register_next_change(next_month_start)
