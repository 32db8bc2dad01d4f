"""The one place that reads the process environment.

Every setting that can come from outside is read here and nowhere else, so a
reader can see at a glance what a deployment may configure.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str) -> list[str]:
    raw = os.environ.get(name, "")
    return [item.strip() for item in raw.split(",") if item.strip()]


def _str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


# Secrets and hosts: production refuses to start without them (see prod.py).
SECRET_KEY = _str("SECRET_KEY")
ALLOWED_HOSTS = _list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = _list("CSRF_TRUSTED_ORIGINS")
DEBUG = _bool("DEBUG", False)

# Services. Empty means "embedded default" (SQLite, file cache, file broker).
DATABASE_URL = _str("DATABASE_URL")
REDIS_URL = _str("REDIS_URL")
CELERY_BROKER_URL = _str("CELERY_BROKER_URL")

# Where the embedded defaults keep their files (SQLite, cache, broker queue).
VAR_DIR = Path(_str("PARKPORTAL_VAR_DIR") or BASE_DIR / "var")

# Production extras.
EMAIL_HOST = _str("EMAIL_HOST", "localhost")
EMAIL_PORT = int(_str("EMAIL_PORT", "25"))
EMAIL_HOST_USER = _str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = _str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = _bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = _str("DEFAULT_FROM_EMAIL", "parkportal@localhost")
MEDIA_STORAGE = _str("PARKPORTAL_MEDIA_STORAGE", "filesystem")  # or "s3"
S3_BUCKET = _str("PARKPORTAL_S3_BUCKET")  # public: renditions, web videos, posters
S3_PRIVATE_BUCKET = _str("PARKPORTAL_S3_PRIVATE_BUCKET")  # private: uploaded originals
S3_ENDPOINT_URL = _str("PARKPORTAL_S3_ENDPOINT_URL")
SECURE_HSTS_SECONDS = int(_str("SECURE_HSTS_SECONDS", "31536000"))
SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", True)
OPENCC_CONFIG = _str("PARKPORTAL_OPENCC_CONFIG", "s2tw")
ADMIN_BASE_URL = _str("PARKPORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# How many reverse proxies stand in front of the web processes and append to
# X-Forwarded-For (nginx: 1). 0 (the default): the header is ignored, the client is
# REMOTE_ADDR, so a forged header cannot dodge the login lockout.
TRUSTED_PROXIES = int(_str("PARKPORTAL_TRUSTED_PROXIES", "0") or "0")

# Running inside CI: missing services are failures, never skips.
CI = _bool("CI", False)

# The test suite under pytest-xdist: this process's worker name ("gw0", "gw1", ...),
# empty otherwise. test.py gives each worker its own files, cache keys and broker keys.
TEST_WORKER = _str("PYTEST_XDIST_WORKER")
