"""The e-mails of the desk, rendered and sent by the worker (tasks.py calls these)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .models import Message


def send_confirmation(message_id: int) -> int:
    """The writer learns their tracking number (only if they gave an e-mail address)."""
    message = Message.objects.filter(pk=message_id).exclude(email="").first()
    if message is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string("interaction/email/confirm.txt", {"message": message,
                                                                   "site_url": settings.PARKPORTAL_ADMIN_BASE_URL})
        return send_mail(str(translation.gettext("您的留言已收到")), body, None, [message.email])


def desk_recipients(message) -> list[str]:
    """Who handles messages: every active account that ``actions.may_handle`` (the desk's
    permission through a group or directly, or a superuser), and the one who accepted it."""
    people = get_user_model().objects.with_perm(
        "interaction.handle_message", backend="django.contrib.auth.backends.ModelBackend", include_superusers=True,
    ).exclude(email="")
    recipients = {u.email for u in people}
    if message.accepted_by_id and message.accepted_by.email:
        recipients.add(message.accepted_by.email)
    return sorted(recipients)


def send_alert(message_id: int, kind: str) -> int:
    message = Message.objects.select_related("accepted_by").filter(pk=message_id).first()
    if message is None or kind not in ("remind", "overdue_alert"):
        return 0
    recipients = desk_recipients(message)
    if not recipients:
        return 0
    context = {"message": message, "kind": kind, "site_url": settings.PARKPORTAL_ADMIN_BASE_URL}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("interaction/email/alert_subject.txt", context).strip()
        body = render_to_string("interaction/email/alert.txt", context)
    return send_mail(subject, body, None, recipients)
