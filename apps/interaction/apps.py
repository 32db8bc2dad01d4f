from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteractionConfig(AppConfig):
    name = "apps.interaction"
    verbose_name = _("互动交流")

    def ready(self) -> None:
        from apps.core import viewcounts
        from apps.core.audit import register_action_labels

        from .models import Consultation

        viewcounts.register(Consultation, lambda: Consultation.objects.published())
        # The self-inspection's unanswered-messages indicator is apps.inspection.builtin's.
        register_action_labels({
            "interaction.submit": _("提交留言"), "interaction.accept": _("受理留言"),
            "interaction.route": _("转办留言"), "interaction.reject": _("不予受理"),
            "interaction.draft_reply": _("撰写答复"),
        })
