"""Factories per state, built through the real editorial actions."""

import datetime as dt

import pytest

from apps.editorial import actions as editorial
from apps.talent.models import ProgrammeCategory, TalentProgramme
from apps.core.workdays import SHANGHAI
from tests.editorial.conftest import people  # noqa: F401  (fixture)
from tests.media.conftest import media_storage  # noqa: F401  (fixture)


def refresh(item):
    return type(item)._base_manager.get(pk=item.pk)


def beijing(*args) -> dt.datetime:
    """An aware datetime in Beijing time."""
    return dt.datetime(*args, tzinfo=SHANGHAI)


def round_row(title="2026年度第一批", *, opens=None, closes=None, always_open=False, **extra) -> dict:
    return {"title": title, "opens_at": opens, "closes_at": closes, "always_open": always_open, **extra}


@pytest.fixture
def programmes(people):  # noqa: F811
    class Programmes:
        counter = 0

        @classmethod
        def draft(cls, *, by=None, rounds=(), materials=(), category="引进", **fields):
            cls.counter += 1
            values = {
                "name": f"人才项目 {cls.counter}",
                "category": ProgrammeCategory.objects.get(name=category),
                "department": "高新区（新市区）人才工作领导小组办公室",
                "summary": "面向园区企业引进的高层次人才。",
                "eligibility": "<p>在园区企业全职工作的人才。</p>",
                "benefits": "<p>安家补贴最高 50 万元。</p>",
            }
            values.update(fields)
            return editorial.create_draft(
                TalentProgramme, by=by or people.editor, fields=values,
                children={"rounds": list(rounds), "materials": list(materials)},
            )

        @classmethod
        def published(cls, **kw):
            programme = cls.draft(**kw)
            editorial.submit(programme, by=people.editor)
            editorial.approve(programme, by=people.reviewer)
            editorial.approve(programme, by=people.publisher, publish=False)
            editorial.publish(programme, by=people.publisher2)
            return refresh(programme)

    return Programmes
