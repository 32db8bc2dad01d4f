from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "apps.news"
    verbose_name = _("新闻动态")

    def ready(self) -> None:
        from apps.core import viewcounts

        from .models import PressRelease

        viewcounts.register(PressRelease, lambda: PressRelease.objects.published())
