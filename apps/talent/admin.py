from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.editorial.admin import EditorialAdminMixin, EditorialChildInlineMixin

from .models import ApplicationRound, ProgrammeCategory, RequiredMaterial, TalentProgramme


class RoundInline(EditorialChildInlineMixin, admin.StackedInline):
    model = ApplicationRound
    extra = 1
    fields = (("title", "always_open"), ("opens_at", "closes_at"), "quota", "notes", ("results_release", "results_page"))
    raw_id_fields = ("results_release", "results_page")


class MaterialInline(EditorialChildInlineMixin, admin.TabularInline):
    model = RequiredMaterial
    extra = 1
    fields = ("position", "name", "note", "template")
    # The magnifier opens the attachment library, whose "增加附件" uploads through apps.media.
    raw_id_fields = ("template",)


@admin.register(TalentProgramme)
class TalentProgrammeAdmin(EditorialAdminMixin, admin.ModelAdmin):
    list_display = ("name", "category", "department", "first_published_at")
    list_filter = ("category",)
    search_fields = ("name", "short_name", "department")
    list_select_related = ("category",)
    raw_id_fields = ("cover_image", "policy_page", "related_news")
    autocomplete_fields = ("enterprises",)
    inlines = [RoundInline, MaterialInline]
    fieldsets = (
        (None, {"fields": ("name", "short_name", "category", "department", "sensitivity")}),
        (_("项目内容"), {"fields": ("summary", "eligibility", "benefits", "how_to_apply", "policy_page")}),
        (_("咨询和受理"), {"fields": ("contact_phone", "contact_email", "contact_address", "office_hours")}),
        (_("图片和关联"), {"fields": ("cover_image", "related_news", "enterprises")}),
    )


@admin.register(ProgrammeCategory)
class ProgrammeCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "position")
    list_editable = ("position",)
