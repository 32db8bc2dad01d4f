"""Talent programmes in site search (apps.search.registry)."""

from django.utils.translation import gettext_lazy as _

from apps.search.registry import register

from .models import TalentProgramme

register(
    TalentProgramme, key="talent", label=_("人才项目"), position=30,
    rule=lambda: TalentProgramme.objects.published(),
    title="name", summary=("short_name", "summary"),
    body=("eligibility", "benefits", "how_to_apply", "department", "contact_address"),
    date="public_updated_at", terms=("name", "short_name"),
)
