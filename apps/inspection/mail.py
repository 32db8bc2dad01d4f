"""The weekly self-inspection mail to site administrators.

Beat runs ``inspection.send_weekly_report`` daily; :func:`queue_weekly_report`
computes the report and, when anything is warn or fail, writes this week's
``ReportMail`` row (unique per week: Monday's date, Beijing time) and queues its
delivery through the outbox. Whatever beat does, a week gets one row, and
:func:`deliver` sends a row once (``sent_at``), so an outbox re-send is harmless.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from apps.core import outbox

from .indicators import PASS, compute_all
from .models import ReportMail

DELIVER_TASK = "inspection.deliver_report_mail"


def week_of(now) -> "datetime.date":  # noqa: F821
    today = timezone.localdate(now)
    return today - timedelta(days=today.weekday())


def site_admins():
    from apps.accounts.roles import ROLES, SITE_ADMIN

    return get_user_model().objects.filter(
        Q(groups__name=ROLES[SITE_ADMIN].group_name) | Q(is_superuser=True), is_active=True,
    ).exclude(email="").distinct().order_by("pk")


def queue_weekly_report(*, now=None) -> bool:
    """Write this week's mail when the report has anything to say; True if written now."""
    now = now or timezone.now()
    results = compute_all(now)
    problems = [r for r in results if r.status != PASS]
    if not problems:
        return False
    week = week_of(now)
    if ReportMail.objects.filter(week=week).exists():
        return False
    summary = {r.key: {"title": r.title, "status": r.status, "value": r.value} for r in results}
    try:
        with transaction.atomic():
            mail = ReportMail.objects.create(week=week, summary=summary)
            outbox.enqueue(DELIVER_TASK, mail.pk)
    except IntegrityError:  # another run wrote this week's row meanwhile
        return False
    return True


def deliver(mail_id: int) -> int:
    with transaction.atomic():
        mail = ReportMail.objects.select_for_update().filter(pk=mail_id, sent_at__isnull=True).first()
        if mail is None:
            return 0
        recipients = sorted({u.email for u in site_admins()})
        context = {"mail": mail, "rows": [v | {"key": k} for k, v in mail.summary.items()],
                   "site_url": settings.PARKPORTAL_ADMIN_BASE_URL, "report_path": reverse("admin:inspection_report")}
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string("inspection/email/weekly_subject.txt", context).strip()
            body = render_to_string("inspection/email/weekly.txt", context)
        sent = send_mail(subject, body, None, recipients) if recipients else 0
        ReportMail.objects.filter(pk=mail.pk).update(sent_at=timezone.now(), recipients=recipients)
    return sent
