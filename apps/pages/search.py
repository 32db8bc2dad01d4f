"""Column pages in site search (apps.search.registry)."""

from django.utils.translation import gettext_lazy as _

from apps.search.registry import register

from .models import Page

register(
    Page, key="pages", label=_("栏目页面"), position=20,
    rule=lambda: Page.objects.published(),
    title="title", summary="summary", body=("body", "keywords", "content_source"),
    date="public_updated_at",
)
