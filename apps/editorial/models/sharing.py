"""Preview links for readers without an account, and who wants which workflow mail."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .content import ObjectRef
from .revisions import Revision


class PreviewLink(ObjectRef):
    """A signed, expiring, revocable link to one revision, for a reader without an account."""

    revision = models.ForeignKey(Revision, verbose_name=_("版本"), on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("用途"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("过期时间"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("撤销人"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )

    class Meta:
        verbose_name = _("预览链接")
        verbose_name_plural = _("预览链接")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        # The note is text: only the fallback, the creation date, is formatted as a date.
        label = self.note or f"{timezone.localtime(self.created_at):%Y-%m-%d}"
        return f"{self.revision} · {label}"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class PreviewLinkUse(models.Model):
    link = models.ForeignKey(PreviewLink, verbose_name=_("预览链接"), on_delete=models.CASCADE, related_name="uses")
    used_at = models.DateTimeField(_("访问时间"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("预览链接访问记录")
        verbose_name_plural = _("预览链接访问记录")
        ordering = ["-used_at"]


class NotificationKind(models.TextChoices):
    REVIEW_REQUESTED = "review_requested", _("有稿件等待我的角色审核")
    APPROVED = "approved", _("我的稿件审核通过")
    CHANGES_REQUESTED = "changes_requested", _("稿件被退回修改")
    PUBLISHED = "published", _("我的稿件已发布")
    SCHEDULE_FAILED = "schedule_failed", _("定时发布失败")


class EmailOptOut(models.Model):
    """A user who does not want one kind of editorial e-mail."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="editorial_opt_outs")
    kind = models.CharField(_("通知类型"), max_length=30, choices=NotificationKind.choices)

    class Meta:
        verbose_name = _("邮件退订")
        verbose_name_plural = _("邮件退订")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="editorial_opt_out_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()}"
