"""The confirmation writes the preview's plan (the rows the dry run accepted, kept
with the job) when nothing the preview depended on has changed; otherwise it
imports the file again, so a change since the preview is never overwritten."""

from apps.editorial.models import Revision, Status
from apps.enterprises import actions
from apps.enterprises.models import Enterprise, ImportJob, ImportStatus

from .conftest import make_code
from .test_import_admin import HEADERS, csv_file, rows


def preview(people, data) -> ImportJob:
    job = actions.start_import("enterprise", by=people.editor, data=data, filename="名录.csv")
    assert job.status == ImportStatus.PREVIEWED
    return job


def fields_of(item) -> dict:
    """The latest snapshot's fields and qualifications, without what names the item."""
    snapshot = Revision.objects.get(pk=item.latest_revision_id).snapshot
    fields = {k: v for k, v in snapshot["fields"].items() if k not in ("name", "credit_code", "sort_key", "address")}
    children = [{k: v for k, v in row.items() if k != "pk"} for row in snapshot["children"]["qualifications"]]
    return {"fields": fields, "qualifications": children}


def test_the_confirmation_writes_the_plan_without_reading_the_file_again(people, kinds, enterprises):
    stored = enterprises.draft(credit_code=make_code(7001), name="新疆旧名称科技有限公司")
    data_rows = rows(2) + [["新疆新名称科技有限公司", stored.credit_code, "新材料", "", "", "", "", "", ""]]
    job = preview(people, csv_file(data_rows))
    assert job.counts["new"] == 2 and job.counts["updated"] == 1
    plan = ImportJob.objects.get(pk=job.pk).plan
    assert len(plan["rows"]) == 3 and plan["fingerprint"]
    # The stored file is no longer readable: only the plan can give the rows.
    ImportJob.objects.filter(pk=job.pk).update(data=b"\x00not a spreadsheet")

    job = actions.confirm_import(job, by=people.editor)

    assert job.status == ImportStatus.DONE and job.revisions_created == 3, job.error
    stored = Enterprise.objects.get(pk=stored.pk)
    assert stored.name == "新疆新名称科技有限公司" and stored.cluster == kinds.materials and stored.status == Status.DRAFT
    new = Enterprise.objects.get(credit_code=make_code(9001))
    assert new.registered_capital == 1200 and new.headcount == "20-99"
    assert {q.kind.name for q in new.qualifications.all()} == {"国家高新技术企业", "瞪羚企业"}
    assert ImportJob.objects.get(pk=job.pk).plan == {}  # not kept once written


def test_the_plan_writes_what_importing_the_file_again_writes(people, kinds):
    planned = preview(people, csv_file(rows(2, start=1)))
    again = preview(people, csv_file(rows(2, start=11)))
    ImportJob.objects.filter(pk=again.pk).update(plan={})  # no plan: the file is imported again

    actions.confirm_import(planned, by=people.editor)
    actions.confirm_import(again, by=people.editor)

    for first, second in ((9001, 9011), (9002, 9012)):
        a = Enterprise.objects.get(credit_code=make_code(first))
        b = Enterprise.objects.get(credit_code=make_code(second))
        assert fields_of(a) == fields_of(b)


def test_an_item_created_since_the_preview_is_updated_not_duplicated(people, kinds, enterprises):
    job = preview(people, csv_file(rows(2)))
    assert job.counts["new"] == 2
    meanwhile = enterprises.draft(credit_code=make_code(9001), name="别人刚刚新建的企业")

    job = actions.confirm_import(job, by=people.editor)

    assert job.status == ImportStatus.DONE, job.error
    assert job.counts["new"] == 1 and job.counts["updated"] == 1
    assert Enterprise.objects.filter(credit_code=make_code(9001)).count() == 1
    assert Enterprise.objects.get(pk=meanwhile.pk).name == "新疆天山新材料有限公司1"


def test_an_edit_since_the_preview_is_built_upon_not_overwritten(people, kinds, enterprises):
    stored = enterprises.draft(credit_code=make_code(9001), name="新疆天山新材料有限公司1", address="旧地址")
    data_rows = rows(1)
    data_rows[0][HEADERS.index("地址")] = ""  # the file leaves the address alone
    job = preview(people, csv_file(data_rows))
    actions.edit_enterprise(stored, by=people.editor2, fields={"address": "编辑刚改的地址", "phone": "0991-1234567"})

    job = actions.confirm_import(job, by=people.editor)

    assert job.status == ImportStatus.DONE, job.error
    stored = Enterprise.objects.get(pk=stored.pk)
    assert stored.address == "编辑刚改的地址" and stored.phone == "0991-1234567"
    assert stored.cluster == kinds.materials


def test_a_renamed_cluster_since_the_preview_is_reported_not_guessed(people, kinds):
    job = preview(people, csv_file(rows(1)))
    kinds.materials.__class__.objects.filter(pk=kinds.materials.pk).update(name="新型材料")

    job = actions.confirm_import(job, by=people.editor)

    # The file is imported again against the names as they are now: the row is refused.
    assert job.status in (ImportStatus.NOTHING_TO_DO, ImportStatus.FAILED)
    assert not Enterprise.objects.filter(credit_code=make_code(9001)).exists()
