from celery import shared_task

from . import actions, outbox


@shared_task(name="core.record_heartbeat", bind=True, ignore_result=True)
def record_heartbeat(self) -> None:
    # The worker's own node name (celery@host), so each worker has its row.
    actions.record_heartbeat(self.request.hostname)


@shared_task(name="core.prune_heartbeats", ignore_result=True)
def prune_heartbeats() -> int:
    return actions.prune_heartbeats()


@shared_task(name="core.deliver_outbox", ignore_result=True)
def deliver_outbox() -> int:
    """Send what actions queued while the broker was down."""
    return outbox.deliver_pending()


@shared_task(name="core.prune_outbox", ignore_result=True)
def prune_outbox() -> int:
    return outbox.prune_sent()


@shared_task(name="core.flush_view_counts", ignore_result=True)
def flush_view_counts() -> int:
    """Move the view counters of the shared cache into the database (each view once)."""
    from . import viewcounts

    return viewcounts.flush()
