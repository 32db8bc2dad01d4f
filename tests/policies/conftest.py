"""Factories per state, built through the real editorial actions."""

import datetime as dt

import pytest

from apps.editorial import actions as editorial
from apps.policies.models import PolicyDocument, PolicyInterpretation, Topic
from tests.editorial.conftest import people  # noqa: F401  (fixture)
from tests.media.conftest import media_storage  # noqa: F401  (fixture)


def refresh(item):
    return type(item)._base_manager.get(pk=item.pk)


def publish(item, people, **change):  # noqa: F811
    editorial.submit(item, by=people.editor)
    editorial.approve(item, by=people.reviewer)
    editorial.approve(item, by=people.publisher, publish=False)
    editorial.publish(item, by=people.publisher2, **change)
    return refresh(item)


@pytest.fixture
def documents(people):  # noqa: F811
    class Documents:
        counter = 0

        @classmethod
        def draft(cls, *, by=None, attachments=(), **fields):
            cls.counter += 1
            values = {
                "title": f"政策文件 {cls.counter}", "document_number": f"乌高新管发〔2026〕{cls.counter}号",
                "issuer": "乌鲁木齐高新区（新市区）管委会", "index_number": f"IDX-{cls.counter}",
                "topic": Topic.INDUSTRY, "written_on": dt.date(2026, 3, 1), "issued_on": dt.date(2026, 3, 5),
                "body": "<p>为支持园区新材料产业发展，制定本政策。</p>",
            }
            values.update(fields)
            return editorial.create_draft(PolicyDocument, by=by or people.editor, fields=values,
                                          m2m={"attachments": [a.pk for a in attachments]})

        @classmethod
        def published(cls, **kw):
            return publish(cls.draft(**kw), people)

        @classmethod
        def supersede(cls, old, new, validity):
            """Mark ``old`` as amended or repealed by ``new``: a reviewed revision of ``old``."""
            editorial.save_draft(old, by=people.editor, fields={"validity": validity, "superseded_by": new})
            return publish(refresh(old), people, major=True, change_note="标注有效性")

    return Documents


@pytest.fixture
def interpretations(people):  # noqa: F811
    class Interpretations:
        counter = 0

        @classmethod
        def published(cls, document, **fields):
            cls.counter += 1
            values = {"title": f"政策解读 {cls.counter}", "document": document, "kind": "text",
                      "interpreter": "高新区经济发展局", "body": "<p>这次政策的三个变化。</p>"}
            values.update(fields)
            item = editorial.create_draft(PolicyInterpretation, by=people.editor, fields=values, children={"images": []})
            return publish(item, people)

    return Interpretations
