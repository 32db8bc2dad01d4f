"""Talent programmes (人才项目) and their application rounds (申报批次).

A programme is published through the editorial workflow; its rounds and its
required materials are ordered child rows of the programme, kept in every
revision (``editorial_children``), so a round goes live with the programme's
review. A round's state (upcoming, open, closing soon, closed) is computed from
its dates and the clock, never stored: see ``ApplicationRound.state_at``.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.fields import RichTextField
from apps.editorial.models import EditorialModel, EditorialQuerySet, Visibility
from apps.media.models import Image


def closing_soon_period() -> dt.timedelta:
    """How long before closing a round counts as "closing soon" (a setting, default 7 days)."""
    return dt.timedelta(days=getattr(settings, "PARKPORTAL_TALENT_CLOSING_SOON_DAYS", 7))


class ProgrammeCategory(models.Model):
    """An editable list: 引进 / 培育 / 青年 / 团队 …"""

    name = models.CharField(_("名称"), max_length=20, unique=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("人才项目类别")
        verbose_name_plural = _("人才项目类别")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class TalentProgrammeQuerySet(EditorialQuerySet):
    def in_category(self, category_id):
        return self.filter(category_id=category_id)

    def for_list(self):
        return self.select_related("category", "cover_image")


class TalentProgramme(EditorialModel):
    name = models.CharField(_("项目名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    category = models.ForeignKey(ProgrammeCategory, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="programmes")
    department = models.CharField(_("主管部门"), max_length=100)
    summary = models.TextField(_("简介"), max_length=300, blank=True, help_text=_("列表和订阅源使用；不超过 300 字"))
    eligibility = RichTextField(_("申报条件"), help_text=_("谁可以申报"))
    benefits = RichTextField(_("支持内容"), help_text=_("资助、奖励和服务，写明金额"))
    how_to_apply = RichTextField(_("申报方式"), blank=True)
    contact_phone = models.CharField(_("咨询电话"), max_length=40, blank=True)
    contact_email = models.EmailField(_("咨询邮箱"), blank=True)
    contact_address = models.CharField(_("受理地址"), max_length=200, blank=True)
    office_hours = models.CharField(_("受理时间"), max_length=100, blank=True, help_text=_("例如：工作日 9:30-13:30、15:30-19:30"))
    policy_page = models.ForeignKey(
        "pages.Page", verbose_name=_("政策依据"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text=_("政策原文或解读页面"),
    )
    cover_image = models.ForeignKey(
        Image, verbose_name=_("封面图片"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    related_news = models.ManyToManyField(
        "news.PressRelease", verbose_name=_("相关新闻"), blank=True, related_name="talent_programmes"
    )
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name=_("相关企业"), blank=True, related_name="talent_programmes"
    )

    objects = TalentProgrammeQuerySet.as_manager()

    public_renderer = "apps.talent.views.render_programme"
    editorial_children = ("rounds", "materials")

    class Meta(EditorialModel.Meta):
        verbose_name = _("人才项目")
        verbose_name_plural = _("人才项目")
        ordering = ["category__position", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("talent:detail", kwargs={"pk": self.pk})

    @classmethod
    def editorial_columns(cls):
        last = cls.objects.published().aggregate(last=models.Max("public_updated_at"))["last"]
        return [(str(_("人才项目")), last)]

    def submission_problems(self) -> list[str]:
        from apps.editorial.snapshots import latest_ids
        from apps.media.checks import image_problems

        return image_problems(latest_ids(self, fields=["cover_image_id"]))


class RoundState(models.TextChoices):
    UPCOMING = "upcoming", _("即将开始")
    OPEN = "open", _("正在申报")
    CLOSING_SOON = "closing_soon", _("即将截止")
    CLOSED = "closed", _("已截止")


class ApplicationRoundQuerySet(models.QuerySet):
    """Read rules for rounds. ``public()`` is "the programme is live"; the state rules
    take the moment to judge at (Beijing time is only a matter of display)."""

    def public(self):
        return self.filter(programme__visibility=Visibility.LIVE)

    def open_at(self, now):
        """Accepting applications at ``now`` (closing soon included): opens_at <= now < closes_at."""
        return self.filter(Q(always_open=True) | Q(opens_at__lte=now, closes_at__gt=now))

    def closing_soon_at(self, now):
        return self.filter(always_open=False, opens_at__lte=now, closes_at__gt=now,
                           closes_at__lte=now + closing_soon_period())

    def upcoming_at(self, now):
        return self.filter(always_open=False, opens_at__gt=now)

    def closed_at(self, now):
        return self.filter(always_open=False, closes_at__lte=now)

    def opened_by(self, now):
        """Rounds that have opened by ``now`` (for the feed), newest opening first."""
        return self.filter(always_open=False, opens_at__lte=now).order_by("-opens_at", "-pk")

    def soonest_closing_first(self):
        return self.order_by(models.F("closes_at").asc(nulls_last=True), "pk")


class ApplicationRound(models.Model):
    """One round (批次) of a programme: 2026年度第一批. Part of the programme's revisions."""

    programme = models.ForeignKey(TalentProgramme, verbose_name=_("人才项目"), on_delete=models.CASCADE, related_name="rounds")
    title = models.CharField(_("批次名称"), max_length=100, help_text=_("例如：2026年度第一批"))
    always_open = models.BooleanField(_("常年受理"), default=False, help_text=_("勾选后不填开始和截止时间"))
    opens_at = models.DateTimeField(_("开始时间"), null=True, blank=True, help_text=_("北京时间"))
    closes_at = models.DateTimeField(_("截止时间"), null=True, blank=True, help_text=_("北京时间；到此时刻即截止"))
    quota = models.PositiveIntegerField(_("名额"), null=True, blank=True)
    notes = models.CharField(_("说明"), max_length=300, blank=True)
    results_release = models.ForeignKey(
        "news.PressRelease", verbose_name=_("结果公示（新闻稿）"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    results_page = models.ForeignKey(
        "pages.Page", verbose_name=_("结果公示（页面）"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )

    objects = ApplicationRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("申报批次")
        verbose_name_plural = _("申报批次")
        ordering = [models.F("opens_at").desc(nulls_first=True), "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(always_open=True, opens_at__isnull=True, closes_at__isnull=True)
                | Q(always_open=False, opens_at__isnull=False, closes_at__isnull=False, closes_at__gt=models.F("opens_at")),
                name="talent_round_dates_valid",
                violation_error_message=_("请填写开始和截止时间（截止须晚于开始），或勾选“常年受理”且不填时间。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.always_open and (self.opens_at or self.closes_at):
            raise ValidationError(_("常年受理的批次不填开始和截止时间。"))
        if not self.always_open:
            if not self.opens_at or not self.closes_at:
                raise ValidationError(_("请填写开始和截止时间，或勾选“常年受理”。"))
            if self.closes_at <= self.opens_at:
                raise ValidationError({"closes_at": _("截止时间须晚于开始时间。")})

    def state_at(self, now) -> str:
        """The round's state at ``now``; boundaries: open from opens_at (inclusive) to
        closes_at (exclusive), closing soon from closes_at minus the period."""
        if self.always_open:
            return RoundState.OPEN
        if now < self.opens_at:
            return RoundState.UPCOMING
        if now >= self.closes_at:
            return RoundState.CLOSED
        if now >= self.closes_at - closing_soon_period():
            return RoundState.CLOSING_SOON
        return RoundState.OPEN

    def days_left_at(self, now) -> int | None:
        """Calendar days (Beijing time) from today to the closing day: 0 on the closing day."""
        if self.always_open or self.closes_at is None or now >= self.closes_at:
            return None
        from django.utils import timezone

        return (timezone.localtime(self.closes_at).date() - timezone.localtime(now).date()).days


class RequiredMaterial(models.Model):
    """One item of the materials list, optionally with a template file (an attachment)."""

    programme = models.ForeignKey(TalentProgramme, verbose_name=_("人才项目"), on_delete=models.CASCADE, related_name="materials")
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    name = models.CharField(_("材料名称"), max_length=200)
    note = models.CharField(_("说明"), max_length=300, blank=True, help_text=_("例如：原件扫描，加盖单位公章"))
    template = models.ForeignKey(
        "media.Attachment", verbose_name=_("模板文件"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name
