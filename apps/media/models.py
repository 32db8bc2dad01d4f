"""Media assets: images (with their public renditions), videos and document attachments.

Originals live in the private storage (``STORAGES["private"]``) and are never
served by URL. What the public sees is made by Celery workers from them:
renditions and web videos, written to the default storage under content-hashed
names. The database row, not the broker, records what is still to be done:
``status`` with ``attempts`` and ``error``, swept by ``media.sweep_stale``.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, InvalidStorageError, storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel


class _PrivateStorage(LazyObject):
    def _setup(self):
        try:
            self._wrapped = storages["private"]
        except InvalidStorageError:
            # Settings that replace STORAGES wholesale (tests) still get a private
            # place, beside MEDIA_ROOT and never under it.
            root = settings.MEDIA_ROOT
            self._wrapped = FileSystemStorage(location=f"{root}-private", base_url="/-private-/")


private_storage = _PrivateStorage()


def get_private_storage():
    return private_storage


class Status(models.TextChoices):
    PENDING = "pending", _("等待处理")
    PROCESSING = "processing", _("处理中")
    READY = "ready", _("已就绪")
    FAILED = "failed", _("处理失败")


class ProcessedQuerySet(models.QuerySet):
    def ready(self):
        return self.filter(status=Status.READY)

    def failed(self):
        return self.filter(status=Status.FAILED)

    def stale(self, *, now, time_limit):
        """Work the broker may have lost: queued long ago and never started, or
        processing by a run that stopped showing signs of life (``alive_at``, touched
        every PARKPORTAL_MEDIA_PROCESSING_HEARTBEAT while a run lasts) more than
        PARKPORTAL_MEDIA_REQUEUE_PROCESSING_GRACE ago: its worker was killed. A row
        started before runs touched it is stale well after the task's time limit."""
        pending_before = now - settings.PARKPORTAL_MEDIA_REQUEUE_PENDING_AFTER
        grace = settings.PARKPORTAL_MEDIA_REQUEUE_PROCESSING_GRACE
        return self.filter(
            Q(status=Status.PENDING, queued_at__lt=pending_before)
            | Q(status=Status.PROCESSING, alive_at__lt=now - grace)
            | Q(status=Status.PROCESSING, alive_at__isnull=True, started_at__lt=now - time_limit - grace)
        )


class ProcessedAsset(TimeStampedModel):
    """An upload that a worker turns into public files."""

    title = models.CharField(_("标题"), max_length=200, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True, editable=False)
    content_hash = models.CharField(
        _("内容哈希"), max_length=64, unique=True, editable=False,
        help_text=_("原文件的 SHA-256；再次上传同一文件时复用本条记录"),
    )
    size_bytes = models.PositiveBigIntegerField(_("文件大小（字节）"), default=0, editable=False)
    status = models.CharField(
        _("处理状态"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True, editable=False
    )
    error = models.TextField(_("处理失败原因"), blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("处理次数"), default=0, editable=False)
    queued_at = models.DateTimeField(_("排队时间"), null=True, blank=True, editable=False)
    started_at = models.DateTimeField(_("开始处理时间"), null=True, blank=True, editable=False)
    processed_at = models.DateTimeField(_("处理完成时间"), null=True, blank=True, editable=False)
    alive_at = models.DateTimeField(
        _("处理进程最近活动时间"), null=True, blank=True, editable=False,
        help_text=_("处理期间定时更新；长时间未更新说明处理进程已终止，系统会重新排队"),
    )

    objects = ProcessedQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title or self.original_name or f"#{self.pk}"

    @property
    def is_ready(self) -> bool:
        return self.status == Status.READY


def original_path(kind: str, content_hash: str, ext: str) -> str:
    return f"originals/{kind}/{content_hash[:2]}/{content_hash}.{ext}"


class Image(ProcessedAsset):
    original = models.FileField(_("原图"), storage=get_private_storage, max_length=255, editable=False)
    format = models.CharField(_("原图格式"), max_length=10, blank=True, editable=False)
    width = models.PositiveIntegerField(_("宽度"), default=0, editable=False, help_text=_("按 EXIF 方向显示时的宽度"))
    height = models.PositiveIntegerField(_("高度"), default=0, editable=False)
    alt_text = models.CharField(
        _("替代文本"), max_length=250, blank=True,
        help_text=_("向读屏软件用户描述图片内容；所属稿件提交审核前必须填写"),
    )
    caption = models.CharField(_("图片说明"), max_length=500, blank=True)
    credit = models.CharField(_("摄影 / 来源"), max_length=100, blank=True)
    copyright = models.CharField(_("版权"), max_length=200, blank=True)
    focal_x = models.FloatField(
        _("焦点横坐标"), null=True, blank=True, help_text=_("0 到 1，自左向右；裁切方图时以焦点为中心"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    focal_y = models.FloatField(
        _("焦点纵坐标"), null=True, blank=True, help_text=_("0 到 1，自上向下"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )

    # Text a published page shows: kept with each revision of the items that use the
    # image, so editing it here changes no live page before review (apps.editorial.media_text).
    REVIEWED_TEXT_FIELDS = ("title", "alt_text", "caption", "credit")

    class Meta:
        verbose_name = _("图片")
        verbose_name_plural = _("图片")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(focal_x__isnull=True) & Q(focal_y__isnull=True))
                | (
                    Q(focal_x__isnull=False, focal_y__isnull=False)
                    & Q(focal_x__gte=0, focal_x__lte=1) & Q(focal_y__gte=0, focal_y__lte=1)
                ),
                name="media_image_focal_point_in_range",
                violation_error_message=_("焦点须同时填写横坐标和纵坐标，且都在 0 到 1 之间。"),
            ),
        ]

    @property
    def focal_point(self) -> tuple[float, float] | None:
        if self.focal_x is None or self.focal_y is None:
            return None
        return (self.focal_x, self.focal_y)


class Rendition(models.Model):
    """One public file made from an image (a width or a square crop, in one format)."""

    class Kind(models.TextChoices):
        WIDTH = "width", _("宽度")
        CROP = "crop", _("方形裁切")

    image = models.ForeignKey(Image, verbose_name=_("图片"), on_delete=models.CASCADE, related_name="renditions")
    kind = models.CharField(_("类型"), max_length=5, choices=Kind.choices)
    size = models.PositiveIntegerField(_("规格"), help_text=_("宽度，或方形裁切的边长"))
    format = models.CharField(_("格式"), max_length=4)
    width = models.PositiveIntegerField(_("宽度"))
    height = models.PositiveIntegerField(_("高度"))
    file = models.FileField(_("文件"), max_length=255)
    size_bytes = models.PositiveIntegerField(_("文件大小（字节）"))

    class Meta:
        verbose_name = _("图片规格")
        verbose_name_plural = _("图片规格")
        ordering = ["image", "kind", "size", "format"]
        constraints = [
            models.UniqueConstraint(fields=["image", "kind", "size", "format"], name="media_rendition_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.image_id} {self.kind}{self.size}.{self.format}"

    @property
    def url(self) -> str:
        return self.file.url

    @property
    def content_type(self) -> str:
        return {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg"}[self.format]


class Video(ProcessedAsset):
    original = models.FileField(_("原视频"), storage=get_private_storage, max_length=255, editable=False)
    container = models.CharField(_("原视频格式"), max_length=10, blank=True, editable=False)
    duration = models.FloatField(_("时长（秒）"), null=True, blank=True, editable=False)
    width = models.PositiveIntegerField(_("宽度"), default=0, editable=False)
    height = models.PositiveIntegerField(_("高度"), default=0, editable=False)
    probe = models.JSONField(_("ffprobe 信息"), default=dict, blank=True, editable=False)
    web_file = models.FileField(_("网页视频（H.264 MP4）"), max_length=255, blank=True, editable=False)
    web_width = models.PositiveIntegerField(_("网页视频宽度"), default=0, editable=False)
    web_height = models.PositiveIntegerField(_("网页视频高度"), default=0, editable=False)
    poster = models.FileField(_("封面帧"), max_length=255, blank=True, editable=False)
    captions = models.FileField(_("字幕（WebVTT）"), max_length=255, blank=True, editable=False)
    captions_language = models.CharField(_("字幕语言"), max_length=10, default="zh-Hans")
    description = models.CharField(_("视频说明"), max_length=500, blank=True)
    credit = models.CharField(_("摄制 / 来源"), max_length=100, blank=True)
    transcript = models.TextField(
        _("文字稿"), blank=True,
        help_text=_("没有字幕文件时，有声音的视频须提供文字稿（对白和重要声音），显示在视频下方（无障碍要求）"),
    )

    REVIEWED_TEXT_FIELDS = ("title", "description", "credit", "transcript")

    @property
    def has_audio(self) -> bool:
        """Whether the upload has a sound track (from its probe)."""
        return any(s.get("codec_type") == "audio" for s in (self.probe or {}).get("streams", []))

    class Meta:
        verbose_name = _("视频")
        verbose_name_plural = _("视频")
        ordering = ["-id"]


class Attachment(TimeStampedModel):
    """A document offered for download (PDF, OFD, Word, Excel, WPS), typed by content."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        OFD = "ofd", "OFD"
        DOC = "doc", "Word 97-2003 (DOC)"
        DOCX = "docx", "Word (DOCX)"
        XLS = "xls", "Excel 97-2003 (XLS)"
        XLSX = "xlsx", "Excel (XLSX)"
        WPS = "wps", _("WPS 文字")
        ET = "et", _("WPS 表格")

    title = models.CharField(_("标题"), max_length=200)
    file = models.FileField(_("文件"), storage=get_private_storage, max_length=255, editable=False)
    kind = models.CharField(_("文件类型"), max_length=5, choices=Kind.choices, editable=False)
    size_bytes = models.PositiveBigIntegerField(_("文件大小（字节）"), editable=False)
    content_hash = models.CharField(_("内容哈希"), max_length=64, unique=True, editable=False)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True, editable=False)

    REVIEWED_TEXT_FIELDS = ("title",)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title

    CONTENT_TYPES = {
        "pdf": "application/pdf",
        "ofd": "application/ofd",
        "doc": "application/msword",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls": "application/vnd.ms-excel",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "wps": "application/vnd.ms-works",
        "et": "application/vnd.ms-excel",
    }

    @property
    def content_type(self) -> str:
        return self.CONTENT_TYPES[self.kind]

    @property
    def download_name(self) -> str:
        return f"{self.title}.{self.kind}"


class OrderedImage(models.Model):
    """Abstract: one picture of an item's ordered pictures (a gallery, an enterprise's
    photos), with its own caption. Subclasses add the foreign key to their item
    (``related_name`` listed in the item's ``editorial_children`` so every revision
    carries the rows) and their verbose names."""

    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    image = models.ForeignKey(Image, verbose_name=_("图片"), on_delete=models.PROTECT, related_name="+")
    caption = models.CharField(
        _("图片说明"), max_length=500, blank=True, help_text=_("留空时使用图片自身的说明")
    )

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.caption or str(self.image)

    @property
    def display_caption(self) -> str:
        return self.caption or self.image.caption


def in_use(asset) -> bool:
    """Whether a row of another model refers to ``asset`` (an image, video or
    attachment): a page, a gallery row, an enterprise's photos. Media that nothing
    refers to is on no public page, so remaking its files changes no page.

    Reads the reverse relations generically (hidden ones included: galleries use
    ``related_name="+"``), so apps.media never names a domain app."""
    for relation in type(asset)._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and relation.is_relation):
            continue
        if relation.related_model is Rendition:
            continue  # its own files, not a use
        if relation.related_model._default_manager.filter(**{relation.field.name: asset}).exists():
            return True
    return False
