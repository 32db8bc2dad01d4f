"""The enterprise directory (企业名录) and innovation platforms (平台载体).

Both ``Enterprise`` and ``Platform`` are editorial items: the row is the
public version once published, drafts live in revisions, and every write
goes through :mod:`apps.enterprises.actions` (which compute the pinyin sort
key and normalise the credit code: ``save()`` stays dumb).

Field lengths and types match the import's columns (:mod:`.columns`): a
value that passes the import's rules always fits the column.
"""

import datetime as dt

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core import credit_code as cc
from apps.core.models import IndustryCluster, TimeStampedModel
from apps.core.urls_safety import validate_safe_url
from apps.editorial.models import EditorialModel, EditorialQuerySet
from apps.media.models import OrderedImage

from .collation import KEY_MAX_LENGTH
from .columns import COLUMNS, PLATFORM_COLUMNS, display
from .headcount import HEADCOUNT_BANDS

# --- reference lists ---------------------------------------------------------------


class QualificationKind(TimeStampedModel):
    """A kind of enterprise qualification (资质): an editable list."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    aliases = models.CharField(
        _("其他写法"), max_length=200, blank=True,
        help_text=_("导入表格时也认作此资质的写法，用顿号“、”分隔，例如：高企、国高"),
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("资质类型")
        verbose_name_plural = _("资质类型")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name

    def alias_list(self) -> list[str]:
        return [a.strip() for a in self.aliases.replace(",", "、").replace("，", "、").split("、") if a.strip()]


class PlatformKind(TimeStampedModel):
    """A kind of innovation platform (博士后科研工作站, 孵化器 …): an editable list."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("平台类型")
        verbose_name_plural = _("平台类型")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


# --- enterprises --------------------------------------------------------------------


class CreditCodeModelField(models.CharField):
    """A unified social credit code: normalised when cleaned (full-width, lower
    case, spaces), then validated; the admin form uses the core form field."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 18)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return cc.normalize(value) if value else value

    def formfield(self, **kwargs):
        kwargs.setdefault("form_class", cc.CreditCodeField)
        kwargs.setdefault("max_length", None)
        return super().formfield(**kwargs)


class DirectoryStatus(models.TextChoices):
    LISTED = "listed", _("在册（公开）")
    NOT_LISTED = "not_listed", _("不公开")
    MOVED_OUT = "moved_out", _("已迁出")


HEADCOUNT_CHOICES = [(band.key, band.label) for band in HEADCOUNT_BANDS]


class EnterpriseQuerySet(EditorialQuerySet):
    def listed(self):
        """The public directory: published and listed."""
        return self.published().filter(directory_status=DirectoryStatus.LISTED)

    def shown_in_detail(self):
        """Detail pages: viewable, and not hidden from the directory."""
        return self.exclude(directory_status=DirectoryStatus.NOT_LISTED)

    def in_directory_order(self):
        return self.order_by("sort_key", "name", "pk")

    def matching(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(short_name__icontains=text) | Q(credit_code=cc.normalize(text)))

    def with_valid_qualifications(self, on: dt.date | None = None):
        """Prefetch each enterprise's qualifications valid on a day, as ``valid_qualifications``."""
        return self.prefetch_related(
            Prefetch(
                "qualifications",
                queryset=Qualification.objects.valid_on(on).select_related("kind").order_by("kind__position", "kind_id"),
                to_attr="valid_qualifications",
            )
        )


class Enterprise(EditorialModel):
    """An enterprise of the park's directory."""

    name = models.CharField(_("企业名称"), max_length=200, help_text=_("与营业执照一致"))
    short_name = models.CharField(_("企业简称"), max_length=50, blank=True)
    credit_code = CreditCodeModelField(
        _("统一社会信用代码"), unique=True, validators=[cc.CreditCodeValidator(strict=True)],
        help_text=_("18位，GB 32100-2015；全角、小写和空格会自动规范"),
    )
    cluster = models.ForeignKey(
        "core.IndustryCluster", verbose_name=_("所属产业"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="enterprises",
    )
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    registered_capital = models.DecimalField(
        _("注册资本（万元）"), max_digits=16, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    headcount = models.CharField(_("从业人数"), max_length=10, choices=HEADCOUNT_CHOICES, blank=True)
    address = models.CharField(_("地址"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("纬度"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("GCJ-02 坐标（国内地图使用的坐标系）"),
    )
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    website = models.URLField(_("网站"), max_length=200, blank=True, validators=[validate_safe_url])
    phone = models.CharField(_("联系电话"), max_length=50, blank=True, help_text=_("对外公开的电话"))
    description = models.TextField(_("企业简介"), max_length=4000, blank=True)
    main_products = models.TextField(_("主要产品"), max_length=1000, blank=True)
    logo = models.ForeignKey(
        "media.Image", verbose_name=_("企业标志"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text=_("先在“媒体资源”中上传；提交审核前须有替代文本并已处理完成"),
    )
    is_representative = models.BooleanField(
        _("产业代表性企业"), default=False, help_text=_("在所属产业的介绍中重点展示")
    )
    is_key_project = models.BooleanField(
        _("重点项目企业"), default=False, help_text=_("重点项目和重大招商企业配备专门的服务专员（“妈妈式”服务）")
    )
    service_liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("服务专员"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="liaison_enterprises", limit_choices_to={"is_staff": True},
    )
    directory_status = models.CharField(
        _("名录状态"), max_length=20, choices=DirectoryStatus.choices, default=DirectoryStatus.LISTED,
    )
    sort_key = models.CharField(_("拼音排序键"), max_length=KEY_MAX_LENGTH, blank=True, editable=False)

    objects = EnterpriseQuerySet.as_manager()

    public_renderer = "apps.enterprises.views.render_enterprise"
    editorial_children = ("qualifications", "photos")

    class Meta(EditorialModel.Meta):
        verbose_name = _("企业")
        verbose_name_plural = _("企业名录")
        ordering = ["sort_key", "name", "pk"]
        indexes = [*EditorialModel.Meta.indexes, models.Index(fields=["sort_key", "name", "id"], name="enterprise_directory_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_key_project=False) | Q(service_liaison__isnull=False),
                name="enterprise_key_project_has_liaison",
                violation_error_message=_("重点项目企业须指定服务专员。"),
            ),
        ]
        permissions = [
            ("import_enterprise", _("可以批量导入企业名录")),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:detail", kwargs={"pk": self.pk})

    def can_be_edited_by(self, user) -> bool | None:
        """Enterprise users may propose edits to their own entry; otherwise the permission decides."""
        if not user.is_active or user.is_staff:
            return None
        membership = getattr(user, "enterprise_membership", None)
        if membership is not None and membership.enterprise_id == self.pk:
            return True
        return None

    def submission_problems(self) -> list[str]:
        problems = []
        if self.is_key_project and not self.service_liaison_id:
            problems.append(str(_("重点项目企业须指定服务专员")))
        return problems + _image_problems(self, ["logo_id"])

    @classmethod
    def batch_preview_changes(cls, snapshots: list[dict]) -> list[list[dict]]:
        """A review batch's diff of new enterprises, from their snapshots (see ``ReviewBatch.diff_rows``)."""
        names = {
            "cluster": dict(IndustryCluster.objects.values_list("pk", "name")),
            "qualifications": dict(QualificationKind.objects.values_list("pk", "name")),
        }
        return _preview_changes(cls, COLUMNS, snapshots, names)

    def image_ids(self) -> list[int]:
        """The logo and the photos, for one renditions prefetch."""
        return [pk for pk in [self.logo_id, *(p.image_id for p in self.photos.all())] if pk]


def _preview_changes(model, columns, snapshots: list[dict], names: dict) -> list[list[dict]]:
    """Each new item's non-empty columns as the import's preview shows them, read
    from its revision's snapshot (a review batch stores no copy of them)."""
    result = []
    for snapshot in snapshots:
        fields, children = (snapshot or {}).get("fields", {}), (snapshot or {}).get("children", {})
        changes = []
        for column in columns:
            if column.attname is None:  # qualifications: the child rows' kinds
                value = tuple(row["kind_id"] for row in children.get(column.key, [])) or None
            else:
                raw = fields.get(column.attname)
                value = None if raw in (None, "") else model._meta.get_field(column.attname).to_python(raw)
            if value is not None:
                changes.append({"field": column.header, "old": "", "new": display(column.key, value, names)})
        result.append(changes)
    return result


def _image_problems(item, field_attnames: list[str]) -> list[str]:
    """Submission problems of the images the latest version (the draft being
    submitted, read from its snapshot) shows: its image fields and photos."""
    from apps.editorial.snapshots import latest_ids
    from apps.media.checks import image_problems

    return image_problems(latest_ids(item, fields=field_attnames, children=[("photos", "image_id")]))

class EnterprisePhoto(OrderedImage):
    """A photo of an enterprise; part of every revision of the enterprise."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="photos"
    )

    class Meta(OrderedImage.Meta):
        verbose_name = _("企业图片")
        verbose_name_plural = _("企业图片")


class QualificationQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date | None = None):
        """Qualifications in force on ``day`` (default: today in Beijing time)."""
        from django.utils import timezone

        day = day or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        )


class Qualification(models.Model):
    """One qualification of an enterprise; part of every revision of the enterprise."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="qualifications"
    )
    kind = models.ForeignKey(QualificationKind, verbose_name=_("资质类型"), on_delete=models.PROTECT, related_name="+")
    certificate_number = models.CharField(_("证书编号"), max_length=100, blank=True)
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)

    objects = QualificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业资质")
        verbose_name_plural = _("企业资质")
        ordering = ["kind__position", "kind_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="qualification_valid_until_after_from",
                violation_error_message=_("有效期至不能早于有效期起。"),
            ),
        ]

    def __str__(self) -> str:
        return self.kind.name if self.kind_id else ""


class EnterpriseMembership(TimeStampedModel):
    """Links an enterprise user's account to the one enterprise it speaks for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("企业用户"), on_delete=models.CASCADE,
        related_name="enterprise_membership", limit_choices_to={"is_staff": False},
    )
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="memberships")

    class Meta:
        verbose_name = _("企业账号关联")
        verbose_name_plural = _("企业账号关联")

    def __str__(self) -> str:
        return f"{self.user} → {self.enterprise}"


# --- platforms ----------------------------------------------------------------------


class PlatformLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    REGIONAL = "regional", _("自治区级")
    MUNICIPAL = "municipal", _("市级")


class PlatformQuerySet(EditorialQuerySet):
    def in_directory_order(self):
        return self.order_by("sort_key", "name", "pk")


class Platform(EditorialModel):
    """An innovation platform (平台载体): a workstation, incubator, industrial park …"""

    name = models.CharField(_("平台名称"), max_length=200, unique=True)
    kind = models.ForeignKey(PlatformKind, verbose_name=_("平台类型"), on_delete=models.PROTECT, related_name="platforms")
    level = models.CharField(_("级别"), max_length=20, choices=PlatformLevel.choices, blank=True)
    host = models.ForeignKey(
        Enterprise, verbose_name=_("依托企业"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="platforms",
    )
    established_on = models.DateField(_("认定或成立日期"), null=True, blank=True)
    address = models.CharField(_("地址"), max_length=255, blank=True)
    website = models.URLField(_("网站"), max_length=200, blank=True, validators=[validate_safe_url])
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    description = models.TextField(_("简介"), max_length=4000, blank=True)
    sort_key = models.CharField(_("拼音排序键"), max_length=KEY_MAX_LENGTH, blank=True, editable=False)

    objects = PlatformQuerySet.as_manager()

    public_renderer = "apps.enterprises.views.render_platform"
    editorial_children = ("photos",)

    class Meta(EditorialModel.Meta):
        verbose_name = _("平台载体")
        verbose_name_plural = _("平台载体")
        ordering = ["sort_key", "name", "pk"]
        indexes = [*EditorialModel.Meta.indexes, models.Index(fields=["sort_key", "name", "id"], name="platform_directory_order")]
        permissions = [
            ("import_platform", _("可以批量导入平台载体")),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:platform_detail", kwargs={"pk": self.pk})

    @classmethod
    def batch_preview_changes(cls, snapshots: list[dict]) -> list[list[dict]]:
        """A review batch's diff of new platforms, from their snapshots (see ``ReviewBatch.diff_rows``)."""
        hosts = {(snapshot or {}).get("fields", {}).get("host_id") for snapshot in snapshots} - {None}
        names = {
            "kind": dict(PlatformKind.objects.values_list("pk", "name")),
            "host": dict(Enterprise._base_manager.filter(pk__in=hosts).values_list("pk", "name")),
        }
        return _preview_changes(cls, PLATFORM_COLUMNS, snapshots, names)

    def submission_problems(self) -> list[str]:
        return _image_problems(self, [])


class PlatformPhoto(OrderedImage):
    """A photo of a platform; part of every revision of the platform."""

    platform = models.ForeignKey(Platform, verbose_name=_("平台载体"), on_delete=models.CASCADE, related_name="photos")

    class Meta(OrderedImage.Meta):
        verbose_name = _("平台图片")
        verbose_name_plural = _("平台图片")


# --- spreadsheet imports ------------------------------------------------------------


class ImportTarget(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业名录")
    PLATFORM = "platform", _("平台载体")


class ImportEncoding(models.TextChoices):
    AUTO = "auto", _("自动检测")
    UTF8 = "utf-8", _("UTF-8（含带 BOM 的 UTF-8）")
    GBK = "gbk", _("GBK（Excel / WPS 中文版默认的 CSV）")
    GB18030 = "gb18030", _("GB18030")


class ImportStatus(models.TextChoices):
    ANALYSING = "analysing", _("正在检查")
    PREVIEWED = "previewed", _("待确认")
    APPLYING = "applying", _("正在写入")
    DONE = "done", _("已提交审核")
    NOTHING_TO_DO = "nothing", _("无变化")
    FAILED = "failed", _("失败")
    CANCELLED = "cancelled", _("已取消")


class ImportJobQuerySet(models.QuerySet):
    def running(self):
        return self.filter(status__in=[ImportStatus.ANALYSING, ImportStatus.APPLYING])


class ImportJob(models.Model):
    """One uploaded spreadsheet and what became of it: the import history.

    The file's bytes are kept in the row, so a Celery worker on another host
    reads exactly what was uploaded, and the database (not the broker) is the
    record of what still needs doing.
    """

    target = models.CharField(_("导入对象"), max_length=20, choices=ImportTarget.choices)
    filename = models.CharField(_("文件名"), max_length=255)
    data = models.BinaryField(_("文件内容"), editable=False)
    size = models.PositiveIntegerField(_("文件大小（字节）"), default=0)
    encoding = models.CharField(_("文件编码"), max_length=20, choices=ImportEncoding.choices, default=ImportEncoding.AUTO)
    detected_encoding = models.CharField(_("识别的编码"), max_length=20, blank=True)
    file_format = models.CharField(_("格式"), max_length=10, blank=True)
    row_count = models.PositiveIntegerField(_("数据行数"), default=0)
    status = models.CharField(_("状态"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.ANALYSING)
    counts = models.JSONField(_("统计"), default=dict, blank=True)
    preview = models.JSONField(_("预览"), default=list, blank=True, help_text=_("每行的结果（新增、更新、未变化、错误）"))
    errors = models.JSONField(_("错误"), default=list, blank=True)
    warnings = models.JSONField(_("提示"), default=list, blank=True)
    plan = models.JSONField(
        _("待写入的行"), default=dict, blank=True, editable=False, encoder=DjangoJSONEncoder,
        help_text=_("预览认可的行，确认时若名录未变则直接写入"),
    )
    error = models.TextField(_("失败原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("确认人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    revisions_created = models.PositiveIntegerField(_("生成的草稿版本"), default=0)
    purged_at = models.DateTimeField(_("文件删除时间"), null=True, blank=True, editable=False)
    batch = models.ForeignKey(
        "editorial.ReviewBatch", verbose_name=_("审核批次"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename}（{self.created_at:%Y-%m-%d %H:%M}）" if self.created_at else self.filename

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.ANALYSING, ImportStatus.APPLYING)
