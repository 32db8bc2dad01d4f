"""Thin Celery tasks: ids in, the work in mail.py and actions."""

from celery import shared_task


@shared_task(name="interaction.confirm", ignore_result=True, autoretry_for=(OSError,), retry_backoff=True,
             retry_kwargs={"max_retries": 5})
def confirm(message_id: int) -> int:
    from .mail import send_confirmation

    return send_confirmation(message_id)


@shared_task(name="interaction.alert", ignore_result=True, autoretry_for=(OSError,), retry_backoff=True,
             retry_kwargs={"max_retries": 5})
def alert(message_id: int, kind: str) -> int:
    from .mail import send_alert

    return send_alert(message_id, kind)


@shared_task(name="interaction.send_deadline_alerts", ignore_result=True)
def send_deadline_alerts() -> dict:
    from .actions import send_deadline_alerts as sweep

    return sweep()
