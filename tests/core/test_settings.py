"""Production settings refuse to start without secrets, and pass check --deploy."""

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
