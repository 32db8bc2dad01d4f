"""On PostgreSQL the list's count and rows are hand-written SQL (apps.news.views._ListRows):
they must select what the ORM's published()/in_cluster()/in_year() select."""

import pytest
from django.db import connection
from django.utils import timezone

from apps.core.models import IndustryCluster
from apps.news.models import PressRelease
from apps.news.views import _ListRows, _years, _years_sql

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the hand-written list SQL is PostgreSQL's"),
]


def test_hand_written_list_sql_selects_what_the_orm_selects(releases, assets):
    clusters = list(IndustryCluster.objects.ordered())
    for i in range(5):
        releases.published(cover=assets.image() if i % 2 else None, clusters=clusters[: 1 + i % 2])
    releases.draft(clusters=clusters[:1])
    year = timezone.now().year
    for cluster, y in ((None, None), (clusters[0], None), (clusters[1], year), (None, year), (None, 1990)):
        orm = PressRelease.objects.published().newest_first()
        if cluster is not None:
            orm = orm.in_cluster(cluster)
        if y is not None:
            orm = orm.in_year(y)
        rows = _ListRows(cluster, y)
        assert rows.count() == orm.count()
        for window in (slice(0, 2), slice(2, 4), slice(0, 20)):
            got = rows[window]
            expected = list(orm.select_related("cover_image")[window])
            assert [r.pk for r in got] == [r.pk for r in expected]
            assert [(r.title, r.created_at, r.first_published_at, r.cover_image_id) for r in got] == [
                (r.title, r.created_at, r.first_published_at, r.cover_image_id) for r in expected
            ]
            assert [r.cover_image and r.cover_image.alt_text for r in got] == [
                r.cover_image and r.cover_image.alt_text for r in expected
            ]
    assert _years_sql() == _years()
