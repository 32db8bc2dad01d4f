"""Press releases (新闻稿), published through the editorial workflow.

The row is the public version once published; drafts live in revisions (see
apps.editorial). The URL is /news/<year>/<month>/<id>/ from the creation date,
so editing the title never breaks a link.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy

from apps.core.fields import RichTextField
from apps.editorial.models import EditorialModel, EditorialQuerySet
from apps.media.models import Image, OrderedImage, Video


class PressReleaseQuerySet(EditorialQuerySet):
    def newest_first(self):
        return self.order_by("-first_published_at", "-pk")

    def in_cluster(self, cluster):
        """An EXISTS on the through table: no join that could repeat a row."""
        from django.db.models import Exists, OuterRef

        through = PressRelease.clusters.through
        return self.filter(Exists(through.objects.filter(pressrelease_id=OuterRef("pk"), industrycluster=cluster)))

    def in_year(self, year: int):
        return self.filter(first_published_at__year=year)

    def for_list(self):
        """What a list or card needs (the cover's square crops), in a constant number of queries."""
        from django.db.models import Prefetch

        from apps.media.models import Rendition

        crops = Rendition.objects.filter(kind=Rendition.Kind.CROP).only(
            "image_id", "kind", "size", "format", "width", "height", "file"
        )
        return self.select_related("cover_image").defer("body").prefetch_related(
            Prefetch("cover_image__renditions", queryset=crops)
        )

    def list_rows(self):
        """Only the columns a list row shows (title, dates, source, summary, the cover's
        alt text, status and size), in one query; the cover's renditions are read with
        ``apps.media.templatetags.media_tags.attach_renditions``."""
        return self.select_related("cover_image").only(
            "pk", "title", "summary", "source", "created_at", "first_published_at", "cover_image", "media_text",
            "cover_image__alt_text", "cover_image__status", "cover_image__width", "cover_image__height",
        )

    def related_to(self, release, clusters):
        """Others sharing a cluster, newest first. A semi-join, not DISTINCT over whole
        rows, so PostgreSQL walks the public-order index and stops at the limit."""
        through = PressRelease.clusters.through
        sharing = through.objects.filter(industrycluster__in=clusters).values("pressrelease_id")
        return self.filter(pk__in=sharing).exclude(pk=release.pk).newest_first()


class PressRelease(EditorialModel):
    title = models.CharField(gettext_lazy("标题"), max_length=200)
    subtitle = models.CharField(gettext_lazy("副标题"), max_length=200, blank=True)
    summary = models.TextField(
        gettext_lazy("摘要"), max_length=500, blank=True,
        help_text=gettext_lazy("列表、订阅源和 Description 元数据使用；不超过 500 字"),
    )
    body = RichTextField(gettext_lazy("正文"))
    cover_image = models.ForeignKey(
        Image, verbose_name=gettext_lazy("封面图片"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    videos = models.ManyToManyField(Video, verbose_name=gettext_lazy("视频"), blank=True, related_name="+")
    attachments = models.ManyToManyField(
        "media.Attachment", verbose_name=gettext_lazy("附件"), blank=True, related_name="+"
    )
    source = models.CharField(
        gettext_lazy("来源"), max_length=100, blank=True, help_text=gettext_lazy("ContentSource；留空时为主办单位")
    )
    authors = models.CharField(gettext_lazy("作者"), max_length=200, blank=True, help_text=gettext_lazy("多位作者用顿号分隔"))
    responsible_editor = models.CharField(
        gettext_lazy("责任编辑"), max_length=50, help_text=gettext_lazy("在稿件末尾公开显示")
    )
    clusters = models.ManyToManyField(
        "core.IndustryCluster", verbose_name=gettext_lazy("相关产业"), blank=True, related_name="press_releases"
    )
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name=gettext_lazy("相关企业"), blank=True, related_name="press_releases",
        help_text=gettext_lazy("企业名录中的企业页面会列出提到它的新闻稿"),
    )
    keywords = models.CharField(gettext_lazy("关键词"), max_length=200, blank=True, help_text=gettext_lazy("用逗号分隔"))

    objects = PressReleaseQuerySet.as_manager()

    public_renderer = "apps.news.views.render_release"
    editorial_children = ("gallery_items",)

    class Meta(EditorialModel.Meta):
        verbose_name = gettext_lazy("新闻稿")
        verbose_name_plural = gettext_lazy("新闻稿")
        ordering = ["-first_published_at", "-pk"]
        indexes = [
            *EditorialModel.Meta.indexes,
            models.Index(fields=["visibility", "-first_published_at", "-id"], name="news_public_order_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def editorial_columns(cls):
        """The newsroom is one public column (工作动态) for the dashboard's staleness
        warning: its last public update, None if nothing was ever published (one query)."""
        last = cls.objects.published().aggregate(last=models.Max("public_updated_at"))["last"]
        return [(str(gettext_lazy("新闻动态")), last)]

    def get_absolute_url(self) -> str:
        # created_at is set once, at the first save: the URL never changes.
        from django.utils import timezone

        created = timezone.localtime(self.created_at) if self.created_at else timezone.localtime()
        return reverse("news:detail", kwargs={"year": created.year, "month": f"{created.month:02d}", "pk": self.pk})

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.replace("，", ",").split(",") if k.strip()]

    def submission_problems(self) -> list[str]:
        """Refuse review while an image lacks alt text, or media are processing or failed.

        Reads the latest draft (its revision snapshot), which is what is being
        submitted; the row may still be the published version.
        """
        from apps.editorial.snapshots import latest_ids
        from apps.media.checks import image_problems, video_problems

        images = latest_ids(self, fields=["cover_image_id"], children=[("gallery_items", "image_id")])
        return image_problems(images) + video_problems(latest_ids(self, m2m=["videos"]))

class GalleryItem(OrderedImage):
    """One picture of a release's gallery (组图), in order, with its own caption."""

    release = models.ForeignKey(
        PressRelease, verbose_name=gettext_lazy("新闻稿"), on_delete=models.CASCADE, related_name="gallery_items"
    )

    class Meta(OrderedImage.Meta):
        verbose_name = gettext_lazy("组图图片")
        verbose_name_plural = gettext_lazy("组图")
