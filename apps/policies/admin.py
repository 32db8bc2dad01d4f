from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.editorial.admin import EditorialAdminMixin, EditorialChildInlineMixin

from .models import InterpretationImage, PolicyDocument, PolicyInterpretation


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(EditorialAdminMixin, admin.ModelAdmin):
    list_display = ("title", "document_number", "issuer", "issued_on", "validity")
    list_filter = ("validity", "topic")
    search_fields = ("title", "document_number", "index_number", "issuer")
    raw_id_fields = ("superseded_by", "attachments")
    fieldsets = (
        (None, {"fields": ("title", "document_number", "issuer", "index_number", "topic", "sensitivity")}),
        (_("日期"), {"fields": ("written_on", "issued_on", "effective_on")}),
        (_("有效性"), {
            "fields": ("validity", "superseded_by"),
            "description": _("文件被修订或废止时，在本文件上选择新文件并提交审核；新文件页面会自动列出它替代的文件。"),
        }),
        (_("正文和附件"), {
            "fields": ("summary", "body", "attachments"),
            "description": _("附件请上传原件（PDF 或 OFD），先在“媒体资源”中上传，或点放大镜后选择、新增。"),
        }),
    )


class InterpretationImageInline(EditorialChildInlineMixin, admin.TabularInline):
    model = InterpretationImage
    extra = 1
    fields = ("position", "image", "caption")
    raw_id_fields = ("image",)


@admin.register(PolicyInterpretation)
class PolicyInterpretationAdmin(EditorialAdminMixin, admin.ModelAdmin):
    list_display = ("title", "kind", "document", "interpreter", "first_published_at")
    list_filter = ("kind",)
    search_fields = ("title", "interpreter", "document__title")
    list_select_related = ("document",)
    raw_id_fields = ("document", "video")
    inlines = [InterpretationImageInline]
    fieldsets = (
        (None, {"fields": ("title", "document", "kind", "interpreter", "sensitivity")}),
        (_("解读内容"), {
            "fields": ("summary", "body", "video"),
            "description": _("图解在下方“图解图片”中按顺序添加；提交审核前，图片须有替代文本，图片和视频均已处理完成。"),
        }),
    )
