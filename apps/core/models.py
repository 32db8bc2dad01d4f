from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .action_labels import action_label
from .urls_safety import validate_safe_url


class TimeStampedModel(models.Model):
    """Who made a row and who last changed it, and when.

    Authorship uses PROTECT / SET_NULL, never CASCADE: deleting a user must
    not delete what they wrote. created_by is empty only for rows that the
    system itself made (data migrations).
    """

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True

    def stamp(self, by) -> None:
        """Record the acting user on the row; callers save afterwards."""
        if self._state.adding and self.created_by_id is None:
            self.created_by = by
        self.updated_by = by


class ColumnType(models.TextChoices):
    """Column types of the government-website norms (政府网站发展指引)."""

    HOME = "首页", _("首页")
    OVERVIEW = "概况信息", _("概况信息")
    FUNCTIONS = "机构职能", _("机构职能")
    LEADERS = "负责人信息", _("负责人信息")
    NEWS = "工作动态", _("工作动态")
    DISCLOSURE_GUIDE = "信息公开指南", _("信息公开指南")
    DISCLOSURE_RULES = "信息公开制度", _("信息公开制度")
    DISCLOSURE_CATALOGUE = "信息公开目录", _("信息公开目录")
    DISCLOSURE_REPORT = "信息公开年报", _("信息公开年报")
    POLICY = "政策文件", _("政策文件")
    POLICY_INTERPRETATION = "政策解读", _("政策解读")
    RESPONSES = "回应关切", _("回应关切")
    DATA = "数据发布", _("数据发布")
    SERVICES = "办事服务", _("办事服务")
    INTERACTION = "互动交流", _("互动交流")
    SPECIAL = "专题专栏", _("专题专栏")
    OTHER = "其他", _("其他")


class SiteSettings(TimeStampedModel):
    """The site's identity and the footer fields required by 国办发〔2017〕47号.

    A single row (pk=1); read through SiteSettings.load(), which is cached.
    """

    CACHE_KEY = "core:site-settings:v1"

    site_name = models.CharField(_("网站名称"), max_length=100)
    site_domain = models.CharField(
        _("网站域名"), max_length=200, help_text=_("例如 www.example.gov.cn，不含 https://")
    )
    site_id_code = models.CharField(
        _("政府网站标识码"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^\d{10}$", _("政府网站标识码应为10位数字。"))],
    )
    sponsor = models.CharField(_("主办单位"), max_length=100)
    organizer = models.CharField(_("承办单位"), max_length=100, blank=True)
    icp_number = models.CharField(_("ICP备案号"), max_length=50, blank=True)
    police_number = models.CharField(_("公网安备号"), max_length=60, blank=True)
    conac_url = models.URLField(
        _("党政机关标识链接"), blank=True, validators=[validate_safe_url], help_text=_("党政机关网站标识的核验页面地址")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    postcode = models.CharField(
        _("邮政编码"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", _("邮政编码应为6位数字。"))],
    )
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)

    class Meta:
        verbose_name = _("网站设置")
        verbose_name_plural = _("网站设置")

    def __str__(self) -> str:
        return self.site_name

    @classmethod
    def load(cls) -> "SiteSettings":
        """The site's settings, from the cache when possible.

        An unsaved default instance is returned before the row exists so that
        pages still render on an empty database.
        """
        found = cache.get(cls.CACHE_KEY)
        if found is None:
            found = cls.objects.filter(pk=1).first() or cls.default()
            cache.set(cls.CACHE_KEY, found, 300)
        return found

    @classmethod
    def default(cls) -> "SiteSettings":
        return cls(pk=1, site_name=str(_("高新区门户网站")), site_domain="localhost", sponsor="")

    @classmethod
    def forget_cached(cls) -> None:
        cache.delete(cls.CACHE_KEY)


class ClusterRole(models.TextChoices):
    PILLAR = "pillar", _("支柱产业")
    LEADING = "leading", _("主导产业")
    EMERGING = "emerging", _("新兴产业")


class IndustryClusterQuerySet(models.QuerySet):
    def ordered(self):
        return self.order_by("position", "pk")


class IndustryCluster(TimeStampedModel):
    """An industry cluster (产业集群) of the park, used to tag news and enterprises."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    slug = models.SlugField(_("网址标识"), max_length=50, unique=True)
    role = models.CharField(_("定位"), max_length=20, choices=ClusterRole.choices)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    description = models.TextField(_("简介"), blank=True)

    objects = IndustryClusterQuerySet.as_manager()

    class Meta:
        verbose_name = _("产业集群")
        verbose_name_plural = _("产业集群")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class AuditEntry(models.Model):
    """One attributable write: who did what to which object, and when.

    Append-only: the admin allows neither change nor delete, and rows are
    written only through apps.core.audit.audit().
    """

    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    action = models.CharField(_("操作"), max_length=80)  # indexed in Meta: no LIKE twin
    content_type = models.ForeignKey(  # audit_object_idx leads with it
        ContentType, verbose_name=_("对象类型"), on_delete=models.PROTECT, null=True, blank=True, db_index=False
    )
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=300, blank=True)
    from_state = models.CharField(_("原状态"), max_length=40, blank=True)
    to_state = models.CharField(_("新状态"), max_length=40, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-created_at"], name="audit_object_idx"),
            # A plain b-tree: db_index=True would add a varchar_pattern_ops twin on
            # PostgreSQL, which no read uses (the admin's search is a contains) and every
            # audited write maintains.
            models.Index(fields=["action"], name="audit_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        return action_label(self.action)


class WorkerHeartbeat(models.Model):
    """The last time each Celery worker ran the heartbeat task (see /healthz)."""

    hostname = models.CharField(_("主机"), max_length=200, unique=True)
    seen_at = models.DateTimeField(_("最近心跳"))

    class Meta:
        verbose_name = _("任务进程心跳")
        verbose_name_plural = _("任务进程心跳")

    def __str__(self) -> str:
        return f"{self.hostname} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"


class WorkdayOverrideQuerySet(models.QuerySet):
    def as_mapping(self) -> dict:
        return dict(self.values_list("day", "is_workday"))


class WorkdayOverride(TimeStampedModel):
    """A day that differs from the calendar package: next year's holidays and
    make-up working days (调休), entered when the State Council publishes them."""

    day = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(
        _("是否工作日"), help_text=_("勾选表示调休上班的周末；不勾选表示放假的工作日")
    )
    name = models.CharField(_("说明"), max_length=50, help_text=_("例如：2027年春节"))

    objects = WorkdayOverrideQuerySet.as_manager()

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.name}"


class OutboxMessageQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(sent_at__isnull=True)


class OutboxMessage(models.Model):
    """A task an action queued, written in the action's transaction (apps.core.outbox):
    the database, not the broker, is the record of what still has to be sent."""

    task_name = models.CharField(_("任务"), max_length=200)
    args = models.JSONField(_("位置参数"), default=list, blank=True)
    kwargs = models.JSONField(_("关键字参数"), default=dict, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("发送次数"), default=0)
    last_error = models.CharField(_("最近一次错误"), max_length=500, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("待发送任务")
        verbose_name_plural = _("待发送任务")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["created_at"], condition=models.Q(sent_at__isnull=True), name="core_outbox_pending_idx"),
            models.Index(fields=["sent_at"], condition=models.Q(sent_at__isnull=False), name="core_outbox_sent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task_name} #{self.pk}"


class ViewCount(models.Model):
    """浏览次数 of one public item, written by the flush of the cache counters
    (``apps.core.viewcounts``), never by a request."""

    content_type = models.ForeignKey(ContentType, verbose_name=_("内容类型"), on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    count = models.PositiveBigIntegerField(_("浏览次数"), default=0)

    class Meta:
        verbose_name = _("浏览次数")
        verbose_name_plural = _("浏览次数")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="core_viewcount_unique_item"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} = {self.count}"
