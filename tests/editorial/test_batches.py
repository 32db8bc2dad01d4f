"""Batch review: many drafts, one approval, published together; members are frozen meanwhile."""

import pytest

from apps.core.errors import InvalidTransition, NotAllowed
from apps.core.models import AuditEntry
from apps.editorial import actions
from apps.editorial.batches import create_batch, open_batch_of
from apps.editorial.models import BatchEntry, RevisionKind, Status, Visibility
from apps.pages.models import Page
from tests.editorial.conftest import refresh


def drafts(pages, people, n=3):
    return [refresh(pages.draft(title=f"导入页面{i}", slug=f"import-{i}")) for i in range(n)]


def test_publishing_a_batch_publishes_every_member_once(pages, people, django_capture_on_commit_callbacks):
    items = drafts(pages, people)
    batch = create_batch(
        title="2026年第四季度名录导入", items=[(i, i.latest_revision) for i in items], by=people.editor,
        summary={"新增": 3}, preview_rows=[{"row": n + 2, "status": "new", "name": i.title, "changes": []} for n, i in enumerate(items)],
    )
    assert BatchEntry.objects.filter(batch=batch).count() == 3
    actions.submit(batch, by=people.editor)
    actions.approve(batch, by=people.reviewer)
    actions.approve(batch, by=people.publisher, publish=False)
    assert all(refresh(i).visibility == Visibility.NONE for i in items)  # approved is not yet public
    actions.publish(batch, by=people.publisher2)
    for item in items:
        row = refresh(item)
        assert row.visibility == Visibility.LIVE and row.status == Status.PUBLISHED
        assert row.first_published_at is not None
    assert AuditEntry.objects.filter(action="editorial.publish", note__contains="2026年第四季度名录导入").count() == 3
    assert Page.objects.published().count() == 3


def test_members_of_an_open_batch_cannot_be_edited_or_submitted_alone(pages, people):
    items = drafts(pages, people, 2)
    create_batch(title="批次", items=[(i, i.latest_revision) for i in items], by=people.editor)
    with pytest.raises(InvalidTransition, match="批次"):
        actions.save_draft(items[0], by=people.editor, fields={"title": "改"})
    with pytest.raises(InvalidTransition, match="批次"):
        actions.submit(items[1], by=people.editor)
    with pytest.raises(InvalidTransition):
        create_batch(title="另一个批次", items=[(items[0], items[0].latest_revision)], by=people.editor)


def test_after_the_batch_is_published_members_are_ordinary_items_again(pages, people):
    items = drafts(pages, people, 1)
    batch = create_batch(title="批次", items=[(items[0], items[0].latest_revision)], by=people.editor)
    actions.submit(batch, by=people.editor)
    actions.approve(batch, by=people.reviewer)
    actions.approve(batch, by=people.publisher, publish=False)
    actions.publish(batch, by=people.publisher2)
    assert open_batch_of(items[0]) is None
    actions.save_draft(items[0], by=people.editor, fields={"title": "发布后再修改"})


def test_the_importer_cannot_approve_or_publish_their_own_batch(pages, people):
    from django.contrib.auth.models import Group

    people.editor.groups.add(Group.objects.get(name="审核"), Group.objects.get(name="签发"))
    items = drafts(pages, people, 1)
    batch = create_batch(title="批次", items=[(items[0], items[0].latest_revision)], by=people.editor)
    actions.submit(batch, by=people.editor)
    with pytest.raises(NotAllowed, match="双人审核"):
        actions.approve(batch, by=people.editor)


def test_batch_only_accepts_latest_draft_revisions(pages, people):
    published = pages.published()
    with pytest.raises(InvalidTransition):
        create_batch(title="批次", items=[(published, published.latest_revision)], by=people.editor)
    with pytest.raises(InvalidTransition):
        create_batch(title="空批次", items=[], by=people.editor)


def test_changes_requested_on_a_batch_can_be_resubmitted(pages, people):
    items = drafts(pages, people, 1)
    batch = create_batch(title="批次", items=[(items[0], items[0].latest_revision)], by=people.editor)
    actions.submit(batch, by=people.editor)
    actions.request_changes(batch, by=people.reviewer, note="第3行的地址有误")
    assert refresh(batch).status == Status.CHANGES_REQUESTED
    assert open_batch_of(items[0]) == batch  # members stay frozen while the batch is open
    actions.archive(batch, by=people.publisher)
    assert open_batch_of(items[0]) is None


def test_batch_admin_shows_the_preview_table(pages, people, client):
    items = drafts(pages, people, 1)
    batch = create_batch(
        title="名录批次", items=[(items[0], items[0].latest_revision)], by=people.editor,
        preview_rows=[{"row": 12, "status": "updated", "status_label": "更新", "name": "某某新材料有限公司",
                       "changes": [{"field": "地址", "old": "旧地址", "new": "新地址"}]}],
    )
    client.force_login(people.reviewer)
    html = client.get(f"/admin/editorial/reviewbatch/{batch.pk}/change/").content.decode()
    assert "某某新材料有限公司" in html and "<del>旧地址</del>" in html and "<ins>新地址</ins>" in html


# --- Per-item edit rights ---------------------------------------------------------------

def test_an_item_may_grant_edit_rights_to_a_user_without_the_permission(pages, people, monkeypatch):
    page = pages.draft()
    monkeypatch.setattr(Page, "can_be_edited_by", lambda self, user: True if user.pk == people.outsider.pk else None)
    revision = actions.save_draft(page, by=people.outsider, fields={"title": "企业提交的修改"}, kind=RevisionKind.PROPOSAL)
    assert revision.kind == "proposal" and revision.created_by == people.outsider
    actions.submit(page, by=people.outsider)
    other = pages.draft()
    monkeypatch.setattr(Page, "can_be_edited_by", lambda self, user: True if (user.pk == people.outsider.pk and self.pk == page.pk) else None)
    with pytest.raises(NotAllowed):
        actions.save_draft(other, by=people.outsider, fields={"title": "别家的"})
