"""Factories per state, built by calling the real actions (as Zulip's tests do)."""

import pytest

from apps.editorial import actions
from apps.editorial.models import Sensitivity
from apps.pages.models import Page


@pytest.fixture
def people(make_user):
    # Transactional tests flush what the data migrations seeded: put the
    # default review chains back (idempotent).
    from django.contrib.auth.models import Group

    from apps.editorial.chains import seed_default_chains
    from apps.editorial.models import ReviewChain, ReviewStep

    seed_default_chains(ReviewChain, ReviewStep, Group)

    class People:
        editor = make_user("editor", roles=["editor"], email="editor@example.gov.cn")
        editor2 = make_user("editor2", roles=["editor"], email="editor2@example.gov.cn")
        reviewer = make_user("reviewer", roles=["reviewer"], email="reviewer@example.gov.cn")
        reviewer2 = make_user("reviewer2", roles=["reviewer"], email="reviewer2@example.gov.cn")
        publisher = make_user("publisher", roles=["publisher"], email="publisher@example.gov.cn")
        publisher2 = make_user("publisher2", roles=["publisher"], email="publisher2@example.gov.cn")
        outsider = make_user("agent", roles=["service_agent"], email="agent@example.gov.cn")
        superuser = make_user("root", superuser=True, email="root@example.gov.cn")

    return People


@pytest.fixture
def pages(people):
    """Build pages in a given state through the actions."""

    class Pages:
        counter = 0

        @classmethod
        def draft(cls, *, by=None, sensitivity=Sensitivity.NORMAL, **fields):
            cls.counter += 1
            defaults = {
                "title": f"园区概况 {cls.counter}",
                "slug": f"overview-{cls.counter}",
                "body": "<p>乌鲁木齐高新区是新疆第一个国家级高新区。</p>",
                "sensitivity": sensitivity,
            }
            defaults.update(fields)
            return actions.create_draft(Page, by=by or people.editor, fields=defaults)

        @classmethod
        def in_review(cls, **kw):
            page = cls.draft(**kw)
            actions.submit(page, by=kw.get("by") or people.editor)
            return refresh(page)

        @classmethod
        def approved(cls, **kw):
            page = cls.in_review(**kw)
            actions.approve(page, by=people.reviewer)
            actions.approve(page, by=people.publisher, publish=False)
            return refresh(page)

        @classmethod
        def published(cls, **kw):
            page = cls.approved(**kw)
            actions.publish(page, by=people.publisher2)
            return refresh(page)

    return Pages


def refresh(item):
    return type(item)._base_manager.get(pk=item.pk)
