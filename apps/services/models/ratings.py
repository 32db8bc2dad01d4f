"""好差评: the enterprise's rating of a served request, the rectification case a
bad rating opens (整改), and staff appeals against malicious ratings (申诉).

One rating per request (一事一评), a database constraint; nothing edits a rating
after it is given. A rating of ``BAD_AT_MOST`` or below opens exactly one
rectification case (a constraint too), due in working days. An upheld appeal
sets ``excluded_at``: the rating stays, the statistics stop counting it
(``Rating.objects.counted()``).

Who sees the rater: the supervisor; staff who handled the request see the
score and the comment (``rules.may_see_rater``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: Ratings at or below this score open a rectification case.
BAD_AT_MOST = 2


class Score(models.IntegerChoices):
    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    FAIR = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


#: The optional dimensions (besides the overall score): field name and label.
DIMENSIONS = (
    ("efficiency", _("办事效率")),
    ("guide_accuracy", _("办事指南准确性")),
    ("convenience", _("办理便利程度")),
    ("attitude", _("服务态度")),
)


class RatingQuerySet(models.QuerySet):
    def counted(self):
        """Ratings the statistics count: every one but those taken out by an upheld appeal."""
        return self.filter(excluded_at__isnull=True)

    def bad(self):
        return self.filter(score__lte=BAD_AT_MOST)

    def visible_to(self, user):
        """Staff read the ratings of the requests they may see; nobody else reads them here."""
        from apps.services import rules

        from .requests import ServiceRequest

        if not rules.is_staff_handler(user):
            return self.none()
        if rules.is_supervisor(user):
            return self
        return self.filter(request__in=ServiceRequest.objects.visible_to(user))


def _score_field(label, *, null: bool):
    return models.PositiveSmallIntegerField(label, choices=Score.choices, null=null, blank=null)


class Rating(models.Model):
    request = models.OneToOneField(
        "services.ServiceRequest", verbose_name=_("诉求"), on_delete=models.PROTECT, related_name="rating",
    )
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评价人"), on_delete=models.SET_NULL, null=True, related_name="+",
    )
    score = _score_field(_("总体评价"), null=False)
    efficiency = _score_field(_("办事效率"), null=True)
    guide_accuracy = _score_field(_("办事指南准确性"), null=True)
    convenience = _score_field(_("办理便利程度"), null=True)
    attitude = _score_field(_("服务态度"), null=True)
    comment = models.TextField(_("评价内容"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), default=timezone.now)
    excluded_at = models.DateTimeField(_("不计入统计时间"), null=True, blank=True,
                                       help_text=_("恶意评价申诉成立后不计入统计，评价本身保留"))

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("好差评")
        verbose_name_plural = _("好差评")
        ordering = ["-rated_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="services_rating_score_range"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"services_rating_{name}_range",
                )
                for name, _label in DIMENSIONS
            ],
        ]
        indexes = [models.Index(fields=["rated_at"], name="services_rating_rated_idx")]

    def __str__(self) -> str:
        return f"{self.request_id} · {self.get_score_display()}"

    @property
    def is_bad(self) -> bool:
        return self.score <= BAD_AT_MOST

    def dimension_rows(self) -> list[tuple[str, str]]:
        return [(label, Score(getattr(self, name)).label) for name, label in DIMENSIONS if getattr(self, name)]


class CaseState(models.TextChoices):
    OPEN = "open", _("待回访核实")
    VERIFIED = "verified", _("已核实，整改中")
    REPORTED = "reported", _("已整改反馈")
    CANCELLED = "cancelled", _("申诉成立，已撤销")


CASE_OPEN_STATES = (CaseState.OPEN, CaseState.VERIFIED)


class RectificationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=CASE_OPEN_STATES)

    def overdue(self, today):
        return self.open().filter(due_date__lt=today)

    def visible_to(self, user):
        from apps.services import rules

        return self if rules.is_supervisor(user) else self.none()


class Rectification(models.Model):
    """整改: the supervisor calls the enterprise back to verify, records the finding and
    the fix, and reports back, within ``PARKPORTAL_RATINGS_RECTIFY_WORKDAYS`` working days."""

    rating = models.OneToOneField(Rating, verbose_name=_("差评"), on_delete=models.PROTECT, related_name="rectification")
    request = models.ForeignKey("services.ServiceRequest", verbose_name=_("诉求"), on_delete=models.PROTECT,
                                related_name="+")
    state = models.CharField(_("状态"), max_length=20, choices=CaseState.choices, default=CaseState.OPEN)
    opened_at = models.DateTimeField(_("立案时间"), default=timezone.now)
    deadline_days = models.PositiveSmallIntegerField(_("整改时限（工作日）"))
    due_date = models.DateField(_("整改期限"))
    finding = models.TextField(_("回访核实情况"), blank=True)
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    fix = models.TextField(_("整改措施"), blank=True)
    report = models.TextField(_("反馈企业的整改结果"), blank=True)
    reported_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    reminder_sent_at = models.DateTimeField(_("到期提醒发送时间"), null=True, blank=True)
    overdue_alert_sent_at = models.DateTimeField(_("超期告警发送时间"), null=True, blank=True)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=CaseState.values), name="services_rect_state_valid"),
            models.CheckConstraint(
                condition=~Q(state=CaseState.REPORTED) | (Q(reported_at__isnull=False) & ~Q(report="")),
                name="services_rect_reported_has_report",
            ),
            models.CheckConstraint(
                condition=Q(state=CaseState.OPEN) | ~Q(state=CaseState.VERIFIED) | Q(verified_at__isnull=False),
                name="services_rect_verified_has_time",
            ),
        ]
        indexes = [models.Index(fields=["state", "due_date"], name="services_rect_state_due_idx")]

    def __str__(self) -> str:
        return _("整改：%(request)s") % {"request": self.request}

    @property
    def is_open(self) -> bool:
        return self.state in CASE_OPEN_STATES


class AppealState(models.TextChoices):
    PENDING = "pending", _("待裁定")
    UPHELD = "upheld", _("申诉成立")
    REFUSED = "refused", _("申诉不成立")


class AppealQuerySet(models.QuerySet):
    def pending(self):
        """Awaiting the supervisor's decision (at most one per rating)."""
        return self.filter(state=AppealState.PENDING)


class Appeal(models.Model):
    """A member of staff's appeal that a rating is malicious (恶意评价申诉); the supervisor decides."""

    rating = models.ForeignKey(Rating, verbose_name=_("评价"), on_delete=models.PROTECT, related_name="appeals")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申诉人"), on_delete=models.PROTECT,
                                 related_name="+")
    filed_at = models.DateTimeField(_("申诉时间"), default=timezone.now)
    reason = models.TextField(_("申诉理由"))
    state = models.CharField(_("状态"), max_length=20, choices=AppealState.choices, default=AppealState.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("裁定人"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("裁定时间"), null=True, blank=True)
    decision_reason = models.TextField(_("裁定理由"), blank=True)

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("恶意评价申诉")
        verbose_name_plural = _("恶意评价申诉")
        ordering = ["-filed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["rating"], condition=Q(state="pending"),
                                    name="services_appeal_one_pending"),
            models.UniqueConstraint(fields=["rating"], condition=Q(state="upheld"),
                                    name="services_appeal_one_upheld"),
            models.CheckConstraint(
                condition=Q(state="pending", decided_at__isnull=True)
                | (~Q(state="pending") & Q(decided_at__isnull=False) & ~Q(decision_reason="")),
                name="services_appeal_decided_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return _("申诉：%(rating)s") % {"rating": self.rating}

    @property
    def is_pending(self) -> bool:
        return self.state == AppealState.PENDING
