"""The Celery application. Tasks live in each app's tasks.py and stay thin."""

import os

from celery import Celery
from celery.signals import worker_ready
from celery.utils.nodenames import worker_direct

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkportal.settings.dev")

app = Celery("parkportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_broker_folders() -> None:
    """Create the filesystem broker's folders (embedded default only)."""
    from django.conf import settings

    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if key in options:
            os.makedirs(options[key], exist_ok=True)


@worker_ready.connect
def queue_first_heartbeat(sender, **kwargs):
    """A started worker sends itself a heartbeat through the broker at once, so that
    /healthz turns green as soon as it consumes, not at beat's first 30-second tick.
    Its own queue (CELERY_WORKER_DIRECT): not behind tasks queued while it was down."""
    sender.app.send_task("core.record_heartbeat", queue=worker_direct(sender.hostname), expires=25)
