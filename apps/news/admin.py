from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.editorial.admin import EditorialAdminMixin, EditorialChildInlineMixin

from .models import GalleryItem, PressRelease


class GalleryItemInline(EditorialChildInlineMixin, admin.TabularInline):
    model = GalleryItem
    extra = 1
    fields = ("position", "image", "caption")
    # The magnifier opens the image library, whose "增加图片" uploads through apps.media.
    raw_id_fields = ("image",)


@admin.register(PressRelease)
class PressReleaseAdmin(EditorialAdminMixin, admin.ModelAdmin):
    list_display = ("title", "source", "first_published_at")
    search_fields = ("title", "subtitle", "summary", "keywords")
    raw_id_fields = ("cover_image", "videos", "attachments")
    autocomplete_fields = ("enterprises",)
    filter_horizontal = ("clusters",)
    inlines = [GalleryItemInline]
    fieldsets = (
        (None, {"fields": ("title", "subtitle", "sensitivity")}),
        (_("正文"), {"fields": ("summary", "body", "keywords", "clusters", "enterprises")}),
        (_("图片、视频和附件"), {
            "fields": ("cover_image", "videos", "attachments"),
            "description": _("先在“媒体资源”中上传（或点放大镜后选择、新增），再在此填写。提交审核前，图片须有替代文本，且图片和视频均已处理完成。"),
        }),
        (_("署名"), {"fields": ("source", "authors", "responsible_editor")}),
    )
