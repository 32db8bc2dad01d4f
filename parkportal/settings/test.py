"""Settings for the test suite: the same services as configured, fast hashing."""

from . import environment as env
from .base import *  # noqa: F401,F403
from .base import CACHES, VAR_DIR

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
    CACHES["default"]["KEY_PREFIX"] = "parkportal-test"
AXES_ENABLED = True

# Tests never share the development broker's queue folder or media files.
if "CELERY_BROKER_TRANSPORT_OPTIONS" in globals():
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "test-broker" / "queue"),
        "data_folder_out": str(VAR_DIR / "test-broker" / "queue"),
        "control_folder": str(VAR_DIR / "test-broker" / "control"),
        "store_processed": False,
    }
MEDIA_ROOT = VAR_DIR / "test-media"
if not env.REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WHITENOISE_USE_FINDERS = True
