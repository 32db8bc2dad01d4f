"""Health checks for /healthz: database, cache, broker and a live worker.

/healthz is public (the load balancer's probe), so a failure is reported by
name only; what went wrong (driver messages with hosts and ports) goes to the
log, never into the response.
"""

import logging
import time
import uuid

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

logger = logging.getLogger(__name__)


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def check_cache() -> dict:
    token = uuid.uuid4().hex
    cache.set("core:healthz", token, 30)
    if cache.get("core:healthz") != token:
        raise RuntimeError("cache did not return the value just written")
    return {}


def check_broker() -> dict:
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        return {"transport": conn.transport.driver_type}


def check_worker() -> dict:
    from .models import WorkerHeartbeat

    last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    if last is None:
        raise RuntimeError("no worker has answered yet")
    age = timezone.now() - last
    if age > settings.PARKPORTAL_HEALTH_WORKER_MAX_AGE:
        raise RuntimeError(f"last worker heartbeat {int(age.total_seconds())} s ago")
    return {"last_seen": last.isoformat(), "age_seconds": int(age.total_seconds())}


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "worker": check_worker,
}


def run_checks() -> tuple[bool, dict]:
    """Run every check; return (all ok, {name: {"ok", "ms", details}}) without error text."""
    results = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            details = check()
            results[name] = {"ok": True, **details}
        except Exception as exc:  # each failure is reported, never raised
            logger.warning("healthz: %s check failed: %s: %s", name, type(exc).__name__, exc)
            results[name] = {"ok": False}
        results[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
    return all(r["ok"] for r in results.values()), results
