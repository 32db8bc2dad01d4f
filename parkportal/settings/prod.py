"""Production. Refuses to start without a secret, hosts and a database URL."""

from django.core.exceptions import ImproperlyConfigured

from . import environment as env
from .base import *  # noqa: F401,F403
from .base import CONTENT_SECURITY_POLICY

_missing = [
    name
    for name, value in (
        ("SECRET_KEY", env.SECRET_KEY),
        ("ALLOWED_HOSTS", env.ALLOWED_HOSTS),
        ("DATABASE_URL", env.DATABASE_URL),
    )
    if not value
]
if _missing:
    raise ImproperlyConfigured(
        "Production settings need these environment variables: " + ", ".join(_missing)
    )
if len(env.SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")

DEBUG = False
SECRET_KEY = env.SECRET_KEY
ALLOWED_HOSTS = env.ALLOWED_HOSTS

# Behind a TLS-terminating reverse proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.SECURE_SSL_REDIRECT
SECURE_HSTS_SECONDS = env.SECURE_HSTS_SECONDS
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Behind the reverse proxy set PARKPORTAL_TRUSTED_PROXIES=1: axes then reads the client
# address from the proxy's X-Forwarded-For entry (base.py, behind_proxy.py); with the
# default 0 every client would share the proxy's address.

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env.EMAIL_HOST
EMAIL_PORT = env.EMAIL_PORT
EMAIL_HOST_USER = env.EMAIL_HOST_USER
EMAIL_HOST_PASSWORD = env.EMAIL_HOST_PASSWORD
EMAIL_USE_TLS = env.EMAIL_USE_TLS

if env.MEDIA_STORAGE not in {"filesystem", "s3"}:
    raise ImproperlyConfigured("PARKPORTAL_MEDIA_STORAGE must be 'filesystem' or 's3'.")
if env.MEDIA_STORAGE == "s3":
    _s3_missing = [
        name
        for name, value in (
            ("PARKPORTAL_S3_BUCKET", env.S3_BUCKET),
            ("PARKPORTAL_S3_PRIVATE_BUCKET", env.S3_PRIVATE_BUCKET),
        )
        if not value
    ]
    if _s3_missing:
        raise ImproperlyConfigured(
            "PARKPORTAL_MEDIA_STORAGE=s3 needs these environment variables: " + ", ".join(_s3_missing)
        )
    if env.S3_PRIVATE_BUCKET == env.S3_BUCKET:
        raise ImproperlyConfigured(
            "PARKPORTAL_S3_PRIVATE_BUCKET must differ from PARKPORTAL_S3_BUCKET: "
            "uploaded originals never go into the public bucket."
        )
    # Renditions, videos and posters come from the bucket's own host.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append("https:")
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["media-src"].append("https:")
    # Public: renditions, web videos, posters, captions. Readable through the
    # bucket's policy, so plain (unsigned, cacheable) URLs and no per-object ACL.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.S3_BUCKET,
            "endpoint_url": env.S3_ENDPOINT_URL or None,
            "default_acl": None,
            "querystring_auth": False,
        },
    }
    # Private: uploaded originals and attachments (apps.media). Another bucket,
    # private objects; any URL is signed and short-lived, never a public one
    # (attachments are streamed by a view, originals only read by workers).
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.S3_PRIVATE_BUCKET,
            "endpoint_url": env.S3_ENDPOINT_URL or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "custom_domain": None,
        },
    }
