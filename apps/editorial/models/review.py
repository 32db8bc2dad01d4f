"""Review chains and their steps, the rounds and tasks of a review, and review comments."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .content import ObjectRef, Sensitivity
from .revisions import Revision


class ReviewChain(models.Model):
    """Ordered review steps for a content type (or all types) and a sensitivity tier."""

    name = models.CharField(_("名称"), max_length=100)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("内容类型"), on_delete=models.PROTECT, null=True, blank=True,
        help_text=_("留空表示适用于所有内容类型的默认流程"),
    )
    sensitivity = models.CharField(_("敏感等级"), max_length=10, choices=Sensitivity.choices)
    distinct_reviewers = models.BooleanField(
        _("每一步须由不同的人审核"), default=True,
        help_text=_("勾选后，同一轮审核中已通过某一步的人（包括超级管理员和兼任多个角色的人）不能再通过其他步骤。"
                    "默认：重要、敏感内容开启。"),
    )
    last_approval_publishes = models.BooleanField(
        _("最后一步通过即发布（签发）"), default=True,
        help_text=_("勾选后，最后一步（终审、签发）通过时内容即发布，无需再点“发布”；已定时的内容按定时发布。"),
    )

    class Meta:
        verbose_name = _("审核流程")
        verbose_name_plural = _("审核流程")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "sensitivity"], condition=Q(content_type__isnull=False),
                name="editorial_chain_per_type_and_tier",
            ),
            models.UniqueConstraint(
                fields=["sensitivity"], condition=Q(content_type__isnull=True),
                name="editorial_default_chain_per_tier",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReviewStep(models.Model):
    chain = models.ForeignKey(ReviewChain, verbose_name=_("审核流程"), on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("步骤名称"), max_length=50)
    group = models.ForeignKey("auth.Group", verbose_name=_("负责角色"), on_delete=models.PROTECT)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("指定人员"), on_delete=models.PROTECT, null=True, blank=True,
        help_text=_("可选：只有此人可以处理该步骤"),
    )
    due_workdays = models.PositiveSmallIntegerField(_("办理时限（工作日）"), default=2)

    class Meta:
        verbose_name = _("审核步骤")
        verbose_name_plural = _("审核步骤")
        ordering = ["chain", "position"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "position"], name="editorial_step_position_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class RoundStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("审核中")
    APPROVED = "approved", _("已通过")
    CHANGES_REQUESTED = "changes_requested", _("退回修改")
    URGENT = "urgent", _("紧急发布")
    CANCELLED = "cancelled", _("已取消")


class ReviewRound(ObjectRef):
    """One submission of one revision through a chain of steps."""

    item_repr = models.CharField(_("标题"), max_length=300)
    revision = models.ForeignKey(Revision, verbose_name=_("送审版本"), on_delete=models.PROTECT, related_name="+")
    sensitivity = models.CharField(_("敏感等级"), max_length=10, choices=Sensitivity.choices)
    steps = models.JSONField(_("审核步骤"), help_text=_("提交时的流程副本"))
    current_step = models.PositiveSmallIntegerField(_("当前步骤"), default=0)
    # Copied from the chain at submission, like the steps.
    distinct_reviewers = models.BooleanField(_("每一步须由不同的人审核"), default=False)
    last_approval_publishes = models.BooleanField(_("最后一步通过即发布"), default=False)
    status = models.CharField(_("状态"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.IN_PROGRESS)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    authors = models.JSONField(_("作者"), default=list, help_text=_("本版本的作者和提交人（用户编号）"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    urgent_reason = models.TextField(_("紧急发布理由"), blank=True)
    urgent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("紧急发布人"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    retrospective_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("补审人"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    retrospective_at = models.DateTimeField(_("补审时间"), null=True, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("排期人"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    publish_major = models.BooleanField(_("重大更新"), null=True, blank=True)
    publish_note = models.TextField(_("更新说明"), blank=True)

    class Meta:
        verbose_name = _("审核轮次")
        verbose_name_plural = _("审核轮次")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], condition=Q(status="in_progress"),
                name="editorial_one_open_round_per_item",
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id", "-id"], name="editorial_round_item_idx")]

    def __str__(self) -> str:
        return f"{self.item_repr} ({self.get_status_display()})"

    def step(self, position: int) -> dict:
        return self.steps[position]


class TaskStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    APPROVED = "approved", _("已通过")
    CHANGES_REQUESTED = "changes_requested", _("退回修改")
    SKIPPED = "skipped", _("紧急发布时跳过")
    CANCELLED = "cancelled", _("已取消")


class ReviewTaskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=TaskStatus.OPEN)

    def overdue(self, now=None):
        return self.open().filter(due_at__lt=now or timezone.now())

    def for_user(self, user):
        """Open steps this user may act on: their groups, or named to them."""
        if user.is_superuser:
            return self.open()
        return self.open().filter(
            Q(assignee=user) | Q(assignee__isnull=True, group__in=user.groups.all())
        )


class ReviewTask(models.Model):
    """One step of a round, opened when the round reaches it."""

    round = models.ForeignKey(ReviewRound, verbose_name=_("审核轮次"), on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveSmallIntegerField(_("步骤"))
    name = models.CharField(_("步骤名称"), max_length=50)
    group = models.ForeignKey("auth.Group", verbose_name=_("负责角色"), on_delete=models.PROTECT)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("指定人员"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    status = models.CharField(_("状态"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    opened_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    due_at = models.DateTimeField(_("办理期限"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("处理人"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    comment = models.TextField(_("意见"), blank=True)

    objects = ReviewTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("审核任务")
        verbose_name_plural = _("审核任务")
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["round", "position"], name="editorial_task_per_step"),
            models.UniqueConstraint(
                fields=["round"], condition=Q(status="open"), name="editorial_one_open_task_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round.item_repr} · {self.name}"

    @property
    def is_overdue(self) -> bool:
        return self.status == TaskStatus.OPEN and self.due_at < timezone.now()


class ReviewComment(ObjectRef):
    revision = models.ForeignKey(Revision, verbose_name=_("版本"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    field_name = models.CharField(_("针对字段"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("回复"), on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField(_("内容"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("作者"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    resolved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("解决人"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )

    class Meta:
        verbose_name = _("审核意见")
        verbose_name_plural = _("审核意见")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="editorial_comment_item_idx")]

    def __str__(self) -> str:
        return self.body[:50]
