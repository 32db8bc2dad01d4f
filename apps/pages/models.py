from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.fields import RichTextField
from apps.core.models import ColumnType
from apps.core.urls_safety import validate_safe_url
from apps.editorial.models import EditorialModel, EditorialQuerySet


class PageQuerySet(EditorialQuerySet):
    def in_menu_order(self):
        return self.order_by("position", "pk")


class Page(EditorialModel):
    """A column page (栏目页): overview, functions, leaders, policy documents, services …"""

    title = models.CharField(_("标题"), max_length=200)
    slug = models.SlugField(
        _("网址标识"), max_length=100, unique=True,
        help_text=_("页面网址的一部分，只能使用小写字母、数字和连字符，发布后请勿修改"),
    )
    column_type = models.CharField(_("栏目类型"), max_length=20, choices=ColumnType.choices, default=ColumnType.OVERVIEW)
    summary = models.TextField(_("栏目描述"), blank=True, help_text=_("用于 ColumnDescription 元数据和列表摘要"))
    keywords = models.CharField(_("关键词"), max_length=200, blank=True, help_text=_("用逗号分隔"))
    body = RichTextField(_("正文"), blank=True)
    content_source = models.CharField(_("信息来源"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级页面"), on_delete=models.PROTECT, null=True, blank=True, related_name="subpages"
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    clusters = models.ManyToManyField(
        "core.IndustryCluster", verbose_name=_("相关产业"), blank=True, related_name="pages"
    )

    objects = PageQuerySet.as_manager()

    public_renderer = "apps.pages.views.render_page"
    editorial_children = ("links",)

    class Meta(EditorialModel.Meta):
        verbose_name = _("栏目页面")
        verbose_name_plural = _("栏目页面")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pages:detail", kwargs={"slug": self.slug})

    def parent_cycle_problem(self) -> str:
        """A Chinese reason when the parent is this page or one of its descendants."""
        if not self.parent_id or self.pk is None:
            return ""
        seen = set()
        ancestor_id = self.parent_id
        while ancestor_id is not None and ancestor_id not in seen:
            if ancestor_id == self.pk:
                return str(_("上级页面不能是本页面或本页面的下级页面，请另选上级页面。"))
            seen.add(ancestor_id)
            ancestor_id = type(self)._base_manager.filter(pk=ancestor_id).values_list("parent_id", flat=True).first()
        return ""

    def clean(self):
        super().clean()
        problem = self.parent_cycle_problem()
        if problem:
            raise ValidationError({"parent": problem})

    @classmethod
    def editorial_columns(cls):
        """Each column type in use (any page not archived), with the last public update
        of its published pages: None for a column that has never had one (one query)."""
        from django.db.models import Max, Q

        from apps.editorial.models import Status

        labels = dict(ColumnType.choices)
        rows = (
            cls._base_manager.exclude(status=Status.ARCHIVED).values("column_type")
            .annotate(last=Max("public_updated_at", filter=Q(pk__in=cls.objects.published().values("pk"))))
            .order_by("column_type")
        )
        return [(str(labels.get(r["column_type"], r["column_type"])), r["last"]) for r in rows]


class PageLink(models.Model):
    """An ordered related link (相关链接) of a page; part of every revision."""

    page = models.ForeignKey(Page, verbose_name=_("页面"), on_delete=models.CASCADE, related_name="links")
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    title = models.CharField(_("链接标题"), max_length=200)
    url = models.CharField(
        _("链接地址"), max_length=500, validators=[validate_safe_url],
        help_text=_("站内路径（以 / 开头）或 https:// 网址"),
    )

    class Meta:
        verbose_name = _("相关链接")
        verbose_name_plural = _("相关链接")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title
