"""Production settings refuse to start without secrets, and pass check --deploy."""

import json

import pytest

from tests.conftest import run_django

GOOD_PROD_ENV = {
    "SECRET_KEY": "k" * 20 + "-not-a-real-secret-but-long-enough-for-the-check-0123456789",
    "ALLOWED_HOSTS": "www.example-park.gov.cn",
    "DATABASE_URL": "sqlite:////tmp/parkportal-check-deploy.sqlite3",
}


@pytest.mark.parametrize("absent", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_each_required_variable(absent):
    env = dict(GOOD_PROD_ENV)
    env[absent] = ""
    result = run_django("print('started')", env=env, settings_module="parkportal.settings.prod")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert absent in result.stderr
    assert "started" not in result.stdout


def test_production_refuses_a_short_secret_key():
    env = dict(GOOD_PROD_ENV, SECRET_KEY="short")
    result = run_django("print('started')", env=env, settings_module="parkportal.settings.prod")
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50" in result.stderr


def test_production_starts_with_everything_set():
    result = run_django(
        "from django.conf import settings; print(settings.DEBUG, settings.TIME_ZONE)",
        env=GOOD_PROD_ENV,
        settings_module="parkportal.settings.prod",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False Asia/Shanghai"


def test_check_deploy_is_clean_under_production_settings():
    result = run_django(
        "from django.core.management import call_command\n"
        "call_command('check', '--deploy', '--fail-level', 'WARNING')",
        env=GOOD_PROD_ENV,
        settings_module="parkportal.settings.prod",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


def test_base_settings_never_enable_debug_or_carry_a_secret():
    result = run_django(
        "from parkportal.settings import base; print(base.DEBUG, repr(base.SECRET_KEY))",
        env={"SECRET_KEY": "", "DEBUG": ""},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ''"


def test_embedded_defaults_need_no_servers():
    result = run_django(
        "from django.conf import settings\n"
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL,"
        " settings.CACHES['default']['BACKEND'])",
        env={"DATABASE_URL": "", "REDIS_URL": "", "CELERY_BROKER_URL": ""},
        settings_module="parkportal.settings.dev",
    )
    assert result.returncode == 0, result.stderr
    engine, broker, cache = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert broker == "filesystem://"
    assert cache.endswith("FileBasedCache")


def test_service_urls_switch_to_postgresql_and_redis():
    result = run_django(
        "from django.conf import settings\n"
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL,"
        " settings.CACHES['default']['BACKEND'])",
        env={
            "DATABASE_URL": "postgres://u@127.0.0.1:5432/x",
            "REDIS_URL": "redis://127.0.0.1:6379/3",
            "CELERY_BROKER_URL": "",
        },
        settings_module="parkportal.settings.dev",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "redis://127.0.0.1:6379/3",
        "django_redis.cache.RedisCache",
    ]


def test_time_and_language_are_beijing_and_simplified_chinese(settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "zh-hans"


# --- Behind the reverse proxy ---------------------------------------------------------

def test_production_reads_the_client_address_as_behind_proxy_says():
    """tests/accounts/test_roles.py checks axes' lockout under these very values, which
    production uses when told one proxy stands in front (issue 10 #6: the default is none)."""
    from parkportal.settings import behind_proxy

    wanted = {name: getattr(behind_proxy, name) for name in dir(behind_proxy) if name.isupper()}
    assert {"AXES_IPWARE_PROXY_COUNT", "AXES_IPWARE_META_PRECEDENCE_ORDER"} <= set(wanted)
    result = run_django(
        "import json; from django.conf import settings\n"
        f"print(json.dumps({{n: getattr(settings, n) for n in {sorted(wanted)!r}}}))",
        env=dict(GOOD_PROD_ENV, PARKPORTAL_TRUSTED_PROXIES="1"),
        settings_module="parkportal.settings.prod",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == wanted
    # axes only reads X-Forwarded-For when django-ipware is importable.
    result = run_django("import axes.helpers; print(axes.helpers.IPWARE_INSTALLED)")
    assert result.stdout.strip() == "True", result.stderr


# --- S3 media -------------------------------------------------------------------------

S3_ENV = dict(
    GOOD_PROD_ENV,
    PARKPORTAL_MEDIA_STORAGE="s3",
    PARKPORTAL_S3_BUCKET="park-public",
    PARKPORTAL_S3_PRIVATE_BUCKET="park-originals",
    PARKPORTAL_S3_ENDPOINT_URL="https://oss.example-park.gov.cn",
    # Signing a URL is local computation: dummy credentials, no network.
    AWS_ACCESS_KEY_ID="AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY="not-a-real-secret",
    AWS_DEFAULT_REGION="cn-north-1",
)

DESCRIBE_STORAGES = """
import json
from django.core.files.storage import storages
from apps.media.models import private_storage
out = {}
for alias in ("default", "private"):
    s = storages[alias]
    out[alias] = {
        "class": f"{type(s).__module__}.{type(s).__qualname__}",
        "bucket": s.bucket_name, "location": s.location, "acl": s.default_acl,
        "signed": s.querystring_auth, "endpoint": s.endpoint_url,
        "url": s.url("originals/images/ab/abcdef.jpg"),
    }
private_storage._setup()
out["media_private_is_private"] = private_storage._wrapped is storages["private"]
print(json.dumps(out))
"""


def test_s3_media_puts_public_files_and_originals_in_their_own_buckets():
    result = run_django(DESCRIBE_STORAGES, env=S3_ENV, settings_module="parkportal.settings.prod")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    public, private = out["default"], out["private"]
    assert public["class"] == private["class"] == "storages.backends.s3.S3Storage"
    assert (public["bucket"], public["location"]) == ("park-public", "")
    assert (private["bucket"], private["location"]) == ("park-originals", "")
    assert public["endpoint"] == private["endpoint"] == "https://oss.example-park.gov.cn"
    # Renditions: plain, cacheable URLs readable through the public bucket's policy.
    assert public["signed"] is False and public["acl"] is None
    assert "Signature" not in public["url"]
    # Originals: private objects, and any URL is a short-lived signed one.
    assert private["acl"] == "private" and private["signed"] is True
    assert "park-originals" in private["url"]
    assert "X-Amz-Signature=" in private["url"] or "Signature=" in private["url"]
    assert "X-Amz-Expires=300" in private["url"] or "Expires=" in private["url"]
    assert out["media_private_is_private"] is True


@pytest.mark.parametrize(
    "change, message",
    [
        ({"PARKPORTAL_S3_PRIVATE_BUCKET": ""}, "PARKPORTAL_S3_PRIVATE_BUCKET"),
        ({"PARKPORTAL_S3_BUCKET": ""}, "PARKPORTAL_S3_BUCKET"),
        ({"PARKPORTAL_S3_PRIVATE_BUCKET": "park-public"}, "must differ"),
        ({"PARKPORTAL_MEDIA_STORAGE": "S3 "}, "must be 'filesystem' or 's3'"),
    ],
)
def test_production_refuses_an_incomplete_s3_configuration(change, message):
    result = run_django("print('started')", env=dict(S3_ENV, **change), settings_module="parkportal.settings.prod")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr
    assert "started" not in result.stdout


# --- Test database encoding -----------------------------------------------------------

def test_the_postgresql_test_database_is_created_in_utf8():
    code = (
        "from django.conf import settings; test = settings.DATABASES['default'].get('TEST', {})\n"
        "print(test.get('CHARSET'), test.get('TEMPLATE'))"
    )
    on_pg = run_django(code, env={"DATABASE_URL": "postgres://u@127.0.0.1:5432/x"})
    assert on_pg.returncode == 0, on_pg.stderr
    assert on_pg.stdout.split() == ["UTF8", "template0"]
    on_sqlite = run_django(code, env={"DATABASE_URL": ""})
    assert on_sqlite.returncode == 0, on_sqlite.stderr
    assert on_sqlite.stdout.split() == ["None", "None"]


def test_the_database_under_test_stores_chinese_text(db):
    from django.db import connection

    from apps.core.models import IndustryCluster

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_encoding")
            assert cursor.fetchone()[0] == "UTF8"
    cluster = IndustryCluster.objects.create(name="𠀀新材料·測試", slug="utf8-check", role="emerging")
    assert IndustryCluster.objects.get(pk=cluster.pk).name == "𠀀新材料·測試"
