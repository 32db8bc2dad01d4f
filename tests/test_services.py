"""In CI the suite must run against the real PostgreSQL and Redis, never silently on SQLite."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from tests.conftest import IN_CI


@pytest.mark.skipif(not IN_CI, reason="only CI promises PostgreSQL and Redis")
def test_ci_runs_on_postgresql_and_redis(db):
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_encoding")
        assert cursor.fetchone()[0] == "UTF8"
    assert settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    cache.set("ci-probe", "ok", 5)
    assert cache.get("ci-probe") == "ok"
    assert settings.CELERY_BROKER_URL.startswith("redis://")


def test_database_round_trip_keeps_chinese_text(db):
    from apps.core.models import IndustryCluster

    cluster = IndustryCluster.objects.create(name="测试·新兴产业（氢能）", slug="probe", role="emerging")
    assert IndustryCluster.objects.get(pk=cluster.pk).name == "测试·新兴产业（氢能）"
