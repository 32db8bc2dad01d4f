"""The fault suite's machinery: a private Redis broker the test can stop and start,
a real Celery worker (and beat) started as subprocesses on the test database, and
``check``, which asserts and prints what was checked.

Everything here is real: the broker is a ``redis-server`` of its own on a free port
(the machine's shared Redis is never stopped), the worker is ``celery -A parkportal
worker`` in its own process group (so the test can SIGKILL one pool process or the
whole worker), and the worker reads and writes the very database the test uses
(a transactional test: its writes are committed). The worker and beat run with
``tests.faults.settings``: the test settings with the recovery intervals in seconds.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery

from tests.conftest import ROOT, missing
from tests.editorial.conftest import pages, people  # noqa: F401 - fixtures used by the fault tests

WORKER_SETTINGS = "tests.faults.settings"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/faults/" in item.nodeid:
            item.add_marker(pytest.mark.faults)


# --- what was checked ----------------------------------------------------------------------------

@pytest.fixture
def check(request):
    """``check(condition, "what")``: assert it, print it (``-s``), and keep it for the
    run's summary (tests/conftest.py prints every fault test's checks at the end)."""

    def record(condition, what: str):
        mark = "ok " if condition else "FAILED"
        line = f"{mark} {what}"
        print(f"[{request.node.name}] {line}")
        request.node.user_properties.append(("fault_check", line))
        assert condition, what

    return record


# --- services ------------------------------------------------------------------------------------

@pytest.fixture
def fault_services(transactional_db):
    """PostgreSQL (the worker process must see the test's database) and a redis-server binary."""
    from django.db import connection

    if connection.vendor != "postgresql":
        missing("the fault suite needs PostgreSQL (DATABASE_URL): the worker process shares the test database")
    if shutil.which("redis-server") is None:
        missing("the fault suite needs the redis-server binary (apt-get install redis-server)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own, stopped and started on the same port."""

    def __init__(self, tmp: Path):
        self.port = free_port()
        self.tmp = tmp
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.tmp)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return
            time.sleep(0.05)
        raise RuntimeError("the private redis-server did not start")

    def stop(self) -> None:
        """The broker dies (SIGKILL: no goodbye to its clients)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def private_redis(fault_services, tmp_path):
    redis = PrivateRedis(tmp_path)
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture
def broker(private_redis):
    """This test process sends its tasks (the outbox, after commit) to the private broker."""
    from parkportal.celery import app

    saved = os.environ.pop("CELERY_BROKER_URL", None)  # Celery reads it before its configuration
    private = Celery("faults", set_as_current=False)
    private.config_from_object("django.conf:settings", namespace="CELERY")
    private.conf.broker_url = private_redis.url
    private.conf.broker_transport_options = {"visibility_timeout": 30 * 60}
    private.conf.broker_connection_timeout = 1
    private.set_current()
    try:
        yield private_redis
    finally:
        app.set_current()
        with contextlib.suppress(Exception):
            private.close()
        if saved is not None:
            os.environ["CELERY_BROKER_URL"] = saved


# --- the worker and beat -------------------------------------------------------------------------

def _subprocess_env(broker_url: str) -> dict:
    from django.db import connection

    db = connection.settings_dict  # the test database's name, not the configured one
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    if os.environ.get("PYTEST_XDIST_WORKER"):  # the same media folders and cache prefix as this process
        env["PYTEST_XDIST_WORKER"] = os.environ["PYTEST_XDIST_WORKER"]
    env.update({
        "DJANGO_SETTINGS_MODULE": WORKER_SETTINGS,
        "DATABASE_URL": f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": broker_url,
        "PYTHONUNBUFFERED": "1",
    })
    return env


class Process:
    """A Celery process in its own process group, its output in a log file."""

    def __init__(self, name: str, args: list[str], env: dict, log: Path):
        self.name, self.log = name, log
        self.handle = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "parkportal", *args], cwd=ROOT, env=env,
            stdin=subprocess.DEVNULL, stdout=self.handle, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, text: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output():
                return
            if self.popen.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"{self.name}: no {text!r} within {timeout} s:\n{self.output()[-3000:]}")

    def children(self) -> list[int]:
        pid = self.popen.pid
        path = Path(f"/proc/{pid}/task/{pid}/children")
        return [int(p) for p in path.read_text().split()] if path.exists() else []

    def kill_all(self) -> None:
        """SIGKILL the whole process group: the worker and its pool processes, as in a crash."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self) -> None:
        """The test is over: no need for a graceful stop (its shutdown is tests/core/test_stack.py's)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=10)
        self.handle.close()


class Stack:
    """Workers and beat started by a test; all of them stopped when it ends."""

    def __init__(self, broker_url: str, tmp: Path):
        self.broker_url, self.tmp = broker_url, tmp
        self.processes: list[Process] = []

    def worker(self, *, concurrency: int = 1) -> Process:
        n = len(self.processes)
        process = Process(f"worker{n}", [
            "worker", "--loglevel", "INFO", "--concurrency", str(concurrency), "--pool", "prefork",
            "--queues", "celery,media,video", "--hostname", f"faults{n}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ], _subprocess_env(self.broker_url), self.tmp / f"worker{n}.log")
        self.processes.append(process)
        process.wait_for(" ready.")
        return process

    def beat(self) -> Process:
        process = Process("beat", ["beat", "--loglevel", "INFO", "--schedule", str(self.tmp / "beat-schedule")],
                          _subprocess_env(self.broker_url), self.tmp / "beat.log")
        self.processes.append(process)
        process.wait_for("beat: Starting")
        return process

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()


@pytest.fixture
def stack(broker, tmp_path):
    """Start workers and beat against the private broker and the test database.
    Stopped before the database is flushed (fixture order)."""
    running = Stack(broker.url, tmp_path)
    yield running
    running.stop()


def wait_until(predicate, timeout: float, interval: float = 0.2):
    """Poll ``predicate`` until it returns something true; (value, seconds taken)."""
    started = time.monotonic()
    while True:
        value = predicate()
        elapsed = time.monotonic() - started
        if value or elapsed > timeout:
            return value, elapsed
        time.sleep(interval)
