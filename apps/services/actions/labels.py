from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "service_requests.submit": _("提交诉求"),
    "service_requests.withdraw": _("撤回诉求"),
    "service_requests.assign": _("分派诉求"),
    "service_requests.reassign": _("改派诉求"),
    "service_requests.take": _("认领诉求"),
    "service_requests.accept": _("受理诉求"),
    "service_requests.start": _("开始办理"),
    "service_requests.request_supplement": _("要求补正"),
    "service_requests.answer_supplement": _("提交补正"),
    "service_requests.resolve": _("办结"),
    "service_requests.close": _("关闭"),
    "service_requests.reject": _("不予受理"),
    "service_requests.mark_duplicate": _("标记为重复诉求"),
    "service_requests.refer": _("转办"),
    "service_requests.note": _("内部备注"),
    "service_requests.remind": _("到期提醒"),
    "service_requests.overdue_alert": _("超期告警"),
}
