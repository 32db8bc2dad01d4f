"""The weekly report mail: to site administrators, only when something is warn or
fail, once per week however often beat asks, through the outbox."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from apps.core.models import OutboxMessage
from apps.inspection import mail as weekly
from apps.inspection.models import ReportMail

BEIJING = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 3, 2, 8, 0, tzinfo=BEIJING)


def deliver_queued():
    """What the worker does with the outbox rows (the broker is outside the test)."""
    sent = 0
    for message in OutboxMessage.objects.filter(task_name=weekly.DELIVER_TASK):
        sent += weekly.deliver(*message.args)
    return sent


def test_the_mail_goes_once_a_week_to_site_administrators(site_admin, make_user, django_capture_on_commit_callbacks):
    make_user("other-admin", roles=["site_admin"], email="")  # no address: skipped
    make_user("editor-x", roles=["editor"], email="editor-x@example.gov.cn")
    with django_capture_on_commit_callbacks(execute=False):
        assert weekly.queue_weekly_report(now=MONDAY) is True  # nothing published: the home page fails
        assert weekly.queue_weekly_report(now=MONDAY + timedelta(days=1)) is False
        assert weekly.queue_weekly_report(now=MONDAY + timedelta(days=6, hours=15, minutes=59)) is False
    assert ReportMail.objects.count() == 1
    assert OutboxMessage.objects.filter(task_name=weekly.DELIVER_TASK).count() == 1
    assert deliver_queued() == 1
    assert deliver_queued() == 0  # an outbox re-send sends nothing twice
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["siteadmin@example.gov.cn"]
    assert "网站自查周报" in message.subject and "首页更新：不合格" in message.body
    assert "/admin/inspection/linkcheck/report/" in message.body
    # The next week (Monday 00:00 Beijing time = Sunday 16:00 UTC) gets its own mail.
    with django_capture_on_commit_callbacks(execute=False):
        assert weekly.queue_weekly_report(now=datetime(2026, 3, 9, 0, 0, tzinfo=BEIJING)) is True
    assert list(ReportMail.objects.values_list("week", flat=True)) == [
        datetime(2026, 3, 9).date(), datetime(2026, 3, 2).date()]


def test_no_mail_when_everything_passes(db, monkeypatch):
    from apps.inspection import indicators

    monkeypatch.setattr(indicators, "_INDICATORS", {})
    assert weekly.queue_weekly_report(now=MONDAY) is False
    assert not ReportMail.objects.exists()


def test_the_beat_task_is_scheduled_and_queues_the_mail(settings, site_admin, django_capture_on_commit_callbacks):
    from apps.inspection.tasks import send_weekly_report

    assert settings.CELERY_BEAT_SCHEDULE["inspection.send_weekly_report"]["task"] == "inspection.send_weekly_report"
    assert settings.CELERY_BEAT_SCHEDULE["inspection.check_links"]["task"] == "inspection.check_links"
    with django_capture_on_commit_callbacks(execute=False):
        assert send_weekly_report.apply().get() is True
        assert send_weekly_report.apply().get() is False
    assert ReportMail.objects.count() == 1
