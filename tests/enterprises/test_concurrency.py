"""Two editors confirming the same import at once (PostgreSQL row locks): the
job row lock lets exactly one write the drafts and the batch."""

import pytest

from apps.core.errors import InvalidTransition
from apps.editorial.models import ReviewBatch, Revision
from apps.enterprises import actions
from apps.enterprises.models import Enterprise, ImportStatus
from apps.core.spreadsheets import write_csv
from tests.editorial.test_concurrency import postgresql, run_at_once  # noqa: F401  (fixture)

from .conftest import make_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_confirmations_write_the_import_once(postgresql, people, kinds):  # noqa: F811
    data = write_csv(["企业名称", "统一社会信用代码"], [[f"新疆并发企业{i}有限公司", make_code(6000 + i)] for i in range(20)])
    job = actions.start_import("enterprise", by=people.editor, data=data, filename="a.csv")
    assert job.status == ImportStatus.PREVIEWED
    outcomes = run_at_once(
        lambda: actions.confirm_import(job, by=people.editor),
        lambda: actions.confirm_import(job, by=people.editor2),
    )
    assert outcomes.count("ok") == 1, outcomes
    assert isinstance(next(o for o in outcomes if o != "ok"), InvalidTransition)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Enterprise.objects.count() == 20 and ReviewBatch.objects.count() == 1
    assert Revision.objects.filter(content_type__model="enterprise").count() == 20


def test_two_files_with_the_same_new_enterprise_cannot_both_create_it(postgresql, people, kinds):  # noqa: F811
    code = make_code(6100)
    first = actions.start_import("enterprise", by=people.editor, data=write_csv(["企业名称", "统一社会信用代码"], [["甲公司", code]]), filename="a.csv")
    second = actions.start_import("enterprise", by=people.editor2, data=write_csv(["企业名称", "统一社会信用代码"], [["甲公司（新）", code]]), filename="b.csv")
    outcomes = run_at_once(
        lambda: actions.confirm_import(first, by=people.editor),
        lambda: actions.confirm_import(second, by=people.editor2),
    )
    assert Enterprise.objects.filter(credit_code=code).count() == 1
    statuses = sorted(type(j).objects.get(pk=j.pk).status for j in (first, second))
    # The loser either waited and found the row (now in the winner's batch) or hit the
    # unique index: either way it wrote nothing and says why.
    assert outcomes == ["ok", "ok"] and ImportStatus.DONE in statuses, (statuses, outcomes)
    assert Revision.objects.filter(content_type__model="enterprise").count() == 1
