"""The editorial workflow engine's data.

A content model plugs in by inheriting ``EditorialModel`` (and its admin by
``EditorialAdminMixin``). The content row always holds what the public may see
once it has been published; every saved draft is a ``Revision`` snapshot, and a
draft of a published item lives only in its revisions until it is published.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel


class Status(models.TextChoices):
    """Workflow state of an item's latest version (what editors see)."""

    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("审核中")
    CHANGES_REQUESTED = "changes_requested", _("退回修改")
    APPROVED = "approved", _("审核通过")
    SCHEDULED = "scheduled", _("已排期")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")
    UNPUBLISHED = "unpublished", _("已下线")
    ARCHIVED = "archived", _("已归档")


class Visibility(models.TextChoices):
    """What the public sees of an item, whatever its latest draft is doing."""

    NONE = "none", _("从未发布")
    LIVE = "live", _("公开")
    WITHDRAWN = "withdrawn", _("已撤回（保留页面并说明）")
    GONE = "gone", _("已下线（410 或跳转）")


class Sensitivity(models.TextChoices):
    NORMAL = "normal", _("普通")
    IMPORTANT = "important", _("重要")
    SENSITIVE = "sensitive", _("敏感")


class EditorialQuerySet(models.QuerySet):
    """The one read rule for the public. Views, feeds, sitemaps and search use these."""

    def published(self):
        """In lists, feeds, sitemaps and search: live items only."""
        return self.filter(visibility=Visibility.LIVE)

    def viewable(self):
        """Detail pages: live items, and withdrawn ones (shown with their explanation)."""
        return self.filter(visibility__in=[Visibility.LIVE, Visibility.WITHDRAWN])

    def gone(self):
        return self.filter(visibility=Visibility.GONE)

    def awaiting_retrospective_review(self):
        return self.filter(awaiting_retrospective_review=True)


class EditorialModel(TimeStampedModel):
    """Mixin for a content model published through the editorial workflow.

    A subclass must define ``get_absolute_url()`` (its public URL, stable when
    the title changes) and ``public_renderer`` (dotted path of a function
    ``render(request, item, *, preview=False)`` returning the public page).
    It may define ``editorial_children``: reverse accessors of ordered child
    rows (e.g. gallery items) that belong in every revision, and override
    ``submission_problems()`` to refuse submission (e.g. images without alt text).
    ``submit`` calls it on the row, which for a published item still holds the
    public version: read what is being submitted from ``self.latest_revision.snapshot``
    (as ``PressRelease`` and ``Enterprise`` do), not from the row's fields.
    """

    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    visibility = models.CharField(
        _("公开状态"), max_length=10, choices=Visibility.choices, default=Visibility.NONE, db_index=True
    )
    sensitivity = models.CharField(
        _("敏感等级"), max_length=10, choices=Sensitivity.choices, default=Sensitivity.NORMAL,
        help_text=_("决定审核流程：普通为复审、签发；重要和敏感为初审、复审、终审。"),
    )
    latest_revision = models.ForeignKey(
        "editorial.Revision", verbose_name=_("最新版本"), on_delete=models.SET_NULL,
        null=True, blank=True, editable=False, related_name="+",
    )
    live_revision = models.ForeignKey(
        "editorial.Revision", verbose_name=_("公开版本"), on_delete=models.SET_NULL,
        null=True, blank=True, editable=False, related_name="+",
    )
    first_published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    public_updated_at = models.DateTimeField(_("更新时间"), null=True, blank=True, editable=False)
    go_live_at = models.DateTimeField(_("定时发布时间"), null=True, blank=True, editable=False)
    expire_at = models.DateTimeField(_("到期下线时间"), null=True, blank=True, editable=False)
    awaiting_retrospective_review = models.BooleanField(
        _("紧急发布待补审"), default=False, editable=False, db_index=True
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True, editable=False)
    withdrawal_note = models.TextField(_("撤回说明"), blank=True, editable=False)
    unpublished_at = models.DateTimeField(_("下线时间"), null=True, blank=True, editable=False)
    redirect_url = models.CharField(_("下线后跳转地址"), max_length=500, blank=True, editable=False)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("编辑锁定人"), on_delete=models.SET_NULL,
        null=True, blank=True, editable=False, related_name="+",
    )
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True, editable=False)
    schedule_error = models.TextField(_("定时发布失败原因"), blank=True, editable=False)

    objects = EditorialQuerySet.as_manager()

    # Names of reverse accessors whose rows are part of each revision.
    editorial_children: tuple[str, ...] = ()
    # Dotted path of render(request, item, *, preview=False) -> HttpResponse.
    public_renderer: str = ""

    class Meta:
        abstract = True

    # Fields that describe the workflow, not the content: never in a snapshot.
    WORKFLOW_FIELDS = frozenset(
        {
            "status", "visibility", "latest_revision", "live_revision", "first_published_at",
            "public_updated_at", "go_live_at", "expire_at", "awaiting_retrospective_review",
            "withdrawn_at", "withdrawal_note", "unpublished_at", "redirect_url", "locked_by",
            "locked_at", "schedule_error", "created_at", "updated_at", "created_by", "updated_by",
        }
    )

    @property
    def has_public_content(self) -> bool:
        """True once published: from then on the row is the public version."""
        return self.visibility != Visibility.NONE

    @property
    def has_unpublished_changes(self) -> bool:
        return self.latest_revision_id is not None and self.latest_revision_id != self.live_revision_id

    def lock_is_active(self) -> bool:
        if not self.locked_by_id or not self.locked_at:
            return False
        return timezone.now() - self.locked_at < settings.PARKPORTAL_EDITORIAL_LOCK_TIMEOUT

    def submission_problems(self) -> list[str]:
        """Reasons this item cannot be submitted for review (user-facing, Chinese)."""
        return []

    def can_be_edited_by(self, user) -> bool | None:
        """True lets this user save drafts of and submit this item without the
        model's change permission (e.g. an enterprise user and their own entry);
        None defers to the permission."""
        return None


def editorial_models() -> list[type[EditorialModel]]:
    """Every installed content model that goes through the workflow."""
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, EditorialModel)]


class ObjectRef(models.Model):
    """A pointer to any content item: content type + primary key (as text)."""

    content_type = models.ForeignKey(ContentType, verbose_name=_("内容类型"), on_delete=models.PROTECT)
    object_id = models.CharField(_("对象编号"), max_length=64)

    class Meta:
        abstract = True

    @classmethod
    def ref_filter(cls, item) -> dict:
        return {
            "content_type": ContentType.objects.get_for_model(item, for_concrete_model=False),
            "object_id": str(item.pk),
        }

    def get_item(self):
        return self.content_type.get_object_for_this_type(pk=self.object_id)


class RevisionKind(models.TextChoices):
    EDIT = "edit", _("编辑")
    REVERT = "revert", _("恢复旧版本")
    IMPORT = "import", _("批量导入")
    PROPOSAL = "proposal", _("企业提交")


class Revision(ObjectRef):
    """One saved version of an item: who, when, and a full snapshot."""

    number = models.PositiveIntegerField(_("版本号"))
    kind = models.CharField(_("类型"), max_length=10, choices=RevisionKind.choices, default=RevisionKind.EDIT)
    created_at = models.DateTimeField(_("保存时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("保存人"), on_delete=models.PROTECT, related_name="+"
    )
    based_on = models.ForeignKey(
        "self", verbose_name=_("基于版本"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary = models.CharField(_("摘要"), max_length=200, blank=True)
    snapshot = models.JSONField(_("内容快照"))

    class Meta:
        verbose_name = _("内容版本")
        verbose_name_plural = _("内容版本")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "number"], name="editorial_revision_number_unique"
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id", "-id"], name="editorial_rev_item_idx")]
        permissions = [
            ("publish_content", _("可以发布、定时发布内容")),
            ("urgent_publish", _("可以紧急发布（事后补审）")),
            ("approve_retrospectively", _("可以对紧急发布的内容补审")),
            ("withdraw_content", _("可以撤回、下线内容")),
            ("archive_content", _("可以归档内容")),
            ("break_lock", _("可以解除他人的编辑锁定")),
        ]

    def __str__(self) -> str:
        return f"v{self.number}"


class ReviewChain(models.Model):
    """Ordered review steps for a content type (or all types) and a sensitivity tier."""

    name = models.CharField(_("名称"), max_length=100)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("内容类型"), on_delete=models.PROTECT, null=True, blank=True,
        help_text=_("留空表示适用于所有内容类型的默认流程"),
    )
    sensitivity = models.CharField(_("敏感等级"), max_length=10, choices=Sensitivity.choices)

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


class ChangeNote(ObjectRef):
    """A public entry in an item's history: first publication or a major change."""

    revision = models.ForeignKey(Revision, verbose_name=_("版本"), on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("更新说明"))
    published_at = models.DateTimeField(_("时间"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("更新记录")
        verbose_name_plural = _("更新记录")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-published_at"], name="editorial_note_item_idx")]

    def __str__(self) -> str:
        return self.note[:50]


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


class ReviewBatch(EditorialModel):
    """Many drafts reviewed as one unit (e.g. a spreadsheet import).

    It is an editorial item itself: one review chain, one approval, and
    publishing it publishes every member revision (``actions.publish_members``). Its
    content is the reviewer's diff: each member's row of it is stored with the
    member (``BatchEntry.preview``; ``diff_rows()``).
    """

    title = models.CharField(_("批次名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    member_type = models.ForeignKey(
        ContentType, verbose_name=_("内容类型"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.JSONField(_("统计"), default=dict, blank=True)
    preview_rows = models.JSONField(_("变更预览"), default=list, blank=True)

    public_renderer = "apps.editorial.views.render_batch"

    class Meta:
        verbose_name = _("批量审核")
        verbose_name_plural = _("批量审核")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("admin:editorial_reviewbatch_change", args=[self.pk])

    def diff_rows(self) -> list[dict]:
        """The reviewer's diff: one row per member (``BatchEntry.preview``, in the
        batch's order), or the rows a batch made before 0004 kept in ``preview_rows``.

        A member's row may leave its ``changes`` out (``"changes_from": "revision"``:
        an import's new items, whose every field is new): they are then made from the
        member's batched revision by the member model's ``batch_preview_changes(snapshots)``,
        so that content is stored once, in the revision.
        """
        if self.preview_rows:
            return list(self.preview_rows)
        if self.pk is None:
            return []
        rows, lazy = [], []
        for preview, revision_id in self.entries.order_by("pk").values_list("preview", "revision_id"):
            if not preview:
                continue
            row = dict(preview)
            rows.append(row)
            if row.pop("changes_from", None) == "revision":
                lazy.append((row, revision_id))
        model = self.member_type.model_class() if self.member_type_id else None
        render = getattr(model, "batch_preview_changes", None)
        if lazy and render is not None:
            snapshots = dict(Revision.objects.filter(pk__in=[r for _row, r in lazy]).values_list("pk", "snapshot"))
            for (row, revision_id), changes in zip(lazy, render([snapshots.get(r) for _row, r in lazy])):
                row["changes"] = changes
        return rows


class BatchEntryQuerySet(models.QuerySet):
    def in_open_batch(self):
        """Members of a batch not yet published nor archived (its members wait for it)."""
        return self.filter(batch__visibility=Visibility.NONE).exclude(batch__status=Status.ARCHIVED)


class BatchEntry(ObjectRef):
    batch = models.ForeignKey(ReviewBatch, verbose_name=_("批次"), on_delete=models.CASCADE, related_name="entries")
    revision = models.ForeignKey(Revision, verbose_name=_("版本"), on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    # This member's row of the reviewer's diff (row, status, name, changes): stored
    # once, here, not in the batch row and again in each of its revisions.
    preview = models.JSONField(_("变更预览"), default=dict, blank=True)

    objects = BatchEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("批次成员")
        verbose_name_plural = _("批次成员")
        constraints = [
            models.UniqueConstraint(fields=["batch", "content_type", "object_id"], name="editorial_batch_entry_unique"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="editorial_batch_item_idx")]
