"""Press releases in site search (apps.search.registry)."""

from django.utils.translation import gettext_lazy as _

from apps.search.registry import register

from .models import PressRelease

register(
    PressRelease, key="news", label=_("新闻"), position=10,
    rule=lambda: PressRelease.objects.published(),
    title="title", summary="summary", body=("subtitle", "body", "keywords", "source"),
    date="first_published_at",
)
