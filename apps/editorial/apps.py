from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    name = "apps.editorial"
    verbose_name = _("内容审核发布")

    def ready(self) -> None:
        from apps.core.audit import register_action_labels
        from apps.core.pagecache import register_next_change

        from . import tasks  # noqa: F401 - registers the tasks that are queued by name
        from .public import next_scheduled_change

        # A cached public page never outlives the next scheduled go-live or expiry.
        register_next_change(next_scheduled_change)

        register_action_labels({
            "editorial.save_draft": _("保存草稿"),
            "editorial.revert": _("恢复旧版本"),
            "editorial.submit": _("提交审核"),
            "editorial.approve": _("审核通过"),
            "editorial.request_changes": _("退回修改"),
            "editorial.publish": _("发布"),
            "editorial.urgent_publish": _("紧急发布"),
            "editorial.approve_retrospectively": _("补审通过"),
            "editorial.schedule": _("定时发布"),
            "editorial.unschedule": _("取消定时发布"),
            "editorial.scheduled_publish_failed": _("定时发布失败"),
            "editorial.expire": _("到期下线"),
            "editorial.withdraw": _("撤回"),
            "editorial.unpublish": _("下线"),
            "editorial.archive": _("归档"),
            "editorial.lock": _("锁定编辑"),
            "editorial.unlock": _("解除锁定"),
            "editorial.comment": _("发表审核意见"),
            "editorial.resolve_comment": _("意见已解决"),
            "editorial.create_preview_link": _("生成预览链接"),
            "editorial.revoke_preview_link": _("撤销预览链接"),
            "editorial.use_preview_link": _("外部访问预览链接"),
        })
