"""The engine's bulk action, used by imports, writes what its own ``create_draft``
and ``save_draft`` write: the same snapshots, states, revision numbers and audit rows."""

import datetime as dt
from decimal import Decimal

import pytest

from apps.core.errors import InvalidTransition, NotAllowed
from apps.core.models import AuditEntry
from apps.editorial import actions as editorial
from apps.editorial.bulk import DraftChange, bulk_save_drafts
from apps.editorial.models import Revision, RevisionKind, Status
from apps.editorial.snapshots import serialize, snapshots_equal
from apps.enterprises import actions
from apps.enterprises.models import Enterprise

from .conftest import make_code, refresh


def comparable(snapshot):
    fields = {k: v for k, v in snapshot["fields"].items() if k not in ("credit_code", "sort_key")}
    children = {
        accessor: [{k: v for k, v in row.items() if k != "pk"} for row in rows]
        for accessor, rows in snapshot["children"].items()
    }
    return {"fields": fields, "m2m": snapshot["m2m"], "children": children}


def fields_for(kinds, code):
    return {
        "name": "新疆天山新材料有限公司", "short_name": "天山新材", "credit_code": code, "cluster": kinds.materials,
        "founded_on": dt.date(2008, 5, 20), "registered_capital": Decimal("1200.5"), "headcount": "100-299",
        "address": "乌鲁木齐高新区（新市区）长春中路1号", "website": "https://www.example.com.cn", "phone": "0991-1234567",
        "description": "农用棚膜、热收缩膜和青贮包膜。", "main_products": "青贮包膜、五层共挤薄膜",
    }


def last_audit(item):
    return AuditEntry.objects.filter(object_id=str(item.pk), action="editorial.save_draft").order_by("-pk").first()


def test_a_new_item_from_the_bulk_action_equals_one_from_create_draft(people, kinds):
    by_engine = actions.create_enterprise(
        by=people.editor, fields=fields_for(kinds, make_code()), kind=RevisionKind.IMPORT, summary="批量导入：a.csv",
        qualifications=[{"kind": kinds.high_tech}, {"kind": kinds.sme}],
    )
    item = Enterprise(**actions.prepare_fields(Enterprise, fields_for(kinds, make_code())))
    children = {"qualifications": [{"kind_id": kinds.high_tech.pk}, {"kind_id": kinds.sme.pk}], "photos": []}
    [change] = bulk_save_drafts(Enterprise, [DraftChange(item, children=children)], by=people.editor,
                                kind=RevisionKind.IMPORT, summary="批量导入：a.csv")
    a, b = refresh(by_engine), refresh(change.item)
    assert comparable(a.latest_revision.snapshot) == comparable(b.latest_revision.snapshot)
    assert (a.status, b.status) == (Status.DRAFT, Status.DRAFT)
    assert (a.latest_revision.number, b.latest_revision.number) == (1, 1)
    assert b.latest_revision.kind == RevisionKind.IMPORT and b.created_by == people.editor
    assert b.latest_revision == change.revision and b.latest_revision.summary == a.latest_revision.summary
    ea, eb = last_audit(a), last_audit(b)
    assert (ea.from_state, ea.to_state, ea.note, ea.object_repr) == (eb.from_state, eb.to_state, eb.note, eb.object_repr)
    assert ea.data == eb.data == {"revision": 1}
    # What was written is what the engine reads back: the row, its children, the snapshot.
    stored, written = serialize(b), b.latest_revision.snapshot
    # (A decimal reads back at the column's scale, with either writer.)
    assert Decimal(stored["fields"].pop("registered_capital")) == Decimal(written["fields"].pop("registered_capital"))
    assert snapshots_equal(stored, written)
    assert b.registered_capital == Decimal("1200.5") and b.created_at and b.sort_key


def test_a_changed_draft_from_the_bulk_action_equals_one_from_save_draft(people, kinds, enterprises):
    a = enterprises.draft(qualifications=[{"kind": kinds.high_tech, "certificate_number": "GR1"}])
    b = enterprises.draft(qualifications=[{"kind": kinds.high_tech, "certificate_number": "GR1"}], name=a.name)
    wanted = [{"kind": kinds.high_tech, "certificate_number": "GR1"}, {"kind": kinds.gazelle}]
    actions.edit_enterprise(a, by=people.editor2, fields={"address": "新地址1号"}, kind=RevisionKind.IMPORT,
                            qualifications=wanted, summary="批量导入：b.csv")
    children = {"qualifications": [{"kind_id": kinds.high_tech.pk, "certificate_number": "GR1"}, {"kind_id": kinds.gazelle.pk}]}
    bulk_save_drafts(Enterprise, [DraftChange(b, {"address": "新地址1号"}, children)], by=people.editor2,
                     kind=RevisionKind.IMPORT, summary="批量导入：b.csv", audit_data={"import_job": 7})
    a, b = refresh(a), refresh(b)
    assert comparable(a.latest_revision.snapshot) == comparable(b.latest_revision.snapshot)
    assert b.address == "新地址1号"  # never published: the row is the draft
    assert [q.certificate_number for q in b.qualifications.all()] == ["GR1", ""]
    assert snapshots_equal(serialize(b), b.latest_revision.snapshot)
    assert (a.latest_revision.number, b.latest_revision.number) == (2, 2)
    assert b.latest_revision.based_on_id is not None and b.updated_by == people.editor2
    ea, eb = last_audit(a), last_audit(b)
    assert (ea.from_state, ea.to_state, ea.note, ea.data["revision"]) == (eb.from_state, eb.to_state, eb.note, eb.data["revision"])
    assert eb.data["import_job"] == 7


def test_the_bulk_action_leaves_a_published_row_alone_and_builds_on_the_pending_draft(people, kinds, enterprises):
    item = enterprises.published(address="旧地址", phone="0991-1111111")
    actions.edit_enterprise(item, by=people.editor, fields={"phone": "0991-2222222"})  # a pending draft
    bulk_save_drafts(Enterprise, [DraftChange(item, {"address": "新地址"})], by=people.editor2,
                     kind=RevisionKind.IMPORT, summary="")
    row = refresh(item)
    assert (row.address, row.phone) == ("旧地址", "0991-1111111")  # still the public version
    fields = row.latest_revision.snapshot["fields"]
    assert (fields["address"], fields["phone"]) == ("新地址", "0991-2222222")
    assert row.status == Status.DRAFT and row.live_revision_id != row.latest_revision_id
    assert Revision.objects.filter(object_id=str(row.pk), content_type__model="enterprise").count() == 3
    # ...and the engine publishes it like any draft.
    editorial.submit(row, by=people.editor2)
    editorial.approve(row, by=people.reviewer)
    editorial.approve(row, by=people.publisher, publish=False)
    editorial.publish(row, by=people.publisher2, major=False)
    row = refresh(item)
    assert (row.address, row.phone) == ("新地址", "0991-2222222")


def test_changes_requested_stays_when_the_bulk_action_adds_a_version(people, kinds, enterprises):
    item = enterprises.draft()
    editorial.submit(item, by=people.editor)
    editorial.request_changes(item, by=people.reviewer, note="请补充地址")
    bulk_save_drafts(Enterprise, [DraftChange(item, {"address": "补充的地址"})], by=people.editor,
                     kind=RevisionKind.IMPORT, summary="")
    assert refresh(item).status == Status.CHANGES_REQUESTED
    assert last_audit(item).to_state == Status.CHANGES_REQUESTED


def test_an_unchanged_edit_writes_no_revision_as_save_draft(people, enterprises):
    item = enterprises.draft(address="同一地址")
    [change] = bulk_save_drafts(Enterprise, [DraftChange(item, {"address": "同一地址"})], by=people.editor)
    assert change.revision is None and refresh(item).latest_revision.number == 1


def test_an_item_in_review_or_without_permission_is_refused_and_nothing_is_written(people, kinds, enterprises):
    free, in_review = enterprises.draft(), enterprises.draft()
    editorial.submit(in_review, by=people.editor)
    revisions = Revision.objects.count()
    with pytest.raises(InvalidTransition):
        bulk_save_drafts(Enterprise, [DraftChange(free, {"address": "甲"}), DraftChange(in_review, {"address": "乙"})],
                         by=people.editor)
    with pytest.raises(NotAllowed):
        bulk_save_drafts(Enterprise, [DraftChange(free, {"address": "甲"})], by=people.reviewer)
    assert Revision.objects.count() == revisions and refresh(free).address != "甲"


def test_a_duplicate_key_is_an_integrity_error_and_nothing_is_written(people, kinds, enterprises):
    from django.db import IntegrityError, transaction

    taken = enterprises.draft()
    item = Enterprise(**actions.prepare_fields(Enterprise, {**fields_for(kinds, taken.credit_code), "name": "新疆重复代码有限公司"}))
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_save_drafts(Enterprise, [DraftChange(item)], by=people.editor, kind=RevisionKind.IMPORT, summary="x")
    assert Enterprise.objects.filter(credit_code=taken.credit_code).count() == 1
