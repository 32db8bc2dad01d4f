from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.editorial.admin import EditorialAdminMixin, EditorialChildInlineMixin

from .models import Page, PageLink


class PageLinkInline(EditorialChildInlineMixin, admin.TabularInline):
    model = PageLink
    extra = 1
    fields = ("position", "title", "url")


@admin.register(Page)
class PageAdmin(EditorialAdminMixin, admin.ModelAdmin):
    list_display = ("title", "column_type")
    search_fields = ("title", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("clusters",)
    inlines = [PageLinkInline]
    fieldsets = (
        (None, {"fields": ("title", "slug", "column_type", "sensitivity", "parent", "position")}),
        (_("正文"), {"fields": ("summary", "keywords", "body", "content_source", "clusters")}),
    )
