"""Service requests (诉求), their timeline and their uploaded materials.

A request is not editorial content: it has its own state machine, changed only
by the actions in ``apps.services.actions`` (row lock, audit row, event row).
Each change is a ``RequestEvent`` carrying an optional public status note (the
enterprise sees it) and an optional internal note (it never does).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.media.models import get_private_storage


class State(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已受理")
    IN_PROGRESS = "in_progress", _("办理中")
    WAITING = "waiting", _("待补正")
    RESOLVED = "resolved", _("已办结")
    CLOSED = "closed", _("已关闭")
    REJECTED = "rejected", _("不予受理")
    DUPLICATE = "duplicate", _("重复诉求")
    REFERRED = "referred", _("已转办")
    WITHDRAWN = "withdrawn", _("已撤回")


#: States in which the working-day clock runs (accepted and not finished, not waiting).
CLOCK_RUNNING = (State.ACCEPTED, State.IN_PROGRESS)
#: States still needing staff work (the queue); every other state is closed.
OPEN_STATES = (State.SUBMITTED, State.ACCEPTED, State.IN_PROGRESS, State.WAITING)


class ServiceRequestQuerySet(models.QuerySet):
    def of_enterprise(self, enterprise_id):
        return self.filter(enterprise_id=enterprise_id)

    def visible_to(self, user):
        """What ``user`` may read: staff who handle requests see those of their scope,
        an enterprise account sees its enterprise's, anyone else nothing."""
        from apps.services import rules

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if rules.is_supervisor(user):
            return self
        if rules.is_agent(user):
            return self.filter(Q(department=user.department) | Q(assignee=user))
        enterprise_id = rules.enterprise_id_of(user)
        if enterprise_id is None:
            return self.none()
        return self.of_enterprise(enterprise_id)

    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def closed(self):
        """Every request not open (the Open311 ``status`` "closed")."""
        return self.exclude(state__in=OPEN_STATES)

    def open_data(self):
        """Requests whose public fields (``PUBLIC_FIELDS``) anyone may read, as the
        interaction norms require (受理日期, 答复日期, 答复部门, 答复): every request
        but those the enterprise withdrew. The Open311 API's public reads use this."""
        return self.exclude(state=State.WITHDRAWN)

    def accepted(self):
        """受理: accepted (whatever became of it since: resolved, referred, declined)."""
        return self.filter(accepted_at__isnull=False)

    def completed(self):
        """办结: resolved (and possibly closed since)."""
        return self.filter(resolved_at__isnull=False)

    def completed_on_time(self):
        """Resolved on or before the due date (the local day, in Beijing time)."""
        return self.completed().filter(RESOLVED_ON_TIME)

    def clock_running(self):
        return self.filter(state__in=CLOCK_RUNNING, due_date__isnull=False)

    def unassigned(self):
        return self.open().filter(assignee__isnull=True)

    def assigned_to(self, user):
        return self.open().filter(assignee=user)

    def overdue(self, today):
        return self.clock_running().filter(due_date__lt=today)

    def due_soon(self, today, until):
        """Clock running and due between today and ``until`` (both included)."""
        return self.clock_running().filter(due_date__gte=today, due_date__lte=until)

    def newest_first(self):
        return self.order_by("-submitted_at", "-pk")

    def for_list(self):
        return self.select_related("service", "assignee").only(
            "pk", "tracking_number", "state", "submitted_at", "updated_at", "due_date", "department",
            "service__name", "service__code", "assignee__username", "assignee__display_name",
            "assignee__first_name", "assignee__last_name",
        )


#: Resolved by the due date: ``__date`` is the local (Beijing) day under USE_TZ.
RESOLVED_ON_TIME = Q(resolved_at__date__lte=F("due_date"))

#: What a public read of a request shows (besides the public notes of ``RequestEvent.objects.public()``):
#: never the description, the contact, the enterprise, the address, nor an internal note.
PUBLIC_FIELDS = (
    "pk", "tracking_number", "service_id", "service__code", "service__name", "state", "department", "referred_to",
    "submitted_at", "updated_at", "due_date",
)


class ServiceRequest(models.Model):
    tracking_number = models.CharField(_("受理编号"), max_length=20, unique=True, editable=False)
    service = models.ForeignKey("services.Service", verbose_name=_("事项"), on_delete=models.PROTECT, related_name="requests")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="service_requests"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交账号"), on_delete=models.SET_NULL, null=True,
        related_name="+",
    )
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    description = models.TextField(_("诉求描述"), max_length=4000)
    attributes = models.JSONField(_("表单字段"), default=dict, blank=True)
    address = models.CharField(_("地点或地址"), max_length=200, blank=True)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)

    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.SUBMITTED, editable=False)
    department = models.CharField(_("责任部门"), max_length=100, editable=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="assigned_service_requests", editable=False,
    )
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("重复于"), on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        editable=False,
    )
    referred_to = models.CharField(_("转办部门"), max_length=100, blank=True, editable=False)

    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now, editable=False)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True, editable=False)
    deadline_days = models.PositiveSmallIntegerField(_("承诺时限（工作日）"), null=True, blank=True, editable=False)
    waiting_since = models.DateTimeField(_("补正开始时间"), null=True, blank=True, editable=False)
    waited_workdays = models.PositiveSmallIntegerField(_("补正占用工作日"), default=0, editable=False)
    due_date = models.DateField(_("办理期限"), null=True, blank=True, editable=False)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True, editable=False)
    workdays_used = models.PositiveSmallIntegerField(
        _("办理用时（工作日）"), null=True, blank=True, editable=False,
        help_text=_("受理到办结的工作日数，不含补正等待；办结时写入，供统计"),
    )
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True, editable=False)
    reminder_sent_at = models.DateTimeField(_("到期提醒发送时间"), null=True, blank=True, editable=False)
    overdue_alert_sent_at = models.DateTimeField(_("超期告警发送时间"), null=True, blank=True, editable=False)

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("服务诉求")
        verbose_name_plural = _("服务诉求")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["enterprise", "-submitted_at", "-id"], name="services_req_enterprise_idx"),
            models.Index(fields=["state", "due_date"], name="services_req_state_due_idx"),
            models.Index(fields=["assignee", "state"], name="services_req_assignee_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=State.values), name="services_req_state_valid"),
            models.CheckConstraint(
                condition=Q(state=State.DUPLICATE, duplicate_of__isnull=False)
                | (~Q(state=State.DUPLICATE) & Q(duplicate_of__isnull=True)),
                name="services_req_duplicate_points_at_original",
            ),
            models.CheckConstraint(
                condition=(Q(state=State.REFERRED) & ~Q(referred_to="")) | (~Q(state=State.REFERRED) & Q(referred_to="")),
                name="services_req_referred_names_department",
            ),
            models.CheckConstraint(
                condition=Q(state=State.WAITING, waiting_since__isnull=False)
                | (~Q(state=State.WAITING) & Q(waiting_since__isnull=True)),
                name="services_req_waiting_has_start",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(due_date__isnull=False),
                name="services_req_accepted_has_due_date",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[State.ACCEPTED, State.IN_PROGRESS, State.WAITING, State.RESOLVED, State.CLOSED])
                | Q(accepted_at__isnull=False),
                name="services_req_worked_was_accepted",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def open311_status(self) -> str:
        """The Open311 status: "open" as in ``ServiceRequestQuerySet.open()``, else "closed"."""
        return "open" if self.is_open else "closed"


class RequestEventQuerySet(models.QuerySet):
    def public(self):
        """The timeline the enterprise (and a tracking-number lookup) sees."""
        return self.filter(is_public=True).only(
            "pk", "request_id", "at", "kind", "to_state", "public_note"
        ).order_by("at", "pk")


class RequestEvent(models.Model):
    """One step of a request's timeline. ``internal_note`` is staff-only: no page,
    mail or export the enterprise can reach ever reads it (``public()`` defers it)."""

    request = models.ForeignKey(ServiceRequest, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(_("操作"), max_length=50)
    from_state = models.CharField(_("原状态"), max_length=20, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, blank=True)
    is_public = models.BooleanField(_("企业可见"), default=False)
    public_note = models.TextField(_("公开说明"), blank=True)
    internal_note = models.TextField(_("内部备注"), blank=True)

    objects = RequestEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(is_public=True) | Q(public_note=""), name="services_event_note_public"),
        ]

    @property
    def state_label(self) -> str:
        return State(self.to_state).label if self.to_state in State.values else ""


def material_path(instance, filename: str) -> str:
    return f"services/{instance.request_id}/{instance.stored_name}"


class RequestMaterial(models.Model):
    """A file uploaded with a request or a 补正 answer; private, downloaded only
    through the permission-checked view."""

    request = models.ForeignKey(ServiceRequest, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="materials")
    event = models.ForeignKey(
        RequestEvent, verbose_name=_("随附于"), on_delete=models.SET_NULL, null=True, blank=True, related_name="materials"
    )
    label = models.CharField(_("材料名称"), max_length=200)
    file = models.FileField(_("文件"), storage=get_private_storage, upload_to=material_path, max_length=255)
    stored_name = models.CharField(max_length=100, editable=False)
    original_name = models.CharField(_("原文件名"), max_length=255)
    kind = models.CharField(_("文件类型"), max_length=10)
    size_bytes = models.PositiveBigIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("诉求材料")
        verbose_name_plural = _("诉求材料")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.label
