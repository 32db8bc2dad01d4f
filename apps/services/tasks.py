"""Thin Celery tasks: ids in, the work in mail.py and actions."""

from celery import shared_task


@shared_task(name="services.notify", ignore_result=True, autoretry_for=(OSError,), retry_backoff=True,
             retry_kwargs={"max_retries": 5})
def notify(request_id: int, event_id: int) -> int:
    from .mail import send_change_mail

    return send_change_mail(request_id, event_id)


@shared_task(name="services.alert", ignore_result=True, autoretry_for=(OSError,), retry_backoff=True,
             retry_kwargs={"max_retries": 5})
def alert(request_id: int, kind: str) -> int:
    from .mail import send_alert

    return send_alert(request_id, kind)


@shared_task(name="services.send_deadline_alerts", ignore_result=True)
def send_deadline_alerts() -> dict:
    from .actions import send_deadline_alerts as sweep
    from .actions import send_rectification_alerts

    return {**sweep(), "rectification": send_rectification_alerts()}


@shared_task(name="services.rectification_alert", ignore_result=True, autoretry_for=(OSError,), retry_backoff=True,
             retry_kwargs={"max_retries": 5})
def rectification_alert(case_id: int, kind: str) -> int:
    from .mail import send_rectification_alert

    return send_rectification_alert(case_id, kind)
