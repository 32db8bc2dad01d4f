"""Public consultations (互动交流: 留言、咨询、建议、投诉).

Two models, split where personal data ends:

- ``Message`` is what a citizen or an enterprise wrote, with their name, phone and
  e-mail. It is never shown to the public, never in a sitemap, feed or search:
  staff read it in the admin, the submitter sees its status through the tracking
  lookup. Staff accept it (受理), route it to a department and answer it within a
  deadline in working days.
- ``Consultation`` is the publishable question and reply (an ``EditorialModel``):
  the subject and question text (staff may redact personal details from the
  text before it goes out), the replying department, the acceptance date and the
  reply. It holds no personal data. It is drafted by the desk's ``draft_reply``
  action and reviewed through the editorial workflow; the reply date (答复日期) is
  its first publication. A message whose writer did not agree to publication
  still gets a reviewed reply: its consultation is ``public=False``, and
  ``published()`` never includes it (the submitter reads it through the lookup).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.fields import RichTextField
from apps.editorial.models import EditorialModel, EditorialQuerySet


class Kind(models.TextChoices):
    MESSAGE = "message", _("留言")
    QUESTION = "question", _("咨询")
    SUGGESTION = "suggestion", _("建议")
    COMPLAINT = "complaint", _("投诉")


class State(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    REJECTED = "rejected", _("不予受理")


class MessageQuerySet(models.QuerySet):
    def unanswered(self):
        """Received and not refused, without a published reply (the inspection's
        "留言 answered within 3 months" counts from submission)."""
        return self.exclude(state=State.REJECTED).filter(
            Q(consultation__isnull=True) | Q(consultation__first_published_at__isnull=True)
        )

    def awaiting_reply(self):
        """Accepted and without a published reply: the deadline clock runs."""
        return self.filter(state=State.ACCEPTED).filter(
            Q(consultation__isnull=True) | Q(consultation__first_published_at__isnull=True)
        )


class Message(models.Model):
    tracking_number = models.CharField(_("受理编号"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=30)
    email = models.EmailField(_("电子邮箱"), blank=True)
    subject = models.CharField(_("标题"), max_length=100)
    text = models.TextField(_("内容"), max_length=3000)
    publish_consent = models.BooleanField(_("同意公开"), default=False,
                                          help_text=_("同意后，问题和答复可在网站公开（不公开姓名和联系方式）"))
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.SUBMITTED)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交账号"), on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("受理人"), on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    department = models.CharField(_("答复部门"), max_length=100, blank=True)
    due_date = models.DateField(_("答复期限"), null=True, blank=True)
    rejection_reason = models.CharField(_("不予受理理由"), max_length=300, blank=True)
    reminder_sent_at = models.DateTimeField(_("到期提醒时间"), null=True, blank=True)
    overdue_alert_sent_at = models.DateTimeField(_("超期提醒时间"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("群众留言")
        verbose_name_plural = _("群众留言")
        ordering = ["-submitted_at", "-pk"]
        permissions = [("handle_message", _("受理和答复群众留言"))]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=State.values), name="interaction_message_state_valid"),
            models.CheckConstraint(
                condition=~Q(state=State.ACCEPTED) | Q(accepted_at__isnull=False, due_date__isnull=False),
                name="interaction_accepted_has_due_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.subject}"

    @property
    def reply_published(self) -> bool:
        consultation = getattr(self, "consultation", None)
        return bool(consultation and consultation.first_published_at)


class ConsultationQuerySet(EditorialQuerySet):
    def published(self):
        """Live and agreed to be public by its writer: lists, sitemap and search."""
        return super().published().filter(public=True)

    def viewable(self):
        return super().viewable().filter(public=True)

    def newest_first(self):
        return self.order_by("-first_published_at", "-pk")


class Consultation(EditorialModel):
    """The publishable question and reply; no personal data (see the module's doc)."""

    message = models.OneToOneField(Message, verbose_name=_("留言"), on_delete=models.PROTECT,
                                   related_name="consultation", editable=False)
    public = models.BooleanField(_("公开"), default=False, editable=False,
                                 help_text=_("留言人同意公开时才会在网站公开"))
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    subject = models.CharField(_("标题"), max_length=100)
    question = models.TextField(_("留言内容（公开版本）"), max_length=3000,
                                help_text=_("公开前请删去姓名、电话、住址等个人信息"))
    accepted_on = models.DateField(_("受理日期"))
    department = models.CharField(_("答复部门"), max_length=100)
    reply = RichTextField(_("答复内容"))

    objects = ConsultationQuerySet.as_manager()

    public_renderer = "apps.interaction.views.render_consultation"

    class Meta(EditorialModel.Meta):
        verbose_name = _("留言答复")
        verbose_name_plural = _("留言答复")
        ordering = ["-first_published_at", "-pk"]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("interaction:detail", kwargs={"pk": self.pk})

    @property
    def has_public_page(self) -> bool:
        return self.public and super().has_public_page

    @classmethod
    def editorial_columns(cls):
        last = cls.objects.published().aggregate(last=models.Max("public_updated_at"))["last"]
        return [(str(_("互动交流")), last)]
