"""Benchmark the enterprise import on PostgreSQL against django-import-export's default.

20,000 generated directory rows (``generate.py``: valid credit codes, Chinese
text, mixed date and capital formats) are imported twice in the same run, in
a scratch database created and dropped by this script (``parkportal_bench_<pid>``):

* **die**: django-import-export's default ``ModelResource`` for ``Enterprise``
  (``import_data(dataset)`` with its defaults: a savepoint, a lookup and a
  ``save()`` per row) of the same rows, written as the CSV that resource reads
  (field names as headers, values in its widgets' formats: the cluster's id,
  ISO dates, plain decimals), loaded with tablib. Its rows are deleted
  afterwards.
* **ours**: the admin's whole path with the task threshold lifted, from the
  GBK CSV staff would upload: ``start_import`` (store the file, read it, the
  dry run that is the preview, stored with its plan) then ``confirm_import``
  (the plan's fingerprint checked against the directory — unchanged here, so
  the file is not read again — and the accepted rows handed to
  ``bulk_save_drafts``: rows, qualifications, revision 1 with its snapshot,
  workflow state, audit rows; then one review batch with the diff, submitted).

For information only: ``COPY`` of the same rows into a table shaped like ours,
and a re-import of the same file (every row unchanged, nothing written).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/import/run.py [--rows 20000]

``BENCH_PROFILE=1`` prints a pyinstrument profile of ours (``pip install -r bench/requirements.txt``).
The last line is machine-readable:

    BENCH import rows=20000 ours_s=… die_s=… ratio=… ours_rows_per_s=… copy_s=… ours_cpu_s=… die_cpu_s=… cpu_ratio=… target=ratio>=3,ours_s<15 PASS|FAIL

``ratio`` is ours in rows/s over the library default's; PASS needs ratio >= 3
and the whole path (preview + confirm) under 15 s. ``*_cpu_s`` (this
process's CPU time, ``time.process_time``; the database server's is not in it)
and their ratio are for information: on a shared, loaded machine they move
less than the wall times.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGET_RATIO = 3  # at least 3x django-import-export's default rows/s ...
TARGET_SECONDS = 15  # ... and the whole path (preview + confirm) under 15 s


def scratch_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def admin_connect(base: str):
    import psycopg

    return psycopg.connect(scratch_url(base, "postgres"), autocommit=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args(argv)

    base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    if not base.startswith(("postgres://", "postgresql://")):
        print("bench/import/run.py needs a PostgreSQL DATABASE_URL")
        return 2
    name = f"parkportal_bench_{os.getpid()}"
    with admin_connect(base) as conn:
        conn.execute(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0')
    os.environ["DATABASE_URL"] = scratch_url(base, name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkportal.settings.test")
    try:
        return run(args.rows)
    finally:
        from django.db import connections

        connections.close_all()
        with admin_connect(base) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def library_file(records, clusters: dict) -> bytes:
    """The rows as the default ModelResource reads them: field names, its widgets' formats."""
    from apps.core.credit_code import normalize
    from apps.enterprises.headcount import band_for_headcount

    out = io.StringIO()
    writer = csv.writer(out)
    keys = ["name", "short_name", "credit_code", "cluster", "founded_on", "registered_capital", "headcount",
            "address", "website", "phone", "description", "main_products"]
    writer.writerow(keys)
    for r in records:
        writer.writerow([
            r["name"], r["short_name"], normalize(r["credit_code"]), clusters[r["cluster"]], r["founded_on"].isoformat(),
            str(r["registered_capital"]), band_for_headcount(r["headcount"]).key, r["address"],
            f"https://{r['website']}" if r["website"] else "", r["phone"], r["description"], r["main_products"],
        ])
    return out.getvalue().encode("utf-8")


def time_library_default(data: bytes) -> tuple[float, float]:
    """django-import-export's default ModelResource import of the file, committed, then removed:
    (seconds, this process's CPU seconds)."""
    import tablib
    from import_export import resources

    from apps.enterprises.models import Enterprise

    class DefaultEnterpriseResource(resources.ModelResource):
        class Meta:
            model = Enterprise

    started, cpu = time.perf_counter(), time.process_time()
    dataset = tablib.Dataset().load(data.decode("utf-8"), format="csv")
    result = DefaultEnterpriseResource().import_data(dataset)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert not result.has_errors() and not result.has_validation_errors(), (result.base_errors, result.invalid_rows[:3])
    assert Enterprise.objects.count() == len(dataset)
    Enterprise._base_manager.all().delete()
    return elapsed, cpu


def time_copy(connection, outcomes) -> float:
    """For information: COPY of the cleaned rows into a table shaped like ours (with its indexes)."""
    from django.utils import timezone

    from apps.enterprises.collation import sort_key
    from apps.enterprises.columns import COLUMNS

    columns = [c for c in COLUMNS if c.attname]
    names = [c.attname for c in columns] + ["sort_key", "status", "visibility", "sensitivity", "created_at",
                                             "updated_at", "awaiting_retrospective_review", "withdrawal_note",
                                             "redirect_url", "schedule_error", "is_representative", "is_key_project",
                                             "directory_status", "media_text", "id"]
    now = timezone.now()
    rows = [
        [o.values.get(c.key, "" if c.key not in ("cluster", "founded_on", "registered_capital") else None) for c in columns]
        + [sort_key(o.values["name"]), "draft", "none", "normal", now, now, False, "", "", "", False, False, "listed", "{}", index]
        for index, o in enumerate(outcomes, start=1)
    ]
    raw = connection.connection
    with raw.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_copy (LIKE enterprises_enterprise INCLUDING DEFAULTS INCLUDING INDEXES)")
    raw.commit()
    started = time.perf_counter()
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY bench_copy ({', '.join(names)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    raw.commit()
    return time.perf_counter() - started


def run(rows: int) -> int:
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"scratch database migrated in {time.perf_counter() - started:.1f}s")

    from apps.accounts.models import User
    from apps.accounts.roles import ROLES
    from apps.core.models import IndustryCluster
    from apps.core.models import AuditEntry
    from apps.editorial.models import ReviewBatch, Revision
    from apps.enterprises import actions
    from apps.enterprises.importing import Run
    from apps.enterprises.models import Enterprise, ImportStatus, Qualification, QualificationKind
    from apps.enterprises.resources import EnterpriseResource
    from apps.core.spreadsheets import read_table, write_csv
    from generate import CLUSTERS, QUALIFICATIONS, csv_cells, make_rows

    # The generator's cluster and qualification names must exist here.
    for position, cluster in enumerate(CLUSTERS):
        IndustryCluster.objects.get_or_create(name=cluster, defaults={"slug": f"c{position}", "role": "leading"})
    for position, qualification in enumerate(QUALIFICATIONS):
        QualificationKind.objects.get_or_create(name=qualification, defaults={"position": position})
    editor = User.objects.create_user("bench-editor", password="x", is_staff=True)
    editor.groups.set(Group.objects.filter(name=ROLES["editor"].group_name))
    editor = User.objects.get(pk=editor.pk)
    actions.SYNC_ROW_LIMIT = 10**9  # the whole path in this process, no task

    headers, records = make_rows(rows)
    data = write_csv(headers, [csv_cells(r) for r in records], encoding="gbk")
    print(f"generated {rows} rows: GBK CSV {len(data) / 1e6:.1f} MB")

    # --- django-import-export's default ModelResource ------------------------------------
    clusters = dict(IndustryCluster.objects.values_list("name", "pk"))
    die_s, die_cpu = time_library_default(library_file(records, clusters))
    print(f"django-import-export default ModelResource import_data: {die_s:.3f}s ({rows / die_s:.0f} rows/s), CPU {die_cpu:.3f}s")

    # --- for information: COPY of the same rows ------------------------------------------
    preview = Run(EnterpriseResource(), read_table(data), dry_run=True)
    assert preview.is_valid, preview.errors[:3]
    copy_s = time_copy(connection, preview.outcomes)
    print(f"(for information: COPY of {rows} rows into a table shaped like ours: {copy_s:.3f}s)")

    # --- ours: upload + preview, then confirm ---------------------------------------------
    profiler = None
    if os.environ.get("BENCH_PROFILE"):
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.002)
        profiler.start()
    c0, t0 = time.process_time(), time.perf_counter()
    job = actions.start_import("enterprise", by=editor, data=data, filename="bench.csv", encoding="auto")
    c1, t1 = time.process_time(), time.perf_counter()
    assert job.status == ImportStatus.PREVIEWED and job.counts["new"] == rows, job.counts
    job = actions.confirm_import(job, by=editor)
    c2, t2 = time.process_time(), time.perf_counter()
    if profiler is not None:
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    assert job.status == ImportStatus.DONE, (job.status, job.error)
    ours_s = t2 - t0
    assert Enterprise.objects.count() == rows
    assert Revision.objects.filter(content_type__model="enterprise").count() == rows
    assert AuditEntry.objects.filter(action="editorial.save_draft", content_type__model="enterprise").count() == rows
    batch = ReviewBatch.objects.get(pk=job.batch_id)
    print(
        f"ours: {ours_s:.3f}s (upload + preview {t1 - t0:.3f}s, confirm {t2 - t1:.3f}s; "
        f"CPU {c2 - c0:.3f}s = {c1 - c0:.3f}s + {c2 - c1:.3f}s); "
        f"{Enterprise.objects.count()} drafts, {Qualification.objects.count()} qualifications, "
        f"batch #{batch.pk} {batch.get_status_display()} with {batch.entries.count()} entries"
    )

    # --- for information: re-import of the same file, everything unchanged ----------------
    revisions = Revision.objects.count()
    t0 = time.perf_counter()
    again = actions.start_import("enterprise", by=editor, data=data, filename="bench.csv", encoding="auto")
    reimport_s = time.perf_counter() - t0
    assert again.counts["unchanged"] == rows, again.counts
    assert Revision.objects.count() == revisions
    print(f"(for information: re-import preview, all {rows} unchanged, nothing written: {reimport_s:.3f}s)")

    ratio = die_s / ours_s
    ours_cpu = c2 - c0
    passed = ratio >= TARGET_RATIO and ours_s < TARGET_SECONDS
    print(
        f"BENCH import rows={rows} ours_s={ours_s:.3f} die_s={die_s:.3f} ratio={ratio:.1f} "
        f"ours_rows_per_s={rows / ours_s:.0f} copy_s={copy_s:.3f} "
        f"ours_cpu_s={ours_cpu:.3f} die_cpu_s={die_cpu:.3f} cpu_ratio={die_cpu / ours_cpu:.1f} "
        f"target=ratio>={TARGET_RATIO},ours_s<{TARGET_SECONDS} {'PASS' if passed else 'FAIL'}"
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
