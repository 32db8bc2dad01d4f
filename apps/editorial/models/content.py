"""What a content model inherits: its workflow and visibility states, the public read
rules, and references to any item."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
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

    # status and visibility are indexed in Meta.indexes, not with db_index: see there.
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    visibility = models.CharField(_("公开状态"), max_length=10, choices=Visibility.choices, default=Visibility.NONE)
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
    # The reviewed text of the media this version shows (alt text, captions, titles),
    # copied from the media library when the version is saved or submitted; public
    # pages show it instead of the library's current text (apps/editorial/media_text.py).
    media_text = models.JSONField(_("媒体文字"), default=dict, blank=True, editable=False)

    objects = EditorialQuerySet.as_manager()

    # Names of reverse accessors whose rows are part of each revision.
    editorial_children: tuple[str, ...] = ()
    # Dotted path of render(request, item, *, preview=False) -> HttpResponse.
    public_renderer: str = ""

    class Meta:
        abstract = True
        # Plain b-tree indexes: on PostgreSQL, db_index=True on a CharField adds a second,
        # varchar_pattern_ops index for LIKE, which no read of these codes uses and every
        # write (an import: 20,000 inserts and their state updates) maintains. A subclass's
        # Meta inherits this one and lists these first if it has indexes of its own.
        indexes = [models.Index(fields=["status"]), models.Index(fields=["visibility"])]

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
    def has_public_page(self) -> bool:
        """True when ``get_absolute_url()`` answers with this item (its page, or the
        notice of its withdrawal) rather than a 404: once published, unless the
        model keeps some published items off the site (a reply its writer did not
        agree to make public). Links to the public page are given only then."""
        return self.has_public_content

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
