"""Factories for the directory: enterprises and platforms in each state, built
through the real actions, and spreadsheets as staff send them."""

import itertools

import pytest

from apps.core.credit_code import compute_check_char
from apps.core.models import IndustryCluster
from apps.editorial import actions as editorial
# The editorial factories (people in every role, pages in every state).
from tests.editorial.conftest import pages, people, refresh  # noqa: F401

_serials = itertools.count(1)


def make_code(serial: int | None = None, region: str = "650106") -> str:
    """A valid unified social credit code, unique per serial."""
    serial = next(_serials) if serial is None else serial
    body = f"91{region}MA{serial:07d}"
    return body + compute_check_char(body)


@pytest.fixture
def kinds(db):
    """The seeded qualification and platform kinds (re-seeded after transactional flushes)."""
    from apps.enterprises.models import PlatformKind, QualificationKind
    from apps.enterprises.seed import seed_kinds
    from apps.core.seed import seed_clusters

    seed_clusters(IndustryCluster)
    seed_kinds(QualificationKind, PlatformKind)

    class Kinds:
        high_tech = QualificationKind.objects.get(name="国家高新技术企业")
        little_giant = QualificationKind.objects.get(name="专精特新“小巨人”企业")
        sme = QualificationKind.objects.get(name="科技型中小企业")
        gazelle = QualificationKind.objects.get(name="瞪羚企业")
        postdoc = PlatformKind.objects.get(name="博士后科研工作站")
        incubator = PlatformKind.objects.get(name="孵化器")
        industrial_park = PlatformKind.objects.get(name="产业园")
        materials = IndustryCluster.objects.get(slug="new-materials")
        it = IndustryCluster.objects.get(slug="new-generation-it")
        bio = IndustryCluster.objects.get(slug="biomedicine-health")
        services = IndustryCluster.objects.get(slug="modern-services")

    return Kinds


@pytest.fixture
def enterprises(people, kinds):
    """Build enterprises in a given state through the actions."""
    from apps.enterprises import actions

    class Enterprises:
        counter = 0

        @classmethod
        def draft(cls, *, by=None, qualifications=None, photos=None, **fields):
            cls.counter += 1
            defaults = {
                "name": f"新疆示例科技有限公司{cls.counter}",
                "credit_code": make_code(),
                "cluster": kinds.it,
                "address": "乌鲁木齐高新区（新市区）示例路1号",
            }
            defaults.update(fields)
            return actions.create_enterprise(
                by=by or people.editor, fields=defaults, qualifications=qualifications, photos=photos
            )

        @classmethod
        def published(cls, **kw):
            item = cls.draft(**kw)
            editorial.submit(item, by=kw.get("by") or people.editor)
            editorial.approve(item, by=people.reviewer)
            editorial.approve(item, by=people.publisher, publish=False)
            editorial.publish(item, by=people.publisher2)
            return refresh(item)

    return Enterprises


@pytest.fixture
def platforms(people, kinds):
    from apps.enterprises import actions

    class Platforms:
        counter = 0

        @classmethod
        def draft(cls, *, by=None, photos=None, **fields):
            cls.counter += 1
            defaults = {"name": f"示例孵化器{cls.counter}", "kind": kinds.incubator, "level": "municipal"}
            defaults.update(fields)
            return actions.create_platform(by=by or people.editor, fields=defaults, photos=photos)

        @classmethod
        def published(cls, **kw):
            item = cls.draft(**kw)
            editorial.submit(item, by=people.editor)
            editorial.approve(item, by=people.reviewer)
            editorial.approve(item, by=people.publisher, publish=False)
            editorial.publish(item, by=people.publisher2)
            return refresh(item)

    return Platforms


# Images (processed by the real media actions) and press releases, for logos, photos and related news.
from tests.media.conftest import media_queues, media_storage  # noqa: E402,F401
from tests.news.conftest import assets, releases  # noqa: E402,F401
