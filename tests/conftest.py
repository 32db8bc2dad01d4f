import contextvars
import functools
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


#: The queues the Procfile's worker consumes (CELERY_TASK_ROUTES).
BROKER_QUEUES = ("celery", "media", "video")


def purge_broker_queues() -> None:
    """Empty this test process's queues on the real broker (each pytest-xdist worker
    has its own: parkportal/settings/test.py)."""
    from parkportal.celery import app

    with app.connection_for_write() as conn:
        for name in BROKER_QUEUES:
            try:
                conn.default_channel.queue_purge(name)
            except Exception:  # noqa: BLE001 - a queue never declared (RabbitMQ), a broker down
                conn.release()
                return


@pytest.fixture(scope="session", autouse=True)
def _broker_empty_at_start(_render_guard_installed):
    """Tasks left on the broker by an interrupted earlier run are not this run's."""
    if _render_guard_installed:  # Django is set up (not a -p no:django run)
        purge_broker_queues()
    yield


@pytest.fixture(autouse=True)
def _broker_empty_after_committing_tests(request):
    """Tests on a transactional database run their on-commit callbacks for real, which
    queue tasks (notifications, renditions) on the broker; no later test inherits them
    (a test's own worker would otherwise work through them first)."""
    yield
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        purge_broker_queues()


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request under /zh-hant/ leaves zh-hant active in this thread (LocaleMiddleware
    does not reset it): the next test must not inherit it (its get_absolute_url() would
    carry the /zh-hant/ prefix)."""
    yield
    if settings.configured:
        from django.utils import translation

        translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Cached rows (site settings) must not outlive the test that wrote them.
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        cache.clear()
    yield


# --- No rendition is ever made while a request is being handled (issue 4) ---------------------

class RenderedDuringRequest(AssertionError):
    """A rendering entry point was called while Django was handling a request."""


_IN_REQUEST: "contextvars.ContextVar[str | None]" = contextvars.ContextVar("parkportal_in_request", default=None)
#: Violations seen during the current test, so that a view swallowing the
#: exception (a broad ``except Exception``) still fails the test.
RENDER_GUARD_VIOLATIONS: list[str] = []

#: (module, attribute) of every function that decodes, renders or transcodes media.
RENDER_ENTRY_POINTS = (
    ("apps.media.renditions", "render_renditions"),
    ("apps.media.actions", "process_image"),  # re-exported from apps.media.processing
    ("apps.media.actions", "process_video"),
    ("apps.media.processing", "process_image"),  # what the tasks call
    ("apps.media.processing", "process_video"),
    ("apps.media.video", "transcode"),
    ("apps.media.video", "extract_poster"),
)


def _guarded(name, func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        path = _IN_REQUEST.get()
        if path is not None:
            message = f"{name}() called while handling the request {path}: media are processed by the worker only"
            RENDER_GUARD_VIOLATIONS.append(message)
            raise RenderedDuringRequest(message)
        return func(*args, **kwargs)

    wrapper.__render_guard__ = func
    return wrapper


def _install_render_guard() -> bool:
    """Wrap the rendering entry points and mark every request (sync and async,
    test client and live server: ``BaseHandler.get_response``) in a context
    variable, which is per thread and follows ``sync_to_async``. A worker
    subprocess, or a task run by the test itself, is outside any request."""
    from django.apps import apps

    if not (settings.configured and apps.ready):
        return False  # e.g. tests/media/test_processing.py run with -p no:django
    import importlib

    from django.core.handlers.base import BaseHandler

    if not hasattr(BaseHandler.get_response, "__render_guard__"):
        get_response, get_response_async = BaseHandler.get_response, BaseHandler.get_response_async

        @functools.wraps(get_response)
        def sync_handler(self, request):
            token = _IN_REQUEST.set(request.get_full_path())
            try:
                return get_response(self, request)
            finally:
                _IN_REQUEST.reset(token)

        @functools.wraps(get_response_async)
        async def async_handler(self, request):
            token = _IN_REQUEST.set(request.get_full_path())
            try:
                return await get_response_async(self, request)
            finally:
                _IN_REQUEST.reset(token)

        sync_handler.__render_guard__ = get_response
        BaseHandler.get_response, BaseHandler.get_response_async = sync_handler, async_handler
    for module_name, attribute in RENDER_ENTRY_POINTS:
        module = importlib.import_module(module_name)
        func = getattr(module, attribute)
        if not hasattr(func, "__render_guard__"):
            setattr(module, attribute, _guarded(f"{module_name}.{attribute}", func))
    return True


@pytest.fixture(scope="session", autouse=True)
def _render_guard_installed():
    yield _install_render_guard()


@pytest.fixture(autouse=True)
def _no_rendering_during_requests(_render_guard_installed):
    """Fails a test in which any request rendered an image or transcoded a video,
    even if the view caught the exception. ``render_guard`` reads and clears them."""
    RENDER_GUARD_VIOLATIONS.clear()
    yield
    violations, RENDER_GUARD_VIOLATIONS[:] = list(RENDER_GUARD_VIOLATIONS), []
    if violations:
        pytest.fail("media rendered during a request:\n" + "\n".join(violations), pytrace=False)


@pytest.fixture
def render_guard():
    """For the tests of the guard itself: the violations so far, cleared after reading."""

    def take() -> list[str]:
        seen = list(RENDER_GUARD_VIOLATIONS)
        RENDER_GUARD_VIOLATIONS.clear()
        return seen

    return take


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


def pytest_terminal_summary(terminalreporter):
    """What the fault suite checked (tests/faults: the ``check`` fixture), one line per
    check, in the run's summary: visible in CI without ``-s`` (and from xdist workers)."""
    lines = []
    for key in ("passed", "failed", "error"):
        for report in terminalreporter.stats.get(key, []):
            checks = [value for name, value in getattr(report, "user_properties", ()) if name == "fault_check"]
            if checks and getattr(report, "when", "call") == "call":
                lines.append(f"{report.nodeid} ({report.outcome})")
                lines.extend(f"    {line}" for line in checks)
    if lines:
        terminalreporter.write_sep("-", "fault suite: what was checked")
        for line in lines:
            terminalreporter.write_line(line)
