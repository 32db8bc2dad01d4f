from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from . import actions
from .models import EmailOptOut, NotificationKind


@shared_task(name="editorial.publish_due", ignore_result=True)
def publish_due() -> dict:
    return actions.publish_due()


@shared_task(
    name="editorial.send_notification", ignore_result=True, autoretry_for=(OSError,),
    retry_backoff=True, retry_kwargs={"max_retries": 5},
)
def send_notification(kind: str, content_type_id: int, object_id: str, user_ids: list[int], extra: dict) -> int:
    """Render and send one workflow e-mail to each recipient who has not opted out."""
    if kind not in NotificationKind.values:
        return 0
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    item = model._base_manager.filter(pk=object_id).first()
    if item is None:
        return 0
    opted_out = set(EmailOptOut.objects.filter(kind=kind, user_id__in=user_ids).values_list("user_id", flat=True))
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True).exclude(pk__in=opted_out).exclude(email="")
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user in users:
            context = {"user": user, "item": item, "kind": kind, "extra": extra, "site_url": settings.PARKPORTAL_ADMIN_BASE_URL}
            subject = render_to_string(f"editorial/email/{kind}_subject.txt", context).strip()
            body = render_to_string(f"editorial/email/{kind}.txt", context)
            sent += send_mail(subject, body, None, [user.email])
    return sent
