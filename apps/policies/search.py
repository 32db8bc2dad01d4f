"""Policy documents and their interpretations in site search (apps.search.registry)."""

from django.utils.translation import gettext_lazy as _

from apps.search.registry import register

from .models import PolicyDocument, PolicyInterpretation

register(
    PolicyDocument, key="policies", label=_("政策文件"), position=15,
    rule=lambda: PolicyDocument.objects.published(),
    title="title", summary=("document_number", "summary"),
    body=("issuer", "index_number", "body"),
    date="first_published_at", terms=("document_number",),
)

register(
    PolicyInterpretation, key="interpretations", label=_("政策解读"), position=16,
    rule=lambda: PolicyInterpretation.objects.published(),
    title="title", summary="summary", body=("interpreter", "body"),
    date="first_published_at",
)
