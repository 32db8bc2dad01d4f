"""Press releases (新闻稿), published through the editorial workflow.

The row is the public version once published; drafts live in revisions (see
apps.editorial). The URL is /news/<year>/<month>/<id>/ from the creation date,
so editing the title never breaks a link.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.fields import RichTextField
from apps.editorial.models import EditorialModel, EditorialQuerySet
from apps.media.models import Image, Status, Video


class PressReleaseQuerySet(EditorialQuerySet):
    def newest_first(self):
        return self.order_by("-first_published_at", "-pk")

    def in_cluster(self, cluster):
        return self.filter(clusters=cluster)

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
    keywords = models.CharField(gettext_lazy("关键词"), max_length=200, blank=True, help_text=gettext_lazy("用逗号分隔"))

    objects = PressReleaseQuerySet.as_manager()

    public_renderer = "apps.news.views.render_release"
    editorial_children = ("gallery_items",)

    class Meta:
        verbose_name = gettext_lazy("新闻稿")
        verbose_name_plural = gettext_lazy("新闻稿")
        ordering = ["-first_published_at", "-pk"]
        indexes = [
            models.Index(fields=["visibility", "-first_published_at", "-id"], name="news_public_order_idx"),
        ]

    def __str__(self) -> str:
        return self.title

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
        snapshot = self.latest_revision.snapshot if self.latest_revision_id else None
        if snapshot is not None:
            cover = snapshot.get("fields", {}).get("cover_image_id")
            gallery = [row.get("image_id") for row in snapshot.get("children", {}).get("gallery_items", [])]
            video_ids = snapshot.get("m2m", {}).get("videos", [])
        else:
            cover = self.cover_image_id
            gallery = list(self.gallery_items.values_list("image_id", flat=True)) if self.pk else []
            video_ids = list(self.videos.values_list("pk", flat=True)) if self.pk else []
        problems = []
        image_ids = [pk for pk in [cover, *gallery] if pk]
        for image in Image.objects.filter(pk__in=image_ids).order_by("pk"):
            name = image.title or image.original_name or f"#{image.pk}"
            if not image.alt_text.strip():
                problems.append(_("图片“%(name)s”缺少替代文本") % {"name": name})
            problems.extend(_media_status_problem(_("图片"), name, image))
        for video in Video.objects.filter(pk__in=video_ids).order_by("pk"):
            problems.extend(_media_status_problem(_("视频"), video.title or f"#{video.pk}", video))
        return problems


def _media_status_problem(kind: str, name: str, asset) -> list[str]:
    if asset.status in (Status.PENDING, Status.PROCESSING):
        return [_("%(kind)s“%(name)s”仍在处理中，请稍后再提交") % {"kind": kind, "name": name}]
    if asset.status == Status.FAILED:
        return [_("%(kind)s“%(name)s”处理失败（%(error)s），请重新处理或更换") % {
            "kind": kind, "name": name, "error": asset.error[:80]}]
    return []


class GalleryItem(models.Model):
    """One picture of a release's gallery (组图), in order, with its own caption."""

    release = models.ForeignKey(
        PressRelease, verbose_name=gettext_lazy("新闻稿"), on_delete=models.CASCADE, related_name="gallery_items"
    )
    position = models.PositiveSmallIntegerField(gettext_lazy("排序"), default=0)
    image = models.ForeignKey(Image, verbose_name=gettext_lazy("图片"), on_delete=models.PROTECT, related_name="+")
    caption = models.CharField(
        gettext_lazy("图片说明"), max_length=500, blank=True, help_text=gettext_lazy("留空时使用图片自身的说明")
    )

    class Meta:
        verbose_name = gettext_lazy("组图图片")
        verbose_name_plural = gettext_lazy("组图")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.caption or str(self.image)

    @property
    def display_caption(self) -> str:
        return self.caption or self.image.caption
