"""`make run`'s stack: graceful stop, logs, mail and the broker settings behind them.

The stop tests run the real runner (python -m parkportal.stack) on a Procfile in a
temporary folder, with a real Celery worker on its own filesystem broker.
"""

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import mail

from tests.conftest import ROOT, run_django

TRAPS_TERM = (
    "import signal, sys, time\n"
    "signal.signal(signal.SIGTERM, lambda *a: (print('cleaned up', flush=True), sys.exit(0)))\n"
    "print('ready', flush=True)\n"
    "time.sleep(60)\n"
)


def start_stack(tmp_path: Path, procfile: str, env: dict | None = None) -> subprocess.Popen:
    (tmp_path / "Procfile").write_text(procfile)
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_CURRENT")}
    full_env.update({"DJANGO_SETTINGS_MODULE": "parkportal.settings.dev", "PYTHONPATH": str(ROOT)})
    full_env.update(env or {})
    return subprocess.Popen(
        [sys.executable, "-m", "parkportal.stack", str(tmp_path / "Procfile")],
        cwd=ROOT, env=full_env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )


def wait_for_line(proc: subprocess.Popen, text: str, timeout: float = 60) -> list[str]:
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line)
        if text in line:
            return seen
    proc.kill()
    raise AssertionError(f"{text!r} never printed:\n{''.join(seen)}")


def traps_term(tmp_path) -> str:
    script = tmp_path / "traps_term.py"
    script.write_text(TRAPS_TERM)
    return f"{sys.executable} {script}"


def test_sigint_stops_every_process_gracefully_and_exits_0(tmp_path):
    command = traps_term(tmp_path)
    stack = start_stack(tmp_path, f"one: {command}\ntwo: {command}\n")
    seen = "".join(wait_for_line(stack, " | ready"))
    if not ("one | ready" in seen and "two | ready" in seen):
        wait_for_line(stack, " | ready")  # both have their SIGTERM handler now
    stack.send_signal(signal.SIGINT)
    out, _ = stack.communicate(timeout=30)
    assert stack.returncode == 0, out
    assert out.count("cleaned up") == 2  # each got SIGTERM and ran its handler


def test_a_process_that_dies_stops_the_others_and_the_status_says_so(tmp_path):
    stack = start_stack(tmp_path, f"sleeper: {traps_term(tmp_path)}\ncrash: {sys.executable} -c 'import time; time.sleep(3); raise SystemExit(3)'\n")
    out, _ = stack.communicate(timeout=30)
    assert stack.returncode == 3, out
    assert "cleaned up" in out


@pytest.mark.services
def test_stopping_the_worker_puts_the_tasks_it_holds_back_on_the_queue(tmp_path):
    """A Ctrl-C while the worker holds tasks (here: with a countdown, held unacknowledged
    in the worker) loses none of them: they are back on the filesystem broker's queue."""
    env = {"PARKPORTAL_VAR_DIR": str(tmp_path / "var"), "DATABASE_URL": "", "REDIS_URL": "", "CELERY_BROKER_URL": ""}
    migrated = run_django("from django.core.management import call_command; call_command('migrate', verbosity=0)",
                          env=env, settings_module="parkportal.settings.dev")
    assert migrated.returncode == 0, migrated.stderr
    stack = start_stack(tmp_path, "worker: celery -A parkportal worker --loglevel INFO --concurrency 1\n",
                        env=dict(env, PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}"))
    wait_for_line(stack, "ready.")
    queued = run_django(
        "from parkportal.celery import app\n"
        "print(' '.join(app.send_task('core.record_heartbeat', countdown=300).id for _ in range(3)))",
        env=env, settings_module="parkportal.settings.dev",
    )
    assert queued.returncode == 0, queued.stderr
    ids = queued.stdout.split()
    seen = wait_for_line(stack, ids[-1])  # received by the worker, held until its countdown
    queue = tmp_path / "var" / "broker" / "queue"
    assert not any(i in p.read_text() for p in queue.iterdir() for i in ids), "".join(seen)
    stack.send_signal(signal.SIGINT)
    out, _ = stack.communicate(timeout=60)
    assert stack.returncode == 0, "".join(seen) + out
    back = [i for i in ids if any(i in p.read_text() for p in queue.iterdir())]
    assert back == ids, "".join(seen) + out


def test_the_health_probes_503_is_a_warning_not_an_error(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="django.request"):
        assert client.get("/healthz").status_code == 503  # no worker has answered
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and all(r.levelno == logging.WARNING for r in records)


def test_other_503s_stay_errors(caplog):
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.utils.log import log_response

    with caplog.at_level(logging.INFO, logger="django.request"):
        log_response("Service Unavailable: %s", "/news/", response=HttpResponse(status=503),
                     request=RequestFactory().get("/news/"))
    assert [r.levelno for r in caplog.records if r.name == "django.request"] == [logging.ERROR]


def test_the_filesystem_broker_warns_of_no_missing_hostname():
    result = run_django(
        "from parkportal.celery import app\n"
        "with app.connection_for_write() as conn:\n"
        "    conn.ensure_connection(max_retries=1)\n"
        "    print(conn.as_uri())",
        env={"DATABASE_URL": "", "REDIS_URL": "", "CELERY_BROKER_URL": ""},
        settings_module="parkportal.settings.dev",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("filesystem://")
    assert "No hostname was supplied" not in result.stderr


def test_the_demo_users_mail_is_not_printed_but_real_addresses_are(settings, capsys, caplog):
    settings.EMAIL_BACKEND = "parkportal.mail.DevEmailBackend"
    with caplog.at_level(logging.DEBUG, logger="parkportal.mail"):
        sent = mail.send_mail("待审核：园区新闻", "正文", None, ["reviewer@demo.parkportal.invalid"])
        mail.send_mail("待审核：园区动态", "正文", None, ["someone@example.com"])
    printed = capsys.readouterr().out
    assert sent == 1
    assert "To: someone@example.com" in printed and "parkportal.invalid" not in printed
    assert any("reviewer@demo.parkportal.invalid" in r.getMessage() for r in caplog.records)


def test_broker_timeouts_let_a_crashed_workers_tasks_come_back_without_duplicates():
    code = (
        "from django.conf import settings\n"
        "from apps.media import tasks\n"
        "print(settings.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'],"
        " max(t.time_limit for t in (tasks.render_image, tasks.transcode_video)))"
    )
    result = run_django(code, env={"CELERY_BROKER_URL": "redis://127.0.0.1:6379/0"})
    assert result.returncode == 0, result.stderr
    visibility, longest_hard_limit = map(float, result.stdout.split())
    rabbitmq_consumer_timeout = 30 * 60
    assert longest_hard_limit < visibility  # else Redis hands a running task out twice
    assert longest_hard_limit < rabbitmq_consumer_timeout
