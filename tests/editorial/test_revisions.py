"""Versions, not overwrites: revisions carry fields, many-to-many and ordered child rows."""

import pytest
from django.core.exceptions import ValidationError

from apps.core.errors import InvalidTransition, NotAllowed
from apps.core.models import IndustryCluster
from apps.editorial import actions
from apps.editorial.models import Revision, Status, Visibility
from apps.pages.models import Page, PageLink
from tests.editorial.conftest import refresh


def test_new_item_is_a_draft_with_its_first_revision(pages, people):
    page = pages.draft()
    assert page.status == Status.DRAFT and page.visibility == Visibility.NONE
    revision = page.latest_revision
    assert revision.number == 1 and revision.created_by == people.editor
    assert revision.snapshot["fields"]["title"] == page.title


def test_editing_a_published_item_keeps_the_public_version(pages, people):
    page = pages.published(title="园区概况")
    actions.save_draft(page, by=people.editor, fields={"title": "园区概况（修订稿）"})
    row = refresh(page)
    assert row.title == "园区概况"  # the public still sees the published title
    assert row.status == Status.DRAFT and row.visibility == Visibility.LIVE
    assert row.latest_revision.snapshot["fields"]["title"] == "园区概况（修订稿）"
    assert row.live_revision.snapshot["fields"]["title"] == "园区概况"
    assert Page.objects.published().get(pk=page.pk).title == "园区概况"


def test_a_draft_of_a_published_item_carries_m2m_and_ordered_children(pages, people):
    clusters = list(IndustryCluster.objects.ordered()[:2])
    page = pages.published()
    PageLink.objects.create(page=page, position=0, title="旧链接", url="/old/")  # live child (direct, for setup)
    actions.save_draft(
        page, by=people.editor,
        m2m={"clusters": [c.pk for c in clusters]},
        children={"links": [
            {"position": 0, "title": "政策文件", "url": "/pages/policy/"},
            {"position": 1, "title": "办事指南", "url": "/services/"},
        ]},
    )
    row = refresh(page)
    # The live rows are untouched ...
    assert list(row.clusters.all()) == []
    assert [l.title for l in row.links.all()] == ["旧链接"]
    # ... and the draft holds the new ones, in order.
    snapshot = row.latest_revision.snapshot
    assert snapshot["m2m"]["clusters"] == sorted(c.pk for c in clusters)
    assert [c["title"] for c in snapshot["children"]["links"]] == ["政策文件", "办事指南"]


def test_publishing_applies_fields_m2m_and_children(pages, people):
    cluster = IndustryCluster.objects.ordered().first()
    page = pages.published()
    actions.save_draft(page, by=people.editor, fields={"title": "新标题"}, m2m={"clusters": [cluster.pk]},
                       children={"links": [{"position": 0, "title": "链接", "url": "/x/"}]})
    actions.submit(page, by=people.editor)
    actions.approve(page, by=people.reviewer)
    actions.approve(page, by=people.publisher, publish=False)
    actions.publish(page, by=people.publisher2, major=False)
    row = refresh(page)
    assert row.title == "新标题" and list(row.clusters.all()) == [cluster]
    assert [l.title for l in row.links.all()] == ["链接"]
    assert row.status == Status.PUBLISHED and row.live_revision == row.latest_revision


def test_saving_without_changes_makes_no_revision(pages, people):
    page = pages.draft()
    assert actions.save_draft(page, by=people.editor, fields={"title": page.title}) is None
    assert Revision.objects.filter(object_id=str(page.pk)).count() == 1


def test_revert_makes_a_new_draft_from_an_old_revision(pages, people):
    page = pages.published(title="第一版")
    first = refresh(page).live_revision
    actions.save_draft(page, by=people.editor, fields={"title": "第二版"})
    revision = actions.revert(page, by=people.editor2, revision=first)
    assert revision.number == 3 and revision.based_on == first and revision.kind == "revert"
    assert revision.snapshot["fields"]["title"] == "第一版"
    assert refresh(page).status == Status.DRAFT


def test_invalid_field_values_save_nothing(pages, people):
    page = pages.draft()
    with pytest.raises(ValidationError):
        actions.save_draft(page, by=people.editor, fields={"slug": "不合法 的 网址"})
    assert Revision.objects.filter(object_id=str(page.pk)).count() == 1


def test_rich_text_is_sanitised_and_cleaned_of_pinyin(pages, people):
    page = pages.draft(body='<p onclick="x()">高新区(qū)<script>alert(1)</script></p>')
    assert page.body == "<p>高新区</p>"


def test_someone_without_change_permission_cannot_save(pages, people):
    page = pages.draft()
    with pytest.raises(NotAllowed):
        actions.save_draft(page, by=people.reviewer, fields={"title": "x"})


def test_edit_in_review_is_refused_with_a_state_error(pages, people):
    page = pages.in_review()
    with pytest.raises(InvalidTransition):
        actions.save_draft(page, by=people.editor, fields={"title": "x"})


def test_stale_edit_is_refused(pages, people):
    page = pages.draft()
    base = page.latest_revision_id
    actions.save_draft(page, by=people.editor2, fields={"title": "别人先改了"})
    with pytest.raises(actions.StaleEdit) as caught:
        actions.save_draft(page, by=people.editor, fields={"title": "我的修改"}, base_revision_id=base)
    assert caught.value.latest_revision_id == refresh(page).latest_revision_id
    assert refresh(page).title == "别人先改了"


def test_latest_revision_lookup_is_a_foreign_key_not_a_scan(pages, people, django_assert_num_queries):
    page = pages.draft()
    for i in range(5):
        actions.save_draft(page, by=people.editor, fields={"title": f"版本 {i}"})
    row = refresh(page)
    with django_assert_num_queries(1):
        assert row.latest_revision.number == 6
