"""The e-mails of a request, rendered and sent by the worker (tasks.py calls these).

Mail to the enterprise reads only public fields (state, the public note, the
public timeline); the internal note is never in its context.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .models import RequestEvent, ServiceRequest, State


def _enterprise_accounts(request):
    return get_user_model().objects.filter(
        enterprise_membership__enterprise_id=request.enterprise_id, is_active=True, is_staff=False,
    ).exclude(email="")


def send_change_mail(request_id: int, event_id: int) -> int:
    """The enterprise's accounts learn of a public change (submission included)."""
    request = ServiceRequest.objects.select_related("service").filter(pk=request_id).first()
    event = RequestEvent.objects.public().filter(pk=event_id, request_id=request_id).first()
    if request is None or event is None:
        return 0
    context = {
        "request": request, "state": event.state_label or State(request.state).label,
        "note": event.public_note, "kind": event.kind, "site_url": settings.PARKPORTAL_ADMIN_BASE_URL,
    }
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("services/email/changed_subject.txt", context).strip()
        for user in _enterprise_accounts(request):
            body = render_to_string("services/email/changed.txt", {**context, "user": user})
            sent += send_mail(subject, body, None, [user.email])
    return sent


def send_alert(request_id: int, kind: str) -> int:
    """A reminder (``remind``) or an overdue alert (``overdue_alert``) to the assignee and the supervisors."""
    request = ServiceRequest.objects.select_related("service", "assignee").filter(pk=request_id).first()
    if request is None or kind not in ("remind", "overdue_alert"):
        return 0
    recipients = set(_supervisor_addresses())
    if request.assignee and request.assignee.email:
        recipients.add(request.assignee.email)
    if not recipients:
        return 0
    context = {"request": request, "kind": kind, "site_url": settings.PARKPORTAL_ADMIN_BASE_URL}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("services/email/alert_subject.txt", context).strip()
        body = render_to_string("services/email/alert.txt", context)
    return send_mail(subject, body, None, sorted(recipients))


def _supervisor_addresses() -> list[str]:
    from apps.accounts.roles import ROLES, SERVICE_SUPERVISOR

    people = get_user_model().objects.filter(is_active=True, groups__name=ROLES[SERVICE_SUPERVISOR].group_name)
    return sorted({u.email for u in people if u.email})


def send_rectification_alert(case_id: int, kind: str) -> int:
    """A bad rating opened a case (``opened``), its due date nears (``remind``) or passed
    (``overdue_alert``): the supervisors are told. The mail names the request, the
    score and the due date; the rater's name is not in it (supervisors read it in the admin)."""
    from .models import Rectification

    case = Rectification.objects.select_related("request__service", "rating").filter(pk=case_id).first()
    if case is None or kind not in ("opened", "remind", "overdue_alert") or not case.is_open:
        return 0
    recipients = _supervisor_addresses()
    if not recipients:
        return 0
    context = {"case": case, "request": case.request, "rating": case.rating, "kind": kind,
               "site_url": settings.PARKPORTAL_ADMIN_BASE_URL}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("services/email/rectification_subject.txt", context).strip()
        body = render_to_string("services/email/rectification.txt", context)
    return send_mail(subject, body, None, recipients)
