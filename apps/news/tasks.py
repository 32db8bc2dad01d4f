from celery import shared_task

from . import demo
from .models import PressRelease


@shared_task(name="news.finish_demo_release", bind=True, acks_late=True, ignore_result=True,
             max_retries=60, soft_time_limit=60, time_limit=90)
def finish_demo_release(self, release_id: int) -> str:
    """Demo only: publish a demo release's picture version once the worker has made
    its renditions (retried every 10 s for up to ten minutes)."""
    release = PressRelease._base_manager.filter(pk=release_id).first()
    if release is None:
        return "missing"
    if demo.finish(release):
        return "done"
    raise self.retry(countdown=10)
