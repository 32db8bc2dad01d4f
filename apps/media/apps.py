from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "apps.media"
    verbose_name = _("媒体资源")

    def ready(self) -> None:
        # Register the Celery tasks in every process: actions queue them by name
        # (apps.media.queueing) and no longer import the module themselves.
        from . import tasks  # noqa: F401
