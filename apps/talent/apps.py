from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "apps.talent"
    verbose_name = _("人才项目")

    def ready(self) -> None:
        from apps.core.pagecache import register_next_change

        from .schedule import next_round_change

        # Rounds open, close and become "closing soon" by themselves: a cached page
        # never outlives the next such instant (see schedule.next_round_change).
        register_next_change(next_round_change)
