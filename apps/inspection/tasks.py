"""Thin Celery tasks: ids and small values in, the work in its own module."""

from celery import shared_task


@shared_task(name="inspection.rescan_live_wording", acks_late=True, soft_time_limit=600, time_limit=660)
def rescan_live_wording() -> int:
    from .livescan import rescan_live

    return rescan_live()


@shared_task(name="inspection.check_links", acks_late=True, soft_time_limit=3000, time_limit=3300)
def check_links() -> dict:
    from .linkcheck import run

    return run()


@shared_task(name="inspection.send_weekly_report", acks_late=True, soft_time_limit=300, time_limit=360)
def send_weekly_report() -> bool:
    from .mail import queue_weekly_report

    return queue_weekly_report()


@shared_task(name="inspection.deliver_report_mail", acks_late=True, soft_time_limit=120, time_limit=180)
def deliver_report_mail(mail_id: int) -> int:
    from .mail import deliver

    return deliver(mail_id)
