"""Settings shared by every environment.

Nothing here turns DEBUG on or sets a real secret: dev.py, test.py and prod.py
decide those. Values that come from outside are read in environment.py only.
"""

from datetime import timedelta

import dj_database_url
from celery.schedules import crontab

from . import environment as env

BASE_DIR = env.BASE_DIR
VAR_DIR = env.VAR_DIR

DEBUG = False
SECRET_KEY = env.SECRET_KEY
ALLOWED_HOSTS = env.ALLOWED_HOSTS
CSRF_TRUSTED_ORIGINS = env.CSRF_TRUSTED_ORIGINS

INSTALLED_APPS = [
    # Project apps come first so their templates (admin index, lockout page)
    # win over the library defaults.
    "apps.core",
    "apps.accounts",
    "apps.editorial",
    "apps.media",
    "apps.pages",
    "apps.news",
    "apps.enterprises",
    "apps.services",
    "apps.portal",
    "parkportal.apps.ParkAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_celery_beat",
    "django_prose_editor",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Converts public HTML to Traditional Chinese under /zh-hant/ and guards
    # every public page against pinyin annotations. Sits inside LocaleMiddleware
    # so the active language is known when the response comes back.
    "apps.core.middleware.ScriptConversionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-axes must be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "parkportal.urls"
WSGI_APPLICATION = "parkportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.portal",
                "apps.portal.context_processors.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# With no DATABASE_URL the project runs on a SQLite file (embedded default).
# WAL and IMMEDIATE transactions let the web process, the worker and beat share
# the file without "database is locked" errors under normal load.
if env.DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            env.DATABASE_URL, conn_max_age=60, conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("OPTIONS", {})
        DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 3)
        # The test database is UTF-8 whatever the cluster's template1 says
        # (CHARSET alone fails against an SQL_ASCII template1: template0 takes any).
        DATABASES["default"]["TEST"] = {"CHARSET": "UTF8", "TEMPLATE": "template0"}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "parkportal.sqlite3",
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache ----------------------------------------------------------------------
# The file cache is shared by all local processes (web, worker, beat), which
# local-memory is not; Redis replaces it whenever REDIS_URL is set.
if env.REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": env.REDIS_URL,
            "KEY_PREFIX": "parkportal",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 2,
                "SOCKET_TIMEOUT": 2,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
        }
    }

# --- Auth and login hardening ----------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# --- Internationalisation ------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media ------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    # Uploaded originals and documents (apps.media): never served by URL; attachments
    # are streamed by a view with Content-Disposition and a restrictive CSP.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private")},
    },
}

# --- E-mail ----------------------------------------------------------------------
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.DEFAULT_FROM_EMAIL
SERVER_EMAIL = env.DEFAULT_FROM_EMAIL

# --- Celery ------------------------------------------------------------------------
# Broker: CELERY_BROKER_URL, else REDIS_URL, else kombu's filesystem transport,
# which is a real broker for a real worker and needs no server.
BROKER_DIR = VAR_DIR / "broker"
if env.CELERY_BROKER_URL:
    CELERY_BROKER_URL = env.CELERY_BROKER_URL
elif env.REDIS_URL:
    CELERY_BROKER_URL = env.REDIS_URL
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Image and video processing have their own queues so that ffmpeg never starves
# notifications (Procfile: --queues celery,media,video).
CELERY_TASK_ROUTES = {
    "media.render_image": {"queue": "media"},
    "media.transcode_video": {"queue": "video"},
}
CELERY_BEAT_SCHEDULE = {
    # The worker's heartbeat: /healthz reports "worker" red when it is stale.
    "core.record_heartbeat": {
        "task": "core.record_heartbeat",
        "schedule": timedelta(seconds=30),
        "options": {"expires": 25},
    },
    # Scheduled publishing: never early, never twice (see apps.editorial.actions.publish_due).
    "editorial.publish_due": {
        "task": "editorial.publish_due",
        "schedule": crontab(),
        "options": {"expires": 55},
    },
    # Re-queue media left pending or processing (broker was down, worker was killed).
    "media.sweep_stale": {
        "task": "media.sweep_stale",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 240},
    },
    # Service requests: one reminder before the due date, one overdue alert (apps.services.actions.alerts).
    "services.send_deadline_alerts": {
        "task": "services.send_deadline_alerts",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 600},
    },
    "core.prune_heartbeats": {
        "task": "core.prune_heartbeats",
        "schedule": crontab(minute=17, hour=3),
    },
}

# --- Logging ---------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# --- parkportal's own settings (all prefixed) ----------------------------------------
# OpenCC configuration for the Traditional-Chinese version: "s2t" (generic),
# "s2hk" (Hong Kong) or "s2tw" (Taiwan), without the ".json".
PARKPORTAL_OPENCC_CONFIG = env.OPENCC_CONFIG
# A worker heartbeat older than this turns /healthz red.
PARKPORTAL_HEALTH_WORKER_MAX_AGE = timedelta(seconds=120)
# Cookie that remembers elder mode (适老化).
PARKPORTAL_ELDER_COOKIE = "parkportal_elder"
PARKPORTAL_ELDER_COOKIE_MAX_AGE = 365 * 24 * 3600
# A public column not updated for this many days is flagged in the admin.
PARKPORTAL_COLUMN_STALE_DAYS = 14
# ... and warned about from this many days on, before it goes stale.
PARKPORTAL_COLUMN_WARN_DAYS = 10

# Editorial workflow (apps.editorial).
# Superusers obey the two-person rule unless this is True.
PARKPORTAL_EDITORIAL_SUPERUSER_EXEMPT = False
# After "changes requested", resubmission resumes at the step that asked for
# changes; True restarts the chain from its first step.
PARKPORTAL_EDITORIAL_RESTART_FROM_FIRST_STEP = False
# A scheduled publish must be at least this far in the future.
PARKPORTAL_EDITORIAL_MIN_SCHEDULE_LEAD = timedelta(minutes=5)
# An advisory edit lock lapses after this long.
PARKPORTAL_EDITORIAL_LOCK_TIMEOUT = timedelta(minutes=30)
# Default lifetime of a share-for-preview link.
PARKPORTAL_EDITORIAL_PREVIEW_LINK_DAYS = 7
# Base URL used in e-mails (no trailing slash).
PARKPORTAL_ADMIN_BASE_URL = env.ADMIN_BASE_URL

# Media (apps.media). Caps refuse an upload with a clear message; nothing is saved.
PARKPORTAL_MEDIA_IMAGE_MAX_BYTES = 20 * 1024 * 1024
# Pillow's warning zone starts at 89,478,485 pixels: anything above is refused.
PARKPORTAL_MEDIA_IMAGE_MAX_PIXELS = 89_478_485
PARKPORTAL_MEDIA_VIDEO_MAX_BYTES = 500 * 1024 * 1024
PARKPORTAL_MEDIA_VIDEO_MAX_SECONDS = 60 * 60
PARKPORTAL_MEDIA_CAPTIONS_MAX_BYTES = 512 * 1024
PARKPORTAL_MEDIA_ATTACHMENT_MAX_BYTES = 50 * 1024 * 1024
# Rendition set (apps.media.processing.RenditionConfig.from_mapping); empty = defaults:
# widths 320/640/1280/1920 and a 400x400 focal-point crop, each in AVIF, WebP and JPEG.
PARKPORTAL_MEDIA_RENDITIONS = {}
# Celery: time limits (seconds) and retries with exponential backoff.
PARKPORTAL_MEDIA_IMAGE_TIME_LIMIT = 300
PARKPORTAL_MEDIA_VIDEO_TIME_LIMIT = 1800
PARKPORTAL_MEDIA_MAX_RETRIES = 3
PARKPORTAL_MEDIA_RETRY_BACKOFF = 30
# The sweep re-queues an item still pending this long after it was queued, or still
# processing this long after its time limit; after this many attempts it is failed.
PARKPORTAL_MEDIA_REQUEUE_PENDING_AFTER = timedelta(minutes=10)
PARKPORTAL_MEDIA_REQUEUE_PROCESSING_GRACE = timedelta(minutes=5)
PARKPORTAL_MEDIA_MAX_ATTEMPTS = 5
