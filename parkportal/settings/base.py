"""Settings shared by every environment.

Nothing here turns DEBUG on or sets a real secret: dev.py, test.py and prod.py
decide those. Values that come from outside are read in environment.py only.
"""

from datetime import timedelta

import dj_database_url
from celery.schedules import crontab

from . import environment as env
from .behind_proxy import client_address_settings

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
    "apps.talent",
    "apps.stations",
    "apps.services",
    "apps.open311",
    "apps.inspection",
    "apps.policies",
    "apps.interaction",
    "apps.search",
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
    "rest_framework",
    "drf_spectacular",
    "csp",
    "apps.accounts.apps.LoginGuardConfig",  # django-axes
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (public pages, admin, previews).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Whole pages for anonymous readers (no session cookie): outside sessions,
    # locale and script conversion, so a hit touches neither the session store nor
    # the database, and what is stored is the final, converted bytes.
    # 浏览次数: counts a view for a page marked by its view, on page-cache hits too
    # (apps.core.viewcounts), so it sits just outside the page cache.
    "apps.core.viewcounts.ViewCountMiddleware",
    "apps.core.pagecache_middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Converts public HTML to Traditional Chinese under /zh-hant/ and guards
    # every public page against pinyin annotations. Sits inside LocaleMiddleware
    # so the active language is known when the response comes back.
    "apps.core.middleware.ScriptConversionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads the body (CSRF reads POST in process_view).
    "apps.accounts.middleware.AnonymousBodyLimitMiddleware",
    # NUL characters in parameters: a 400, never a database error.
    "apps.core.middleware.RejectNulBytesMiddleware",
    "apps.accounts.middleware.StaffIdleTimeoutMiddleware",
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
                "apps.portal.context_processors.portal",
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
        # psycopg 3 sends the parameters apart from the statement (no quoting in
        # Python, no literals for the server to parse): bulk writes such as an
        # import's 20,000 rows cost less (docs/BENCHMARKS.md). Statements are not
        # prepared (Django leaves prepare_threshold unset), so PgBouncer's
        # transaction pooling still works.
        DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", True)
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
            # Whole pages live here too (the page cache): the default 300 entries
            # would cull a third of them on most stores.
            "OPTIONS": {"MAX_ENTRIES": 5000},
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
# Where a login lands when ``next`` is missing or refused (another host, javascript:):
# the admin's home, not Django's default /accounts/profile/ (a 404 here).
LOGIN_REDIRECT_URL = "admin:index"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Also lock an address that fails this often across usernames (password spraying).
AXES_HANDLER = "apps.accounts.lockout.AddressLimitHandler"
PARKPORTAL_LOGIN_ADDRESS_FAILURE_LIMIT = 20
# The client address: REMOTE_ADDR unless PARKPORTAL_TRUSTED_PROXIES proxies are in
# front (then their X-Forwarded-For entry; see behind_proxy.py).
PARKPORTAL_TRUSTED_PROXIES = env.TRUSTED_PROXIES
_client_address = client_address_settings(PARKPORTAL_TRUSTED_PROXIES)
AXES_IPWARE_PROXY_COUNT = _client_address["AXES_IPWARE_PROXY_COUNT"]
AXES_IPWARE_PROXY_ORDER = _client_address["AXES_IPWARE_PROXY_ORDER"]
AXES_IPWARE_META_PRECEDENCE_ORDER = _client_address["AXES_IPWARE_META_PRECEDENCE_ORDER"]
IPWARE_STRICT = _client_address["IPWARE_STRICT"]
# A staff session ends after this long without a request.
PARKPORTAL_STAFF_SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
# Request bodies from visitors who are not logged in (login, public forms): at most this.
PARKPORTAL_ANONYMOUS_MAX_BODY_BYTES = 256 * 1024

# --- Content-Security-Policy (django-csp 4) ----------------------------------------
# No inline script anywhere: public pages have none, the admin's only one is the
# rich-text editor's import map, which carries the request's nonce
# (templates/admin/change_form.html, {% nonced_media %}). Inline style attributes
# stay allowed (the admin and the editor set them).
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "media-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}

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
#
# Nothing is lost when a worker stops or dies (README, "Workers and failures"):
# tasks are acknowledged after they ran (acks_late), a task whose pool process died
# goes back to the queue (reject_on_worker_lost), and on a stop (`make run`'s Ctrl-C
# sends SIGQUIT) the worker takes no new task, lets running tasks end for
# WORKER_SOFT_SHUTDOWN_TIMEOUT seconds and puts the rest back on the queue. After a
# crash of the whole worker, RabbitMQ redelivers at once; Redis redelivers the tasks
# it had handed out after the visibility timeout below, which must be longer than the
# longest task's hard time limit (the video transcode's) or a running task would be
# delivered twice; media rows are also re-queued by media.sweep_stale (every minute).
# The filesystem broker never redelivers: there the sweep is the recovery.
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
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
        # kombu's default polls the folder once a second, which is a second per task
        # when tasks queue up behind each other (115 demo mails took two minutes).
        "polling_interval": 0.1,
    }
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 30 * 60}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = 10
# Each worker also consumes a queue of its own (parkportal.celery's first heartbeat).
CELERY_WORKER_DIRECT = True
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
    # Scheduled publishing: never early, never twice (see apps.editorial.actions.scheduling.publish_due).
    "editorial.publish_due": {
        "task": "editorial.publish_due",
        "schedule": crontab(),
        "options": {"expires": 55},
    },
    # Re-queue media left pending or processing (broker was down, worker was killed).
    "media.sweep_stale": {
        "task": "media.sweep_stale",
        "schedule": timedelta(minutes=1),  # PARKPORTAL_MEDIA_SWEEP_INTERVAL below
        "options": {"expires": 50},
    },
    # Send what actions queued while the broker was down (apps.core.outbox).
    "core.deliver_outbox": {
        "task": "core.deliver_outbox",
        "schedule": crontab(),
        "options": {"expires": 55},
    },
    "core.prune_outbox": {
        "task": "core.prune_outbox",
        "schedule": crontab(minute=29, hour=3),
    },
    # Service requests: one reminder before the due date, one overdue alert (apps.services.actions.alerts).
    "services.send_deadline_alerts": {
        "task": "services.send_deadline_alerts",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 600},
    },
    # The link and attachment checker (apps.inspection.linkcheck): nightly.
    "inspection.check_links": {
        "task": "inspection.check_links",
        "schedule": crontab(minute=40, hour=2),
    },
    # Wording hits of live content (also re-scanned whenever a list changes).
    "inspection.rescan_live_wording": {
        "task": "inspection.rescan_live_wording",
        "schedule": crontab(minute=10, hour=2),
    },
    # The self-inspection report mail to site administrators when anything is warn or
    # fail: beat asks daily, a row per week makes it once a week (apps.inspection.mail).
    "inspection.send_weekly_report": {
        "task": "inspection.send_weekly_report",
        "schedule": crontab(minute=0, hour=8),
        "options": {"expires": 3600},
    },
    # 浏览次数: the cache counters into the database (apps.core.viewcounts).
    "core.flush_view_counts": {
        "task": "core.flush_view_counts",
        "schedule": timedelta(seconds=300),  # PARKPORTAL_VIEWCOUNT_FLUSH_SECONDS below
        "options": {"expires": 240},
    },
    # Consultations: one reminder before the reply is due, one overdue alert (apps.interaction.actions).
    "interaction.send_deadline_alerts": {
        "task": "interaction.send_deadline_alerts",
        "schedule": crontab(minute="7-59/15"),
        "options": {"expires": 600},
    },
    # Refused and cancelled import files are kept PARKPORTAL_ENTERPRISES_IMPORT_RETENTION_DAYS.
    "enterprises.purge_import_files": {
        "task": "enterprises.purge_import_files",
        "schedule": crontab(minute=43, hour=3),
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
    "filters": {
        "health_probe": {"()": "parkportal.logs.HealthProbeNotAnError"},
        "no_default_host": {"()": "parkportal.logs.NoDefaultHostWarning"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["health_probe"]},
        "kombu.connection": {"filters": ["no_default_host"]},
        "axes": {"level": "WARNING"},
    },
}

# --- parkportal's own settings (all prefixed) ----------------------------------------
# OpenCC configuration for the Traditional-Chinese version, without the ".json":
# "s2tw" (the default: the Taiwan character standard, 為/群眾/裡, and no change of
# vocabulary), "s2t" (OpenCC's own standard: 爲/羣衆/裏), "s2hk" (Hong Kong: 羣/裏).
# The project's phrase dictionary (apps/core/opencc/phrases.txt) is applied on top.
PARKPORTAL_OPENCC_CONFIG = env.OPENCC_CONFIG
# A worker heartbeat older than this turns /healthz red.
PARKPORTAL_HEALTH_WORKER_MAX_AGE = timedelta(seconds=120)
# Cookie that remembers elder mode (适老化).
PARKPORTAL_ELDER_COOKIE = "parkportal_elder"
PARKPORTAL_ELDER_COOKIE_MAX_AGE = 365 * 24 * 3600

# Uploaded import files of refused or cancelled imports are deleted after this many days
# (apps.enterprises.importing.purge_import_files, daily by beat); the import history stays.
PARKPORTAL_ENTERPRISES_IMPORT_RETENTION_DAYS = 30

# --- Page cache (apps.core.pagecache_middleware; docs/ARCHITECTURE.md "Page cache") ---
# Whole public pages for anonymous readers in the default cache (Redis in production,
# the file cache in the embedded default), invalidated by pagecache.content_changed().
PARKPORTAL_PAGECACHE_ENABLED = True
PARKPORTAL_PAGECACHE_TIMEOUT = 600  # seconds; never past pagecache.next_change()
PARKPORTAL_PAGECACHE_SHARED_MAX_AGE = 5  # s-maxage for a reverse proxy's micro-cache
PARKPORTAL_PAGECACHE_VARY_COOKIES = (PARKPORTAL_ELDER_COOKIE,)  # cookies that change a public page
PARKPORTAL_PAGECACHE_EXCLUDED_NAMESPACES = ("admin", "editorial")  # the admin, previews, share links
# 浏览次数 (apps.core.viewcounts): beat flushes the cache counters this often (the
# figure on a page lags by up to this, plus the page cache's lifetime); on a cache other
# than Redis the counters are guarded by a lock on this file.
PARKPORTAL_VIEWCOUNT_FLUSH_SECONDS = 300
PARKPORTAL_VIEWCOUNT_LOCK_FILE = VAR_DIR / "viewcounts.lock"
# Consultations (apps.interaction): the reply is due this many working days after
# acceptance, the desk is reminded this many working days before; the message form's
# anti-spam (posts per address per window, minimum and maximum seconds on the form)
# and the tracking lookup's limit.
PARKPORTAL_INTERACTION_REPLY_WORKDAYS = 10
PARKPORTAL_INTERACTION_REMIND_WORKDAYS = 2
PARKPORTAL_INTERACTION_SUBMIT_LIMIT = 5
PARKPORTAL_INTERACTION_SUBMIT_WINDOW = 3600
PARKPORTAL_INTERACTION_MIN_FORM_SECONDS = 5
PARKPORTAL_INTERACTION_FORM_MAX_AGE = 7200
PARKPORTAL_INTERACTION_LOOKUP_LIMIT = 10
PARKPORTAL_INTERACTION_LOOKUP_WINDOW = 600
# A public column not updated for this many days is flagged in the admin.
PARKPORTAL_COLUMN_STALE_DAYS = 14
# ... and warned about from this many days on, before it goes stale.
PARKPORTAL_COLUMN_WARN_DAYS = 10

# The outbox (apps.core.outbox): beat's core.deliver_outbox re-sends a pending message once it
# is this old (younger ones are left to the after-commit send that is on its way).
PARKPORTAL_OUTBOX_GRACE = timedelta(seconds=30)
# Self-inspection (apps.inspection; docs/ARCHITECTURE.md "Inspection readiness").
# Limits of the national checklist: an indicator is "warn" from 80 % of its limit, "fail" at it.
PARKPORTAL_INSPECTION_HOME_MAX_AGE = ("days", 14)
# Whose newest publication counts as the home page's last new item.
PARKPORTAL_INSPECTION_HOME_MODELS = ("news.PressRelease",)
# Content types that are columns of their own (model label -> ColumnType value): their
# publications count for that column as a page of the type does.
PARKPORTAL_INSPECTION_COLUMN_MODELS = {
    "news.PressRelease": "工作动态",
    "policies.PolicyDocument": "政策文件",
    "policies.PolicyInterpretation": "政策解读",
}
# Column type (apps.core.models.ColumnType value) -> how often it must be updated.
PARKPORTAL_INSPECTION_COLUMN_RULES = {
    "工作动态": ("days", 14),
    "通知公告": ("months", 6),
    "政策文件": ("months", 6),
    "政策解读": ("months", 6),
}
PARKPORTAL_INSPECTION_EMPTY_COLUMN_LIMIT = 5
PARKPORTAL_INSPECTION_DEAD_LINK_LIMIT = 5
# Audit actions that edit a publication date after publication (faked dates fail outright).
PARKPORTAL_INSPECTION_DATE_EDIT_ACTIONS = ("editorial.edit_publication_date",)
# The link checker: the site's own host names (besides SiteSettings.site_domain).
PARKPORTAL_INSPECTION_SITE_HOSTS = ()
PARKPORTAL_INSPECTION_LINK_CONCURRENCY = 8
PARKPORTAL_INSPECTION_LINK_TIMEOUT = 15.0  # seconds (the checklist's "no answer in 15 s")
PARKPORTAL_INSPECTION_LINK_HOST_INTERVAL = 1.0  # seconds between two requests to one host
PARKPORTAL_INSPECTION_LINK_MAX_REDIRECTS = 10
PARKPORTAL_INSPECTION_LINK_USER_AGENT = "parkportal-linkcheck/1.0 (government website self-inspection)"

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
# Rendition set (apps.media.renditions.RenditionConfig.from_mapping); empty = defaults:
# widths 320/640/1280/1920 and a 400x400 focal-point crop, each in AVIF, WebP and JPEG.
PARKPORTAL_MEDIA_RENDITIONS = {}
# Celery: soft time limits (seconds; the hard limit is 30 s / 60 s later) and retries with
# exponential backoff. A 24 MP photo renders in about a second. The video's hard limit stays
# below RabbitMQ's consumer_timeout (30 min by default), past which the broker drops the channel.
PARKPORTAL_MEDIA_IMAGE_TIME_LIMIT = 120
PARKPORTAL_MEDIA_VIDEO_TIME_LIMIT = 25 * 60
PARKPORTAL_MEDIA_MAX_RETRIES = 3
PARKPORTAL_MEDIA_RETRY_BACKOFF = 30
# The sweep (every PARKPORTAL_MEDIA_SWEEP_INTERVAL) re-queues an item still pending this
# long after it was queued, or processing with no sign of life from its run for
# PARKPORTAL_MEDIA_REQUEUE_PROCESSING_GRACE (a run touches the row every
# PARKPORTAL_MEDIA_PROCESSING_HEARTBEAT; the grace must be a few of those). So the image or
# video of a killed worker is back in the queue within 90 s + 1 min on any broker (a killed
# pool process's task at once: reject_on_worker_lost). After this many attempts it is failed.
PARKPORTAL_MEDIA_SWEEP_INTERVAL = timedelta(minutes=1)
PARKPORTAL_MEDIA_REQUEUE_PENDING_AFTER = timedelta(minutes=10)
PARKPORTAL_MEDIA_PROCESSING_HEARTBEAT = timedelta(seconds=30)
PARKPORTAL_MEDIA_REQUEUE_PROCESSING_GRACE = timedelta(seconds=90)
PARKPORTAL_MEDIA_MAX_ATTEMPTS = 5

# 好差评 (apps.services ratings): an enterprise may rate a resolved request within this many
# days; a bad rating (2 or below) must be rectified and reported back within this many
# working days (cities use 5 to 15).
PARKPORTAL_RATINGS_WINDOW_DAYS = 30
PARKPORTAL_RATINGS_RECTIFY_WORKDAYS = 5

# --- The Open311 GeoReport v2 API (apps.open311, /open311/v2/) -------------------------
# Every view sets its own authentication (api_key), renderers (JSON, XML) and parsers; the
# defaults here only make sure that no view falls back to session authentication.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "乌鲁木齐高新区门户开放接口（Open311 GeoReport v2）",
    "DESCRIPTION": "企业服务诉求的提交与查询，遵循 Open311 GeoReport v2。",
    "VERSION": "v2",
    "SERVE_INCLUDE_SCHEMA": False,
}
# Calls per hour from one client address without an api_key (a key has its own limit).
PARKPORTAL_OPEN311_ANONYMOUS_RATE = "300/hour"
# The discovery document's contact line.
PARKPORTAL_OPEN311_CONTACT = "乌鲁木齐高新区（新市区）政务服务中心"
