"""Policy documents (政策文件) and their interpretations (政策解读).

Both are editorial items (``EditorialModel``): written, reviewed and published
through the workflow; the row is the public version once published.

A document's validity (有效性) is one of 有效 / 已修订 / 已废止 / 失效. A document
that another one amends or repeals names it in ``superseded_by`` (set on the old
document, in its own reviewed revision); the new one lists what it replaced through
the reverse relation (``supersedes``), read through ``published()``. Amended and
repealed documents stay online, marked at the top of the page and on every list row.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from apps.core.fields import RichTextField
from apps.editorial.models import EditorialModel, EditorialQuerySet
from apps.media.models import OrderedImage, Video


class Validity(models.TextChoices):
    VALID = "valid", _("有效")
    AMENDED = "amended", _("已修订")
    REPEALED = "repealed", _("已废止")
    EXPIRED = "expired", _("失效")


#: Validities that name the document that replaced this one.
SUPERSEDED = (Validity.AMENDED, Validity.REPEALED)


class Topic(models.TextChoices):
    """主题分类, after the State Council's public-document topic list (the park's subset)."""

    GENERAL = "general", _("综合政务")
    ECONOMY = "economy", _("国民经济管理、国有资产监管")
    FINANCE = "finance", _("财政、金融、审计")
    INDUSTRY = "industry", _("工业、交通")
    SCIENCE = "science", _("科技、教育")
    TRADE = "trade", _("商贸、海关、旅游")
    LABOUR = "labour", _("劳动、人事、监察")
    TALENT = "talent", _("人才")
    CONSTRUCTION = "construction", _("城乡建设、环境保护")
    LAND = "land", _("国土资源、能源")
    MARKET = "market", _("市场监管、安全生产监管")
    SOCIAL = "social", _("卫生、体育、民政、社区")


class PolicyDocumentQuerySet(EditorialQuerySet):
    def newest_first(self):
        return self.order_by("-issued_on", "-pk")

    def issued_in(self, year: int):
        return self.filter(issued_on__year=year)

    def list_rows(self):
        """Only what a list row shows."""
        return self.only("pk", "title", "document_number", "issuer", "topic", "issued_on", "validity",
                         "visibility")


class PolicyDocument(EditorialModel):
    title = models.CharField(_("标题"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=60, blank=True, help_text=_("例如：乌高新管发〔2026〕12号"))
    issuer = models.CharField(_("发文机关"), max_length=100)
    index_number = models.CharField(_("索引号"), max_length=60, blank=True)
    topic = models.CharField(_("主题分类"), max_length=20, choices=Topic.choices)
    written_on = models.DateField(_("成文日期"))
    issued_on = models.DateField(_("发布日期"))
    effective_on = models.DateField(_("施行日期"), null=True, blank=True)
    validity = models.CharField(_("有效性"), max_length=10, choices=Validity.choices, default=Validity.VALID)
    superseded_by = models.ForeignKey(
        "self", verbose_name=_("修订或废止本文件的文件"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="supersedes",
        help_text=_("有效性为“已修订”或“已废止”时，选择修订或废止本文件的新文件；新文件页面会显示它替代了本文件"),
    )
    summary = models.TextField(_("摘要"), max_length=500, blank=True, help_text=_("列表和 Description 元数据使用"))
    body = RichTextField(_("正文"))
    attachments = models.ManyToManyField(
        "media.Attachment", verbose_name=_("附件（原件 PDF/OFD 等）"), blank=True, related_name="+"
    )

    objects = PolicyDocumentQuerySet.as_manager()

    public_renderer = "apps.policies.views.render_document"

    class Meta(EditorialModel.Meta):
        verbose_name = _("政策文件")
        verbose_name_plural = _("政策文件")
        ordering = ["-issued_on", "-pk"]
        indexes = [
            *EditorialModel.Meta.indexes,
            models.Index(fields=["visibility", "-issued_on", "-id"], name="policies_public_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(superseded_by__isnull=True) | Q(validity__in=[v.value for v in SUPERSEDED]),
                name="policies_superseded_only_when_amended_or_repealed",
                violation_error_message=_("只有“已修订”或“已废止”的文件才能填写修订或废止它的文件。"),
            ),
            models.CheckConstraint(
                condition=~Q(superseded_by=models.F("pk")),
                name="policies_not_superseded_by_itself",
                violation_error_message=_("文件不能修订或废止它自己。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.document_number}）" if self.document_number else self.title

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.superseded_by_id and self.validity not in SUPERSEDED:
            errors["superseded_by"] = _("只有“已修订”或“已废止”的文件才能填写修订或废止它的文件。")
        if self.superseded_by_id and self.pk and self.superseded_by_id == self.pk:
            errors["superseded_by"] = _("文件不能修订或废止它自己。")
        if self.effective_on and self.written_on and self.effective_on < self.written_on:
            errors["effective_on"] = _("施行日期不能早于成文日期。")
        if self.issued_on and self.written_on and self.issued_on < self.written_on:
            errors["issued_on"] = _("发布日期不能早于成文日期。")
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return reverse("policies:detail", kwargs={"pk": self.pk})

    @property
    def is_superseded(self) -> bool:
        return self.validity in SUPERSEDED

    @property
    def is_in_force(self) -> bool:
        return self.validity == Validity.VALID

    @classmethod
    def editorial_columns(cls):
        last = cls.objects.published().aggregate(last=models.Max("public_updated_at"))["last"]
        return [(str(_("政策文件")), last)]


class InterpretationKind(models.TextChoices):
    TEXT = "text", _("文字解读")
    GRAPHIC = "graphic", _("图解")
    VIDEO = "video", _("视频解读")


class PolicyInterpretationQuerySet(EditorialQuerySet):
    def newest_first(self):
        return self.order_by("-first_published_at", "-pk")


class PolicyInterpretation(EditorialModel):
    """解读: text, a graphic (图解: ordered images) or a video, of one document."""

    title = models.CharField(_("标题"), max_length=200)
    document = models.ForeignKey(
        PolicyDocument, verbose_name=_("解读的文件"), on_delete=models.PROTECT, related_name="interpretations"
    )
    kind = models.CharField(_("解读形式"), max_length=10, choices=InterpretationKind.choices, default=InterpretationKind.TEXT)
    interpreter = models.CharField(_("解读机关"), max_length=100, help_text=_("ContentSource；一般为起草部门"))
    summary = models.TextField(_("摘要"), max_length=500, blank=True)
    body = RichTextField(_("解读内容"), blank=True)
    video = models.ForeignKey(Video, verbose_name=_("视频"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = PolicyInterpretationQuerySet.as_manager()

    public_renderer = "apps.policies.views.render_interpretation"
    editorial_children = ("images",)

    class Meta(EditorialModel.Meta):
        verbose_name = _("政策解读")
        verbose_name_plural = _("政策解读")
        ordering = ["-first_published_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.kind == InterpretationKind.VIDEO and not self.video_id:
            raise ValidationError({"video": _("视频解读须选择视频。")})
        if self.kind == InterpretationKind.TEXT and not strip_tags(self.body or "").strip():
            raise ValidationError({"body": _("文字解读须填写解读内容。")})

    def get_absolute_url(self) -> str:
        return reverse("policies:interpretation", kwargs={"pk": self.pk})

    @classmethod
    def editorial_columns(cls):
        last = cls.objects.published().aggregate(last=models.Max("public_updated_at"))["last"]
        return [(str(_("政策解读")), last)]

    def submission_problems(self) -> list[str]:
        """Images without alt text or not processed, a video not processed: refused."""
        from apps.editorial.snapshots import latest_ids
        from apps.media.checks import image_problems, video_problems

        images = latest_ids(self, children=[("images", "image_id")])
        problems = image_problems(images) + video_problems(latest_ids(self, fields=["video_id"]))
        snapshot = self.latest_revision.snapshot if self.latest_revision_id else None
        kind = snapshot.get("fields", {}).get("kind", self.kind) if snapshot else self.kind
        if kind == InterpretationKind.GRAPHIC and not images:
            problems.append(str(_("图解须至少有一张图片。")))
        return problems


class InterpretationImage(OrderedImage):
    """One picture of a graphic interpretation (图解), in order."""

    interpretation = models.ForeignKey(
        PolicyInterpretation, verbose_name=_("政策解读"), on_delete=models.CASCADE, related_name="images"
    )

    class Meta(OrderedImage.Meta):
        verbose_name = _("图解图片")
        verbose_name_plural = _("图解图片")
