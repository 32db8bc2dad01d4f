"""Settings for the test suite: the same services as configured, fast hashing.

`make test` runs the suite in several processes (pytest-xdist). Each one gets its
own broker folders, media root, cache key prefix and Redis broker keys, so that no
worker drains, deletes or reads another's messages, files or cache entries. The
databases are separate already (pytest-django suffixes the test database per worker).
"""

from . import environment as env
from .base import *  # noqa: F401,F403
from .base import CACHES, CELERY_BROKER_TRANSPORT_OPTIONS, CELERY_BROKER_URL, VAR_DIR

#: "gw0", "gw1", ... under pytest-xdist; "main" for a single-process run.
TEST_WORKER = env.TEST_WORKER or "main"

DEBUG = False
SECRET_KEY = "test-only-key-not-secret"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# No manifest in tests: collectstatic is not part of the test run.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if env.REDIS_URL:
    # django-redis's delete_pattern("*") (tests/conftest.py) stays inside this prefix.
    CACHES["default"]["KEY_PREFIX"] = f"parkportal-test-{TEST_WORKER}"
AXES_ENABLED = True

# Tests never share the development broker's queue folder or media files, nor
# another test worker's.
if CELERY_BROKER_URL.startswith("filesystem://"):
    _BROKER_DIR = VAR_DIR / "test-broker" / TEST_WORKER
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "data_folder_in": str(_BROKER_DIR / "queue"),
        "data_folder_out": str(_BROKER_DIR / "queue"),
        "control_folder": str(_BROKER_DIR / "control"),
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # kombu prefixes every key of the Redis transport (queues, bindings, unacked).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "global_keyprefix": f"parkportal-test-{TEST_WORKER}:",
    }
MEDIA_ROOT = VAR_DIR / "test-media" / TEST_WORKER
if not env.REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WHITENOISE_USE_FINDERS = True
