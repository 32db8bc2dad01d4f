"""The work of a spreadsheet import, run in the request for small files and by
the Celery tasks (:mod:`.tasks`) for large ones: reading the stored file, the
dry run that is the preview, and the confirmed import.

Both go through the model's django-import-export resource (:mod:`.resources`):
``analyse_import`` runs ``import_data(dry_run=True)`` and stores the preview on
the job; ``apply_import`` reads the file again (the directory may have changed
since the preview), runs ``import_data(dry_run=False)`` — whose hooks hand the
accepted rows to the editorial engine's ``bulk_save_drafts`` — and puts the
new versions in one review batch, submitted at once, all in one transaction.

Progress of a running job is kept in the shared cache (the job's own row is
locked inside the import's transaction).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit
from apps.core.collector import collector_paused
from apps.core.errors import InvalidTransition, NotAllowed, require
from apps.core.spreadsheets import SpreadsheetError, read_table
from apps.editorial import rules

from .columns import match_headers
from .models import ImportJob, ImportStatus
from .resources import DirectoryResource, Outcome, resource_for

# The job row keeps at most this many preview rows and errors (the counts are complete).
PREVIEW_LIMIT = 2000
# A running job reports its progress (to the shared cache) every this many rows.
PROGRESS_EVERY = getattr(settings, "PARKPORTAL_ENTERPRISES_IMPORT_PROGRESS_ROWS", 500)
STATUS_LABELS = {"new": "新增", "updated": "更新", "unchanged": "未变化", "invalid": "有错误"}
_PREVIEW_ORDER = {"invalid": 0, "updated": 1, "new": 2, "unchanged": 3}
# The job's large columns (the file, the stored preview): read only where needed.
BULKY = ("data", "preview", "errors", "warnings", "plan")


class ImportRefused(Exception):
    """The uploaded file cannot be imported; ``message`` says why, in Chinese."""

    def __init__(self, message: str, *, job: ImportJob | None = None):
        super().__init__(message)
        self.message = message
        self.job = job


def may_import(user, resource: type[DirectoryResource]) -> bool:
    model = resource._meta.model
    return user.is_active and user.is_staff and user.has_perm(resource.import_permission) and rules.can_add(user, model)


def read_job(job: ImportJob):
    """The job's file as a table, its header checked; raises ImportRefused."""
    encoding = None if job.encoding in ("", "auto") else job.encoding
    try:
        table = read_table(bytes(job.data), filename=job.filename, encoding=encoding)
    except SpreadsheetError as error:
        raise ImportRefused(error.message) from error
    job.detected_encoding = table.encoding or ""
    job.file_format = table.format
    schema = resource_for(job.target).schema
    matched = match_headers(table.headers, header_row=table.header_row, format=table.format, schema=schema)
    if matched.errors:
        raise ImportRefused("；".join(error.message for error in matched.errors))
    return table


def fail(job: ImportJob, message: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, error=message, finished_at=timezone.now(), plan={})
    job.refresh_from_db(fields=["status", "error", "finished_at"])


def _progress_key(job_id: int) -> str:
    return f"enterprises:import:{job_id}:progress"


def report_progress(job_id: int, done: int, total: int, stage: str) -> None:
    cache.set(_progress_key(job_id), {"done": done, "total": total, "stage": stage}, 3600)


def progress_of(job: ImportJob) -> dict:
    found = cache.get(_progress_key(job.pk)) or {}
    total = found.get("total") or job.row_count or 1
    done = min(found.get("done", 0), total)
    return {"done": done, "total": total, "stage": found.get("stage", ""), "percent": int(100 * done / total)}


class Run:
    """One pass of a file through its resource: the outcomes, warnings and file errors."""

    def __init__(self, resource: DirectoryResource, table, *, dry_run: bool):
        self.resource = resource
        dataset = resource.dataset(table)
        matched = resource.header_match
        self.warnings = matched.warnings
        self.file_errors = matched.errors
        self.outcomes: list[Outcome] = []
        if any(error.code == "missing_column" for error in matched.errors):
            return
        self.result = resource.import_data(dataset, dry_run=dry_run, use_transactions=True)
        if self.result.base_errors:
            raise self.result.base_errors[0].error
        self.outcomes = [resource.outcome(row) for row in self.result.rows]
        if not dry_run and self.result.has_errors():  # the library rolled the writes back
            raise ImportRefused(next(e.message for o in self.outcomes for e in o.errors if e.code == "error"))

    @property
    def errors(self) -> list:
        """File errors, then every row's errors in row order."""
        return list(self.file_errors) + [error for outcome in self.outcomes for error in outcome.errors]

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def counts(self) -> dict:
        counts = {status: 0 for status in _PREVIEW_ORDER}
        for outcome in self.outcomes:
            counts[outcome.status] += 1
        counts["duplicates"] = sum(1 for o in self.outcomes for e in o.errors if e.code == "duplicate")
        counts["total"] = len(self.outcomes)
        return counts

    def head(self, outcome: Outcome) -> dict:
        return {
            "row": outcome.row, "status": outcome.status, "status_label": STATUS_LABELS[outcome.status],
            "key": outcome.key or "", "name": outcome.name,
        }

    def preview_row(self, outcome: Outcome) -> dict:
        """One row of the preview: status, key, name and the changed fields (or the errors)."""
        entry, show = self.head(outcome), self.resource.show
        if outcome.status == "updated":
            entry["changes"] = [
                {"field": c.header, "old": show(c.field, c.old), "new": show(c.field, c.new)} for c in outcome.changes
            ]
        elif outcome.status == "new":
            columns = self.resource.columns
            entry["changes"] = [
                {"field": columns[key].header, "old": "", "new": show(key, value)}
                for key, value in outcome.values.items() if value not in (None, "", ())
            ]
        elif outcome.status == "invalid":
            entry["errors"] = [{"column": e.column_header, "message": e.message, "rule": e.detail} for e in outcome.errors]
        return entry

    def batch_row(self, outcome: Outcome) -> dict:
        """A member's row of the review batch's diff: a new item's fields are shown from its revision."""
        return self.preview_row(outcome) if outcome.status == "updated" else {**self.head(outcome), "changes_from": "revision"}

    def ordered(self) -> list[Outcome]:
        """Invalid rows first, then changed, new, unchanged; by row within each."""
        return sorted(self.outcomes, key=lambda o: (_PREVIEW_ORDER[o.status], o.row))


def analyse_import(job_id: int, *, table=None) -> ImportJob:
    """The dry run: validate every row, compare it with the directory, store the preview. Idempotent."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status != ImportStatus.ANALYSING:
        return job
    report_progress(job.pk, 0, job.row_count, "analysing")
    try:
        table = table or read_job(job)
    except ImportRefused as refused:
        fail(job, refused.message)
        raise
    with collector_paused():  # millions of short-lived acyclic objects: see apps.core.collector
        total = job.row_count or len(table.rows)
        resource = resource_for(job.target)(
            progress=lambda done: report_progress(job.pk, done, total, "analysing"), progress_every=PROGRESS_EVERY,
        )
        run = Run(resource, table, dry_run=True)
        counts = run.counts()
        errors = [
            {"row": e.row, "column": e.column_header, "message": e.message, "code": e.code}
            for o in run.outcomes for e in o.errors
        ]
        ordered = run.ordered()
        members = [o for o in ordered if o.status in ("new", "updated")]
        # Nothing new or changed: there is nothing to confirm, the import ends here.
        ended = {"status": ImportStatus.PREVIEWED} if members else {"status": ImportStatus.NOTHING_TO_DO, "finished_at": timezone.now()}
        ImportJob.objects.filter(pk=job.pk).update(
            counts=counts, preview=[run.preview_row(o) for o in ordered[:PREVIEW_LIMIT]], errors=errors[:PREVIEW_LIMIT],
            plan=resource.plan(members, run.batch_row) if members else {},
            warnings=[warning.message for warning in run.warnings], row_count=len(run.outcomes),
            detected_encoding=job.detected_encoding, file_format=job.file_format, **ended,
        )
    report_progress(job.pk, len(run.outcomes), len(run.outcomes), "previewed")
    job.refresh_from_db(fields=[f.attname for f in ImportJob._meta.concrete_fields if f.name not in ("id", "data", "plan")])
    return job


def apply_import(job_id: int) -> ImportJob:
    """The confirmed import: draft versions and one review batch, in one transaction.

    Idempotent: a job that is not "applying" is left alone, and a run that
    failed wrote nothing (the transaction rolled back), so running it again is safe.
    """
    try:
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().defer("data", "preview", "errors", "warnings").get(pk=job_id)
            if job.status != ImportStatus.APPLYING:
                return job
            with collector_paused():
                _apply(job)
            return job
    except (NotAllowed, InvalidTransition, ImportRefused, ValidationError) as exc:
        message = getattr(exc, "message", None) or "；".join(getattr(exc, "messages", []) or [str(exc)])
        job = ImportJob.objects.get(pk=job_id)
        fail(job, message)
        return job
    except IntegrityError:
        # Another import or an editor created the same item meanwhile: nothing was written.
        job = ImportJob.objects.get(pk=job_id)
        fail(job, _("导入期间名录已被修改（例如另一份文件同时新增了同一家企业），本次没有写入任何数据。请重新上传文件预览后再确认。"))
        return job


def _apply(job: ImportJob) -> None:
    """Write the previewed rows: straight from the job's plan when nothing the
    preview depended on has changed since (the stored items the file names,
    their versions and state, open batches, the names matched, the day), else
    by importing the file again (``import_data(dry_run=False)``)."""
    resource_class = resource_for(job.target)
    by = job.confirmed_by
    require(may_import(by, resource_class), _("您没有批量导入%(label)s的权限。") % {"label": resource_class.schema.label})
    report_progress(job.pk, 0, job.row_count, "applying")
    resource = resource_class(
        by=by, summary=_("批量导入：%(file)s") % {"file": job.filename}, audit_data={"import_job": job.pk},
        write_progress=lambda done, total: report_progress(job.pk, done, max(total, 1), "applying"),
    )
    planned = resource_class.changes_from_plan(job.plan)
    if planned is not None:
        resource.write_drafts([change for change, _row in planned])
        counts = job.counts
        members = [(change.item.pk, change.revision.pk, row) for change, row in planned if change.revision is not None]
    else:
        run = Run(resource, read_job(job), dry_run=False)
        counts = run.counts()
        changes = resource.accepted_at
        members = [
            (changes[o.row].item.pk, changes[o.row].revision.pk, run.batch_row(o))
            for o in run.ordered() if o.status in ("new", "updated")
        ]
    batch_id = None
    if members:
        batch_id = _submit_batch(job, resource, members, counts, by=by)
    status = ImportStatus.DONE if members else ImportStatus.NOTHING_TO_DO
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, counts=counts, finished_at=timezone.now(), revisions_created=len(members), error="", batch_id=batch_id,
        plan={},
    )
    job.refresh_from_db(fields=["status", "counts", "finished_at", "revisions_created", "error", "batch", "plan"])
    audit(job, "enterprises.import_apply", by=by, counts=counts, revisions=len(members), batch=batch_id)
    report_progress(job.pk, job.row_count, job.row_count, "done")


def _submit_batch(job: ImportJob, resource: DirectoryResource, members: list[tuple], counts: dict, *, by) -> int:
    """One review batch for all the new versions, submitted at once (one approval).

    ``members``: (item pk, revision pk, row of the diff) in the preview's order;
    each row is stored with its member (``BatchEntry.preview``); a new item's
    fields are shown from its batched revision (``"changes_from": "revision"``),
    so the batch stores no copy.
    """
    from apps.editorial import actions as editorial
    from apps.editorial import batches

    label = resource.schema.label
    batch = batches.create_batch(
        title=_("%(label)s批量导入：%(file)s（%(n)d条）") % {"label": label, "file": job.filename, "n": len(members)},
        items=[(pk, revision_pk) for pk, revision_pk, _row in members],
        model=resource._meta.model,
        by=by,
        summary=counts,
        preview_rows=[row for _pk, _revision_pk, row in members],
    )
    editorial.submit(batch, by=by, note=_("导入记录 #%(id)d") % {"id": job.pk})
    return batch.pk


def purge_import_files(*, now=None) -> int:
    """Housekeeping (beat, ``enterprises.purge_import_files``): forget the uploaded
    file, preview and plan of imports refused or cancelled more than
    ``PARKPORTAL_ENTERPRISES_IMPORT_RETENTION_DAYS`` ago. The job stays in the
    import history (who, which file, when, counts, the reason). Returns the jobs purged."""
    now = now or timezone.now()
    days = getattr(settings, "PARKPORTAL_ENTERPRISES_IMPORT_RETENTION_DAYS", 30)
    return ImportJob.objects.filter(
        status__in=[ImportStatus.FAILED, ImportStatus.CANCELLED], finished_at__lt=now - timedelta(days=days),
        purged_at__isnull=True,
    ).update(data=b"", preview=[], plan={}, purged_at=now)
