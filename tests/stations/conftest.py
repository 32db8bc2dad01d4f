"""Factories per state, built through the real editorial actions."""

import datetime as dt

import pytest

from apps.editorial import actions as editorial
from apps.stations.models import ServiceStation, StationKind, StationService
from tests.editorial.conftest import people  # noqa: F401  (fixture)
from tests.talent.conftest import beijing, refresh  # noqa: F401  (helpers)

T = dt.time

#: Monday to Friday with a lunch break, Saturday mornings, Sunday closed.
OFFICE_HOURS = [
    *({"weekday": d, "opens": T(9, 30), "closes": T(13, 30)} for d in range(5)),
    *({"weekday": d, "opens": T(15, 30), "closes": T(19, 30)} for d in range(5)),
    {"weekday": 5, "opens": T(10, 0), "closes": T(14, 0)},
]


@pytest.fixture
def stations(people):  # noqa: F811
    class Stations:
        counter = 0

        @classmethod
        def draft(cls, *, by=None, hours=OFFICE_HOURS, exceptions=(), stops=(), services=("创业指导",),
                  kind="创业社区服务站", **fields):
            cls.counter += 1
            values = {
                "name": f"服务站 {cls.counter}",
                "kind": StationKind.objects.get(name=kind),
                "community": "示例社区",
                "address": "乌鲁木齐高新区（新市区）示例路1号",
            }
            values.update(fields)
            return editorial.create_draft(
                ServiceStation, by=by or people.editor, fields=values,
                m2m={"services": list(StationService.objects.filter(name__in=services).values_list("pk", flat=True))},
                children={"hours": list(hours), "exceptions": list(exceptions), "stops": list(stops)},
            )

        @classmethod
        def published(cls, **kw):
            station = cls.draft(**kw)
            editorial.submit(station, by=people.editor)
            editorial.approve(station, by=people.reviewer)
            editorial.approve(station, by=people.publisher, publish=False)
            editorial.publish(station, by=people.publisher2)
            return refresh(station)

    return Stations
