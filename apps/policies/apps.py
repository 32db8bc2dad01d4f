from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "apps.policies"
    verbose_name = _("政策文件")

    def ready(self) -> None:
        from apps.core import viewcounts

        from .models import PolicyDocument, PolicyInterpretation

        viewcounts.register(PolicyDocument, lambda: PolicyDocument.objects.published())
        viewcounts.register(PolicyInterpretation, lambda: PolicyInterpretation.objects.published())
