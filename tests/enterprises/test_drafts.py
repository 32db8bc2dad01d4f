"""The bulk draft writer used by imports writes what the editorial engine's
own actions write: the same snapshots, states, revision numbers and audit rows."""

import datetime as dt
from decimal import Decimal

import pytest

from apps.core.models import AuditEntry
from apps.editorial import actions as editorial
from apps.editorial.models import Revision, RevisionKind, Status
from apps.enterprises import actions
from apps.enterprises.drafts import Draft, write_drafts
from apps.enterprises.models import Enterprise
from apps.enterprises.targets import target_for

from .conftest import make_code, refresh

TARGET = target_for(Enterprise)


@pytest.fixture(autouse=True, params=["bulk_create", "copy"])
def insert_path(request, monkeypatch):
    """Every test runs with the rows inserted by bulk_create and, on PostgreSQL, by COPY."""
    from django.db import connection

    from apps.enterprises import drafts

    if request.param == "copy":
        if connection.vendor != "postgresql":
            pytest.skip("COPY is PostgreSQL's (set DATABASE_URL)")
        monkeypatch.setattr(drafts, "COPY_FROM", 1)
    return request.param


def comparable(snapshot):
    fields = {k: v for k, v in snapshot["fields"].items() if k != "credit_code"}
    children = {
        accessor: [{k: v for k, v in row.items() if k != "pk"} for row in rows]
        for accessor, rows in snapshot["children"].items()
    }
    return {"fields": fields, "m2m": snapshot["m2m"], "children": children}


def fields_for(kinds, code):
    return {
        "name": "新疆天山新材料有限公司", "short_name": "天山新材", "credit_code": code, "cluster_id": kinds.materials.pk,
        "founded_on": dt.date(2008, 5, 20), "registered_capital": Decimal("1200.5"), "headcount": "100-299",
        "address": "乌鲁木齐高新区（新市区）长春中路1号", "website": "https://www.example.com.cn", "phone": "0991-1234567",
        "description": "农用棚膜、热收缩膜和青贮包膜。", "main_products": "青贮包膜、五层共挤薄膜",
    }


def last_audit(item):
    return AuditEntry.objects.filter(object_id=str(item.pk), action="editorial.save_draft").order_by("-pk").first()


def test_a_new_item_from_the_bulk_writer_equals_one_from_create_draft(people, kinds):
    engine_fields = fields_for(kinds, make_code())
    engine_fields = {("cluster" if k == "cluster_id" else k): (kinds.materials if k == "cluster_id" else v) for k, v in engine_fields.items()}
    by_engine = actions.create_enterprise(
        by=people.editor, fields=engine_fields, kind=RevisionKind.IMPORT, summary="批量导入：a.csv",
        qualifications=[{"kind": kinds.high_tech}, {"kind": kinds.sme}],
    )
    bulk_fields = TARGET.model_fields({"name": engine_fields["name"]}) | fields_for(kinds, make_code())
    children = TARGET.new_children({"qualifications": (kinds.sme.pk, kinds.high_tech.pk)})
    [draft] = write_drafts(TARGET, [Draft(None, bulk_fields, children)], by=people.editor,
                           kind=RevisionKind.IMPORT, summary="批量导入：a.csv")
    a, b = refresh(by_engine), refresh(draft.item)
    assert comparable(a.latest_revision.snapshot) == comparable(b.latest_revision.snapshot)
    assert (a.status, b.status) == (Status.DRAFT, Status.DRAFT)
    assert (a.latest_revision.number, b.latest_revision.number) == (1, 1)
    assert b.latest_revision.kind == RevisionKind.IMPORT and b.created_by == people.editor
    ea, eb = last_audit(a), last_audit(b)
    assert (ea.from_state, ea.to_state, ea.note) == (eb.from_state, eb.to_state, eb.note)
    assert eb.data["revision"] == 1
    # What was written is what the engine reads back: the row, its children, the snapshot.
    from apps.editorial.snapshots import serialize, snapshots_equal

    stored, written = serialize(b), b.latest_revision.snapshot
    # (A decimal reads back at the column's scale, with either writer and with the engine's.)
    assert Decimal(stored["fields"].pop("registered_capital")) == Decimal(written["fields"].pop("registered_capital"))
    assert snapshots_equal(stored, written)
    assert b.name == engine_fields["name"] and b.registered_capital == Decimal("1200.5") and b.created_at


def test_a_changed_draft_from_the_bulk_writer_equals_one_from_save_draft(people, kinds, enterprises):
    a = enterprises.draft(qualifications=[{"kind": kinds.high_tech, "certificate_number": "GR1"}])
    b = enterprises.draft(qualifications=[{"kind": kinds.high_tech, "certificate_number": "GR1"}], name=a.name)
    actions.edit_enterprise(a, by=people.editor2, fields={"address": "新地址1号"}, kind=RevisionKind.IMPORT,
                            qualifications=[{"kind": kinds.high_tech, "certificate_number": "GR1"}, {"kind": kinds.gazelle}])
    existing = TARGET.load_existing([b.credit_code])[b.credit_code]
    children = TARGET.new_children({"qualifications": (kinds.high_tech.pk, kinds.gazelle.pk)}, previous=existing.children)
    write_drafts(TARGET, [Draft(existing, {"address": "新地址1号"}, children)], by=people.editor2,
                 kind=RevisionKind.IMPORT, summary="")
    a, b = refresh(a), refresh(b)
    assert comparable(a.latest_revision.snapshot) == comparable(b.latest_revision.snapshot)
    assert b.address == "新地址1号"  # never published: the row is the draft
    assert [q.certificate_number for q in b.qualifications.all()] == ["GR1", ""]
    assert b.latest_revision.number == 2 and b.latest_revision.based_on_id is not None
    assert b.updated_by == people.editor2


def test_the_bulk_writer_leaves_a_published_row_alone_and_builds_on_the_pending_draft(people, kinds, enterprises):
    item = enterprises.published(address="旧地址", phone="0991-1111111")
    actions.edit_enterprise(item, by=people.editor, fields={"phone": "0991-2222222"})  # a pending draft
    existing = TARGET.load_existing([item.credit_code])[item.credit_code]
    assert existing.pending_draft and existing.values["phone"] == "0991-2222222"
    write_drafts(TARGET, [Draft(existing, {"address": "新地址"}, None)], by=people.editor2,
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
    editorial.approve(row, by=people.publisher)
    editorial.publish(row, by=people.publisher2, major=False)
    row = refresh(item)
    assert (row.address, row.phone) == ("新地址", "0991-2222222")


def test_changes_requested_stays_when_the_bulk_writer_adds_a_version(people, kinds, enterprises):
    item = enterprises.draft()
    editorial.submit(item, by=people.editor)
    editorial.request_changes(item, by=people.reviewer, note="请补充地址")
    existing = TARGET.load_existing([item.credit_code])[item.credit_code]
    write_drafts(TARGET, [Draft(existing, {"address": "补充的地址"}, None)], by=people.editor,
                 kind=RevisionKind.IMPORT, summary="")
    assert refresh(item).status == Status.CHANGES_REQUESTED


def test_a_duplicate_key_is_an_integrity_error_with_either_writer(people, kinds, enterprises):
    from django.db import IntegrityError, transaction

    taken = enterprises.draft()
    fields = TARGET.model_fields({"name": "新疆重复代码有限公司"}) | fields_for(kinds, taken.credit_code)
    with pytest.raises(IntegrityError), transaction.atomic():
        write_drafts(TARGET, [Draft(None, fields, [])], by=people.editor, kind=RevisionKind.IMPORT, summary="x")
    assert Enterprise.objects.filter(credit_code=taken.credit_code).count() == 1
