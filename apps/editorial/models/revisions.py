"""Saved versions of an item, and the public notes of its major changes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.fields import RowJSONField

from .content import ObjectRef


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
    snapshot = RowJSONField(_("内容快照"))

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
