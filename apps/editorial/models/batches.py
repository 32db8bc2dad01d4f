"""Review batches: many drafts reviewed and published as one unit."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.fields import RowJSONField

from .content import EditorialModel, ObjectRef, Status, Visibility
from .revisions import Revision


# Labels of the counts a batch's maker puts in ``summary`` (an import's outcome).
SUMMARY_LABELS = {
    "new": _("新增"), "updated": _("更新"), "unchanged": _("未变化"), "invalid": _("有错误"),
    "duplicates": _("重复"), "total": _("合计"),
}


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

    class Meta(EditorialModel.Meta):
        verbose_name = _("批量审核")
        verbose_name_plural = _("批量审核")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title

    def summary_items(self) -> list[tuple[str, object]]:
        """The counts with Chinese labels (a key without a label is shown as it is)."""
        return [(str(SUMMARY_LABELS.get(key, key)), value) for key, value in (self.summary or {}).items()]

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
    batch = models.ForeignKey(  # editorial_batch_entry_unique leads with it: no index of its own
        ReviewBatch, verbose_name=_("批次"), on_delete=models.CASCADE, related_name="entries", db_index=False
    )
    revision = models.ForeignKey(Revision, verbose_name=_("版本"), on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    # This member's row of the reviewer's diff (row, status, name, changes): stored
    # once, here, not in the batch row and again in each of its revisions.
    preview = RowJSONField(_("变更预览"), default=dict, blank=True)

    objects = BatchEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("批次成员")
        verbose_name_plural = _("批次成员")
        constraints = [
            models.UniqueConstraint(fields=["batch", "content_type", "object_id"], name="editorial_batch_entry_unique"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="editorial_batch_item_idx")]
