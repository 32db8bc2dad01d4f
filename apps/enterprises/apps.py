from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "apps.enterprises"
    verbose_name = _("企业名录")

    def ready(self) -> None:
        from apps.core.audit import register_action_labels

        register_action_labels({
            "enterprises.import_upload": _("上传导入文件"),
            "enterprises.import_confirm": _("确认导入"),
            "enterprises.import_apply": _("导入写入草稿"),
            "enterprises.import_cancel": _("取消导入"),
            "enterprises.export": _("导出名录"),
            "enterprises.propose_edit": _("企业申请修改信息"),
            "enterprises.link_user": _("关联企业账号"),
            "enterprises.recompute_sort_keys": _("重建拼音排序键"),
        })
