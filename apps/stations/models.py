"""Startup-community service stations (创业社区服务站 and similar).

A station is published through the editorial workflow. Its opening hours are
ordered child rows kept in every revision (``editorial_children``): weekly
intervals (several a day, for a lunch break; one whose closing time is not after
its opening time runs past midnight), dated exceptions entered by staff
(临时闭馆, extended hours) and, for a mobile station, its dated stops. Whether a
station is open is computed at the request's moment on the official working-day
calendar: see ``apps.stations.hours``.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.editorial.models import EditorialModel, EditorialQuerySet
from apps.media.models import OrderedImage


class StationKind(models.Model):
    """An editable list: 创业社区服务站, 金融流动服务站, 人才驿站, 政务服务点 …"""

    name = models.CharField(_("名称"), max_length=30, unique=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("服务站类型")
        verbose_name_plural = _("服务站类型")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class StationService(models.Model):
    """An editable list: 创业指导, 融资对接, 社保医保, 人力资源, 政策咨询, 证照代办 …"""

    name = models.CharField(_("名称"), max_length=30, unique=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("服务事项")
        verbose_name_plural = _("服务事项")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class ServiceStationQuerySet(EditorialQuerySet):
    def offering(self, service_id):
        through = ServiceStation.services.through
        return self.filter(pk__in=through.objects.filter(stationservice_id=service_id).values("servicestation_id"))

    def of_kind(self, kind_id):
        return self.filter(kind_id=kind_id)

    def in_community(self, community: str):
        return self.filter(community=community)

    def communities(self) -> list[str]:
        return list(self.exclude(community="").order_by("community").values_list("community", flat=True).distinct())

    def with_hours(self, first_day: dt.date, last_day: dt.date):
        """Everything the opening-hours computation needs between two days (Beijing
        dates), in four queries whatever the number of stations: weekly intervals, and
        the exceptions and mobile stops dated in the window (one day before, for a
        night running past midnight)."""
        window = Q(date__gte=first_day - dt.timedelta(days=1), date__lte=last_day)
        return self.prefetch_related(
            "hours",
            Prefetch("exceptions", queryset=HoursException.objects.filter(window)),
            Prefetch("stops", queryset=MobileStop.objects.filter(window)),
        )

    def for_list(self):
        return self.select_related("kind").prefetch_related("services").order_by("kind__position", "name", "pk")


class ServiceStation(EditorialModel):
    name = models.CharField(_("名称"), max_length=100)
    kind = models.ForeignKey(StationKind, verbose_name=_("类型"), on_delete=models.PROTECT, related_name="stations")
    community = models.CharField(_("所在社区"), max_length=50, blank=True)
    address = models.CharField(_("地址"), max_length=200)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True, help_text=_("WGS-84，例如 43.870000"))
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True, help_text=_("WGS-84，例如 87.560000"))
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    staff_contact = models.CharField(_("联系人"), max_length=100, blank=True, help_text=_("例如：服务专员 王老师"))
    services = models.ManyToManyField(StationService, verbose_name=_("服务事项"), blank=True, related_name="stations")
    description = models.TextField(_("简介"), blank=True)
    step_free_access = models.BooleanField(_("无障碍通道"), default=False, help_text=_("入口和服务区域无台阶或有坡道"))
    accessible_parking = models.BooleanField(_("无障碍停车位"), default=False)
    accessibility_notes = models.TextField(_("无障碍和停车说明"), blank=True)
    is_mobile = models.BooleanField(_("流动服务站"), default=False, help_text=_("按日期在不同地点服务：在“流动服务安排”中填写"))
    closed_on_holidays = models.BooleanField(_("法定节假日休息"), default=True)
    open_on_adjusted_workdays = models.BooleanField(
        _("调休上班日开放"), default=True,
        help_text=_("国务院调休安排的周末上班日，按周一至周五中最早有开放时间的一天的时间开放"),
    )

    objects = ServiceStationQuerySet.as_manager()

    public_renderer = "apps.stations.views.render_station"
    editorial_children = ("hours", "exceptions", "stops", "photos")

    class Meta(EditorialModel.Meta):
        verbose_name = _("服务站")
        verbose_name_plural = _("服务站")
        ordering = ["kind__position", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stations:detail", kwargs={"pk": self.pk})

    @classmethod
    def editorial_columns(cls):
        last = cls.objects.published().aggregate(last=models.Max("public_updated_at"))["last"]
        return [(str(_("创业服务站")), last)]

    def submission_problems(self) -> list[str]:
        from apps.editorial.snapshots import latest_ids
        from apps.media.checks import image_problems

        return image_problems(latest_ids(self, children=[("photos", "image_id")]))


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("星期一")
    TUESDAY = 1, _("星期二")
    WEDNESDAY = 2, _("星期三")
    THURSDAY = 3, _("星期四")
    FRIDAY = 4, _("星期五")
    SATURDAY = 5, _("星期六")
    SUNDAY = 6, _("星期日")


def _check_times(opens, closes):
    if opens is not None and closes is not None and opens == closes:
        raise ValidationError(_("开始和结束时间不能相同；结束时间早于开始时间表示营业到次日。"))


class OpeningInterval(models.Model):
    """One interval of a weekday's hours (a day may have several: a lunch break).
    A closing time not after the opening time means the next day (a night service)."""

    station = models.ForeignKey(ServiceStation, verbose_name=_("服务站"), on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=Weekday.choices)
    opens = models.TimeField(_("开始"))
    closes = models.TimeField(_("结束"), help_text=_("早于开始时间表示次日"))

    class Meta:
        verbose_name = _("每周开放时间")
        verbose_name_plural = _("每周开放时间")
        ordering = ["weekday", "opens", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(opens=models.F("closes")), name="stations_interval_not_empty")]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"

    def clean(self):
        _check_times(self.opens, self.closes)


class HoursException(models.Model):
    """A dated exception entered by staff: closed all day (临时闭馆) or other hours that
    day (extended hours). Several rows on one day give several intervals."""

    station = models.ForeignKey(ServiceStation, verbose_name=_("服务站"), on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField(_("日期"))
    closed = models.BooleanField(_("全天闭馆"), default=False)
    opens = models.TimeField(_("开始"), null=True, blank=True)
    closes = models.TimeField(_("结束"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True, help_text=_("公开显示，例如：设备检修临时闭馆"))

    class Meta:
        verbose_name = _("特殊安排")
        verbose_name_plural = _("特殊安排（临时闭馆、延时服务）")
        ordering = ["date", "opens", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed=True) | (Q(opens__isnull=False, closes__isnull=False) & ~Q(opens=models.F("closes"))),
                name="stations_exception_closed_or_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.note}"

    def clean(self):
        if not self.closed and (self.opens is None or self.closes is None):
            raise ValidationError(_("请勾选“全天闭馆”，或填写当天的开始和结束时间。"))
        _check_times(self.opens, self.closes)


class MobileStop(models.Model):
    """Where a mobile station will be on a given day, and when."""

    station = models.ForeignKey(ServiceStation, verbose_name=_("服务站"), on_delete=models.CASCADE, related_name="stops")
    date = models.DateField(_("日期"))
    opens = models.TimeField(_("开始"))
    closes = models.TimeField(_("结束"))
    place = models.CharField(_("地点"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("流动服务安排")
        verbose_name_plural = _("流动服务安排")
        ordering = ["date", "opens", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(opens=models.F("closes")), name="stations_stop_not_empty")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.place}"

    def clean(self):
        _check_times(self.opens, self.closes)


class StationPhoto(OrderedImage):
    station = models.ForeignKey(ServiceStation, verbose_name=_("服务站"), on_delete=models.CASCADE, related_name="photos")

    class Meta(OrderedImage.Meta):
        verbose_name = _("服务站图片")
        verbose_name_plural = _("服务站图片")
