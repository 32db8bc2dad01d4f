from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteractionConfig(AppConfig):
    name = "apps.interaction"
    verbose_name = _("互动交流")

    def ready(self) -> None:
        from apps.core import viewcounts
        from apps.core.audit import register_action_labels

        from apps.inspection.indicators import oldest_open, register_indicator

        from .models import Consultation, Message

        viewcounts.register(Consultation, lambda: Consultation.objects.published())
        # The self-inspection: 留言 answered within 3 months of submission (单项否决 past it).
        register_indicator("consultations", _("留言咨询答复"), order=60, compute=lambda now: oldest_open(
            Message.objects.unanswered(), date_field="submitted_at", limit=("months", 3), now=now,
            title=_("留言咨询答复"), rule=_("群众留言 3 个月内答复")))
        register_action_labels({
            "interaction.submit": _("提交留言"), "interaction.accept": _("受理留言"),
            "interaction.route": _("转办留言"), "interaction.reject": _("不予受理"),
            "interaction.draft_reply": _("撰写答复"),
        })
