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
    """Who handles messages: everyone holding the desk's permission (and the one who accepted it)."""
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    permission = Permission.objects.filter(codename="handle_message", content_type__app_label="interaction").first()
    people = get_user_model().objects.filter(is_active=True).exclude(email="").filter(
        Q(groups__permissions=permission) | Q(user_permissions=permission)
    ).distinct()
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
