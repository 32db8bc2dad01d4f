"""/healthz: green with everything up; 503 naming what failed otherwise.

Failures are real, not mocked: a subprocess is pointed at a database, cache or
broker URL where nothing listens; a stale worker is a heartbeat in the past.
The endpoint is public: the body names what failed, the reasons go to the log only.
"""

import json
import logging
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core import actions
from apps.core.models import WorkerHeartbeat
from tests.conftest import run_django

NOTHING_LISTENS = "127.0.0.1:9"  # the discard port: connection refused on loopback


def get_health(client):
    response = client.get("/healthz")
    return response.status_code, json.loads(response.content)


def test_healthz_is_green_when_every_service_answers_and_a_worker_beat_recently(client, db):
    actions.record_heartbeat("celery@test-worker")
    status, body = get_health(client)
    assert status == 200, body
    assert body["status"] == "ok"
    assert body["failed"] == []
    assert set(body["checks"]) == {"database", "cache", "broker", "worker"}
    assert body["checks"]["worker"]["age_seconds"] < 5


def test_healthz_is_red_naming_the_worker_when_no_worker_ever_answered(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="apps.core.health"):
        status, body = get_health(client)
    assert status == 503
    assert body["failed"] == ["worker"]
    assert body["checks"]["worker"] == {"ok": False, "ms": body["checks"]["worker"]["ms"]}
    # The reason is in the log, not in the public body.
    assert "no worker" not in json.dumps(body)
    assert any("worker" in r.getMessage() and "no worker" in r.getMessage() for r in caplog.records)


def test_healthz_is_red_when_the_last_heartbeat_is_stale(client, db, settings):
    WorkerHeartbeat.objects.create(
        hostname="celery@old",
        seen_at=timezone.now() - settings.PARKPORTAL_HEALTH_WORKER_MAX_AGE - timedelta(seconds=5),
    )
    status, body = get_health(client)
    assert status == 503
    assert body["failed"] == ["worker"]


def test_healthz_answers_only_safe_methods(client, db):
    assert client.post("/healthz").status_code == 405


HEALTH_IN_SUBPROCESS = """
import json
from django.test import Client
response = Client().get('/healthz')
print(json.dumps({'status': response.status_code, 'body': json.loads(response.content)}))
"""


def _health_in_subprocess(env):
    result = run_django(HEALTH_IN_SUBPROCESS, env=env)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    out["log"] = result.stderr
    return out


def assert_no_details_leak(body):
    """Neither the unreachable host and port nor the driver's error text is public."""
    text = json.dumps(body)
    for leak in ("127.0.0.1", ":9", "nobody", "Error", "refused", "error"):
        assert leak not in text, (leak, text)
    for result in body["checks"].values():
        assert set(result) <= {"ok", "ms", "transport", "last_seen", "age_seconds"}, result


def test_healthz_reports_the_database_down(tmp_path):
    out = _health_in_subprocess({"DATABASE_URL": f"postgres://nobody@{NOTHING_LISTENS}/nothing"})
    assert out["status"] == 503
    assert "database" in out["body"]["failed"]
    assert out["body"]["checks"]["database"]["ok"] is False
    assert_no_details_leak(out["body"])
    assert "healthz: database check failed: OperationalError" in out["log"]


def test_healthz_reports_the_broker_down():
    out = _health_in_subprocess({"CELERY_BROKER_URL": f"redis://{NOTHING_LISTENS}/0"})
    assert out["status"] == 503
    assert "broker" in out["body"]["failed"]
    assert_no_details_leak(out["body"])
    assert "healthz: broker check failed" in out["log"]


def test_healthz_reports_the_cache_down():
    out = _health_in_subprocess(
        {"REDIS_URL": f"redis://{NOTHING_LISTENS}/0", "CELERY_BROKER_URL": "filesystem://"}
    )
    assert out["status"] == 503
    assert "cache" in out["body"]["failed"]
    assert_no_details_leak(out["body"])
    assert "healthz: cache check failed" in out["log"]


@pytest.mark.services
def test_a_real_worker_consumes_the_heartbeat_task_from_the_broker(transactional_db):
    """Not eager mode: the task goes through the configured broker to a worker thread."""
    from celery.contrib.testing.worker import start_worker

    from apps.core.tasks import record_heartbeat
    from parkportal.celery import app

    assert not app.conf.task_always_eager
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, loglevel="WARNING"):
        record_heartbeat.delay()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not WorkerHeartbeat.objects.exists():
            time.sleep(0.2)
    beat = WorkerHeartbeat.objects.get()
    assert beat.hostname  # the worker's own node name
    assert timezone.now() - beat.seen_at < timedelta(seconds=30)
