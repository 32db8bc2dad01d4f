from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionConfig(AppConfig):
    name = "apps.inspection"
    verbose_name = _("网站自查")

    def ready(self) -> None:
        from apps.core.audit import register_action_labels
        from apps.editorial.checks import register_submission_check

        from .builtin import INDICATORS
        from .indicators import register_indicator
        from .linkcheck import PANEL
        from .checks import CHECK

        # The wording check is part of every item's submission_problems() (submit,
        # publish, schedule, urgent publish), without apps.editorial importing this app.
        register_submission_check(CHECK)
        register_submission_check(PANEL)  # the link checker's results on the item's change page
        for key, title, order, compute in INDICATORS:
            register_indicator(key, title, order=order, compute=compute)
        register_action_labels({
            "inspection.add_wording_entry": _("新增错敏词"),
            "inspection.change_wording_entry": _("修改错敏词"),
            "inspection.delete_wording_entries": _("删除错敏词"),
            "inspection.import_wording_entries": _("导入错敏词表"),
            "inspection.override_wording": _("放行严重错敏词"),
            "inspection.use_wording_override": _("使用错敏词放行"),
        })
