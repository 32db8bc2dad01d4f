import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def missing(reason: str):
    """Skip locally, fail in CI: CI must never pass by skipping what it needs."""
    if IN_CI:
        pytest.fail(f"CI needs this and it is missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Cached rows (site settings) must not outlive the test that wrote them.
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        cache.clear()
    yield


def run_django(code: str, *, env: dict | None = None, settings_module="parkportal.settings.test"):
    """Run Python code in a fresh process with Django set up; return the CompletedProcess."""
    # The browser tests allow async-unsafe ORM calls in this process only.
    full_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PYTEST") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    full_env["DJANGO_SETTINGS_MODULE"] = settings_module
    full_env.update(env or {})
    for key, value in list(full_env.items()):
        if value is None:
            del full_env[key]
    script = "import django; django.setup()\n" + code
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def make_user(db, django_user_model):
    from apps.accounts.roles import ROLES
    from django.contrib.auth.models import Group

    def make(username="user", *, roles=(), superuser=False, **extra):
        user = django_user_model.objects.create_user(
            username=username,
            password="irrelevant-password-123",
            is_staff=superuser or any(ROLES[r].is_staff for r in roles),
            is_superuser=superuser,
            **extra,
        )
        user.groups.set(Group.objects.filter(name__in=[ROLES[r].group_name for r in roles]))
        return user

    return make


@pytest.fixture
def chromium_path():
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        missing("Debian's chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture
def axe_source():
    path = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if not path.exists():
        missing("axe-core is not installed (npm ci)")
    return path.read_text()


def pytest_report_header(config):
    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return (
        f"parkportal: database={db} cache={settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]} "
        f"broker={settings.CELERY_BROKER_URL.split('://')[0]} CI={IN_CI}"
    )


class BrokerQueue:
    """The messages on a real broker queue, read back as a worker would read them."""

    def __init__(self, app, name="celery"):
        self.app = app
        self.name = name

    def drain(self) -> list[tuple[str, tuple, dict]]:
        messages = []
        with self.app.connection_for_read() as conn:
            queue = conn.SimpleQueue(self.name)
            try:
                while True:
                    try:
                        message = queue.get(block=True, timeout=0.2)
                    except queue.Empty:
                        break
                    args, kwargs, _embed = message.decode()
                    messages.append((message.headers["task"], tuple(args), dict(kwargs)))
                    message.ack()
            finally:
                queue.close()
        return messages

    def run(self, *, only: str | None = None) -> list:
        """Consume the queued tasks and execute them in this process; return their results."""
        results = []
        for task_name, args, kwargs in self.drain():
            if only and task_name != only:
                continue
            results.append(self.app.tasks[task_name].apply(args=args, kwargs=kwargs).get())
        return results


@pytest.fixture
def broker_queue():
    from parkportal.celery import app

    queue = BrokerQueue(app)
    queue.drain()  # start empty
    yield queue
    queue.drain()
