"""The service catalogue (办事指南): groups, services, their materials and typed attributes.

``Service`` is editorial content: the row is the public version once published,
and its materials and attribute definitions are child rows kept in every revision
(``editorial_children``). Groups are reference data (like industry clusters).
The service ``code`` is stable: the Open311 API and request rows refer to it.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.editorial.models import EditorialModel, EditorialQuerySet

code_validator = RegexValidator(r"^[a-z0-9][a-z0-9_-]*$", _("编码只能包含小写字母、数字、下划线和连字符。"))


class ServiceGroup(models.Model):
    code = models.SlugField(_("编码"), max_length=50, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("事项分组")
        verbose_name_plural = _("事项分组")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class ServiceQuerySet(EditorialQuerySet):
    def in_guide_order(self):
        return self.order_by("group__position", "group_id", "position", "pk")

    def open_online(self):
        """Published services that accept online requests (what a request may name)."""
        return self.published().filter(online=True)


class Service(EditorialModel):
    code = models.CharField(
        _("事项编码"), max_length=50, unique=True, validators=[code_validator],
        help_text=_("稳定的编码，开放接口（Open311 service_code）使用，发布后不要修改"),
    )
    name = models.CharField(_("事项名称"), max_length=200)
    group = models.ForeignKey(ServiceGroup, verbose_name=_("分组"), on_delete=models.PROTECT, related_name="services")
    position = models.PositiveSmallIntegerField(_("组内顺序"), default=0)
    description = models.TextField(_("事项说明"))
    legal_basis = models.TextField(_("设定依据"), blank=True)
    eligibility = models.TextField(_("申请条件"), blank=True, help_text=_("哪些企业可以申请"))
    department = models.CharField(_("责任部门"), max_length=100, help_text=_("与服务专员账号的“所在部门”一致"))
    deadline_days = models.PositiveSmallIntegerField(_("承诺时限（工作日）"), default=5)
    fees = models.CharField(_("收费标准"), max_length=200, default="免费")
    # The remaining key elements of a service guide (办事指南要素) that the national
    # checklist requires; apps.inspection reports guides where any is blank.
    venue = models.CharField(_("办理地点"), max_length=200, blank=True)
    office_hours = models.CharField(_("办理时间"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    procedure = models.TextField(_("办理流程"), blank=True)
    online = models.BooleanField(_("可在线办理"), default=True)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)

    objects = ServiceQuerySet.as_manager()

    public_renderer = "apps.services.views.guide.render_service"
    editorial_children = ("materials", "attribute_definitions")

    class Meta(EditorialModel.Meta):
        verbose_name = _("办事事项")
        verbose_name_plural = _("办事事项")
        ordering = ["group__position", "position", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("services:guide_detail", kwargs={"code": self.code})


class ServiceMaterial(models.Model):
    """A material (申请材料) the applicant uploads."""

    service = models.ForeignKey(Service, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="materials")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    name = models.CharField(_("材料名称"), max_length=200)
    required = models.BooleanField(_("必须提交"), default=True)
    file_types = models.CharField(_("接受的文件类型"), max_length=100, default="PDF、OFD、图片")
    template = models.ForeignKey(
        "media.Attachment", verbose_name=_("样表"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class AttributeType(models.TextChoices):
    """Open311 datatypes: string, text, number, datetime, singlevaluelist, multivaluelist."""

    TEXT = "text", _("单行文本")
    LONG_TEXT = "long_text", _("多行文本")
    NUMBER = "number", _("数字")
    DATE = "date", _("日期")
    SINGLE = "single", _("单选")
    MULTIPLE = "multiple", _("多选")
    YES_NO = "yes_no", _("是/否")
    FILE = "file", _("文件")


class AttributeDefinition(models.Model):
    """A typed field of a service's request form (Open311 ``attribute``)."""

    service = models.ForeignKey(
        Service, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="attribute_definitions"
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    code = models.CharField(_("字段编码"), max_length=50, validators=[code_validator])
    label = models.CharField(_("字段名称"), max_length=100)
    datatype = models.CharField(_("类型"), max_length=10, choices=AttributeType.choices, default=AttributeType.TEXT)
    required = models.BooleanField(_("必填"), default=False)
    help_text = models.CharField(_("填写说明"), max_length=300, blank=True)
    choices = models.TextField(_("选项"), blank=True, help_text=_("单选、多选时填写，每行一个选项"))

    class Meta:
        verbose_name = _("表单字段")
        verbose_name_plural = _("表单字段")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="services_attribute_code_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]
