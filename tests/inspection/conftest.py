"""Wording lists and content built through the real actions."""

import pytest

from apps.inspection import actions
from apps.inspection.matching import forget
from apps.inspection.models import Kind, Severity, WordingEntry
from tests.editorial.conftest import pages, people  # noqa: F401  (fixtures)
from tests.media.conftest import media_queues, media_storage  # noqa: F401  (fixtures)
from tests.news.conftest import assets, releases  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _fresh_matcher():
    forget()
    yield
    forget()


@pytest.fixture
def site_admin(make_user):
    return make_user("siteadmin", roles=["site_admin"], email="siteadmin@example.gov.cn")


@pytest.fixture
def wording(site_admin):
    """Add list entries through the action: wording.add("term", severity=..., suggestion=...)."""

    class Wording:
        @staticmethod
        def add(term, *, severity=Severity.BLOCK, kind=Kind.SERIOUS, suggestion=""):
            return actions.save_entry(
                WordingEntry(term=term, severity=severity, kind=kind, suggestion=suggestion), by=site_admin)

    return Wording
