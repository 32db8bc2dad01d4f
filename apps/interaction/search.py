"""Published consultation replies in site search (apps.search.registry).

``published()`` admits only replies whose writer agreed to publication; the
question and reply are the public versions (no personal data lives on the model).
"""

from django.utils.translation import gettext_lazy as _

from apps.search.registry import register

from .models import Consultation

register(
    Consultation, key="consultations", label=_("互动交流"), position=60,
    rule=lambda: Consultation.objects.published(),
    title="subject", summary="question", body=("department", "reply"),
    date="first_published_at",
)
