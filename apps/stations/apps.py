from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "apps.stations"
    verbose_name = _("创业服务站")

    def ready(self) -> None:
        from apps.core.pagecache import register_next_change

        from .schedule import next_station_change

        # "Open now" flips at every opening and closing: see schedule.next_station_change.
        register_next_change(next_station_change)
