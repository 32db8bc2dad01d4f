"""The inspection app's rows: the wording lists (错敏词 and 规范表述), publishers'
overrides of a blocking hit, the wording hits of live content, the link
checker's results and the weekly report mails.

Every write goes through :mod:`apps.inspection.actions`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.editorial.models import ObjectRef


class Kind(models.TextChoices):
    SERIOUS = "serious", _("严重表述错误")
    SENSITIVE = "sensitive", _("敏感词、禁用词")
    TYPO = "typo", _("错别字")


class Severity(models.TextChoices):
    BLOCK = "block", _("严重")
    WARN = "warn", _("一般")


class WordingEntryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class WordingEntry(TimeStampedModel):
    """One term of the lists: what is wrong, its correct form, and how serious it is."""

    term = models.CharField(_("词语"), max_length=100, unique=True, help_text=_("要查找的错误或敏感表述"))
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.TYPO)
    severity = models.CharField(
        _("严重程度"), max_length=5, choices=Severity.choices, default=Severity.WARN,
        help_text=_("严重：阻止提交和发布（签发人可说明理由后放行一次）；一般：仅提示"),
    )
    suggestion = models.CharField(_("建议表述"), max_length=200, blank=True, help_text=_("正确写法；敏感词可留空"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    objects = WordingEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("错敏词")
        verbose_name_plural = _("错敏词和规范表述")
        ordering = ["kind", "term"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(term=""), name="inspection_wording_term_not_empty"),
        ]

    def __str__(self) -> str:
        return self.term


class WordingListState(models.Model):
    """One row (pk=1): the lists' version, bumped by every change to them, so each
    process rebuilds its matcher once per version (apps.inspection.matching)."""

    version = models.PositiveBigIntegerField(_("版本"), default=0)
    # Changes with every version: what processes compare (a version number can come
    # back after a rolled-back transaction, a random token does not).
    token = models.UUIDField(_("版本标识"), default=uuid.uuid4)
    changed_at = models.DateTimeField(_("修改时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("词表版本")
        verbose_name_plural = _("词表版本")


class WordingOverride(ObjectRef):
    """A publisher let a version with serious wording hits through, with a reason.
    Used up by the first gate (submit, publish, schedule, urgent publish) it opens."""

    item_repr = models.CharField(_("内容"), max_length=300)
    revision = models.ForeignKey("editorial.Revision", verbose_name=_("版本"), on_delete=models.PROTECT, related_name="+")
    terms = models.JSONField(_("放行的词语"), default=list)
    reason = models.TextField(_("放行理由"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("放行人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("放行时间"), auto_now_add=True)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    used_for = models.CharField(_("用于"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("错敏词放行记录")
        verbose_name_plural = _("错敏词放行记录")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "revision"], name="inspection_override_ref_idx")]

    def __str__(self) -> str:
        return self.item_repr


class LiveHitQuerySet(models.QuerySet):
    def serious(self):
        return self.filter(severity=Severity.BLOCK)


class LiveWordingHit(ObjectRef):
    """A wording hit in what the public sees (re-scanned nightly and when a list
    changes, so an item published since is missing until the next scan)."""

    item_repr = models.CharField(_("内容"), max_length=300)
    field_label = models.CharField(_("位置"), max_length=100)
    term = models.CharField(_("词语"), max_length=100)
    suggestion = models.CharField(_("建议表述"), max_length=200, blank=True)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    severity = models.CharField(_("严重程度"), max_length=5, choices=Severity.choices)
    context = models.CharField(_("上下文"), max_length=300)
    found_at = models.DateTimeField(_("发现时间"))

    objects = LiveHitQuerySet.as_manager()

    class Meta:
        verbose_name = _("已发布内容中的错敏词")
        verbose_name_plural = _("已发布内容中的错敏词")
        ordering = ["severity", "content_type", "object_id", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="inspection_livehit_ref_idx")]


class LinkKind(models.TextChoices):
    INTERNAL = "internal", _("站内链接")
    EXTERNAL = "external", _("站外链接")
    ATTACHMENT = "attachment", _("附件")


class LinkCheckQuerySet(models.QuerySet):
    def reported(self):
        """Dead on two runs in a row (or more): what the report lists."""
        return self.filter(dead_runs__gte=2)


class LinkCheck(ObjectRef):
    """One link or attachment of a published item, as the checker last saw it."""

    item_repr = models.CharField(_("内容"), max_length=300)
    # Written by the checker only (never a form field): shown as text, never as a link.
    item_url = models.CharField(_("页面地址"), max_length=500, editable=False)
    url = models.CharField(_("链接地址"), max_length=1000, editable=False)
    kind = models.CharField(_("类型"), max_length=10, choices=LinkKind.choices)
    label = models.CharField(_("链接文字"), max_length=300, blank=True)
    ok = models.BooleanField(_("可用"), default=True)
    status_code = models.PositiveSmallIntegerField(_("状态码"), null=True, blank=True)
    error = models.CharField(_("问题"), max_length=300, blank=True)
    first_seen_at = models.DateTimeField(_("首次发现"))
    last_checked_at = models.DateTimeField(_("最近检查"))
    dead_since = models.DateTimeField(_("失效起始"), null=True, blank=True)
    dead_runs = models.PositiveIntegerField(_("连续失效次数"), default=0)

    objects = LinkCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("链接检查结果")
        verbose_name_plural = _("链接检查结果")
        ordering = ["-dead_runs", "content_type", "object_id", "url"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "url"], name="inspection_link_once_per_item"),
        ]
        permissions = [("view_report", _("查看网站自查报告"))]

    def __str__(self) -> str:
        return self.url


class ReportMail(models.Model):
    """The weekly report mail: one row per week (Monday, Beijing time), so it is
    written once however often beat runs."""

    week = models.DateField(_("周（周一）"), unique=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    recipients = models.JSONField(_("收件人"), default=list)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    summary = models.JSONField(_("摘要"), default=dict)

    class Meta:
        verbose_name = _("自查报告邮件")
        verbose_name_plural = _("自查报告邮件")
        ordering = ["-week"]

    def __str__(self) -> str:
        return str(self.week)
