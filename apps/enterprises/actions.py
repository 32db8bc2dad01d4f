"""Every write of the enterprise directory. Each action takes the acting user (``by``).

Single items go through the editorial engine's actions (``create_draft``,
``save_draft``, ``submit``); these add what the directory needs on the way
in: the credit code normalised, the pinyin sort key computed
(:mod:`.collation`), the proposal rules for enterprise users.

Spreadsheet imports: :func:`start_import` stores the file and checks that
it is a readable table with the required columns (a bad file is refused
with a Chinese message and nothing is kept but the failed job's record);
:func:`analyse_import` validates every row and diffs it against the
directory (the preview); :func:`confirm_import` and :func:`apply_import`
write the new and changed rows as draft versions (``kind=import``) in one
transaction and put them in one review batch, submitted for review. Files
with more than :data:`SYNC_ROW_LIMIT` rows are analysed and applied by
Celery tasks (:mod:`.tasks`), which take the job's id only.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import credit_code as cc
from apps.core.audit import audit
from apps.core.errors import InvalidTransition, NotAllowed, require, require_state
from apps.editorial import actions as editorial
from apps.editorial import rules
from apps.editorial.bulk import any_of
from apps.editorial.models import RevisionKind, Status

from . import collation
from .drafts import TIMINGS, Draft, write_drafts
from .importing import Status as RowStatus
from .importing import count_outcomes, diff_against, validate_rows
from .models import (
    Enterprise,
    EnterpriseMembership,
    ImportJob,
    ImportStatus,
    Platform,
)
from .spreadsheets import SpreadsheetError, read_table
from .targets import TARGETS, Target, chunks, target_for

log = logging.getLogger(__name__)

# Files with more data rows than this are analysed and applied by a Celery task.
SYNC_ROW_LIMIT = getattr(settings, "PARKPORTAL_ENTERPRISES_IMPORT_SYNC_ROWS", 500)
MAX_UPLOAD_BYTES = getattr(settings, "PARKPORTAL_ENTERPRISES_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
# The job row keeps at most this many preview rows and errors (the counts are complete).
PREVIEW_LIMIT = 2000
# A running job reports its progress (to the shared cache) every this many rows read.
PROGRESS_EVERY = getattr(settings, "PARKPORTAL_ENTERPRISES_IMPORT_PROGRESS_ROWS", 500)

# Fields an enterprise user may propose changes to (the rest is curated by staff).
PROPOSABLE_FIELDS = (
    "name", "short_name", "founded_on", "registered_capital", "headcount", "address",
    "website", "phone", "description", "main_products",
)


class ImportRefused(Exception):
    """The uploaded file cannot be imported; ``message`` says why, in Chinese."""

    def __init__(self, message: str, *, job: ImportJob | None = None):
        super().__init__(message)
        self.message = message
        self.job = job


# --- single items ---------------------------------------------------------------------


def prepare_fields(model, fields: dict) -> dict:
    """Normalise the credit code and compute the sort key (callers then clean and save)."""
    fields = dict(fields)
    if "credit_code" in fields and fields["credit_code"]:
        fields["credit_code"] = cc.normalize(fields["credit_code"])
    if "name" in fields:
        fields["sort_key"] = collation.sort_key(fields["name"] or "")
    return fields


def prepare_instance(obj) -> None:
    """The same for an instance a form has filled in (the admin's change form)."""
    if getattr(obj, "credit_code", None):
        obj.credit_code = cc.normalize(obj.credit_code)
    obj.sort_key = collation.sort_key(obj.name or "")


def _child_rows(qualifications=None, photos=None) -> dict | None:
    """Child rows to write; an accessor left as None keeps its rows."""
    children = {}
    if qualifications is not None:
        children["qualifications"] = [dict(row) for row in qualifications]
    if photos is not None:
        children["photos"] = [{"position": position, **dict(row)} for position, row in enumerate(photos)]
    return children or None


def create_enterprise(*, by, fields: dict, qualifications=None, photos=None, kind=RevisionKind.EDIT,
                      summary: str = "") -> Enterprise:
    """A new enterprise as a draft. ``qualifications``: dicts of kind, certificate_number,
    valid_from, valid_until; ``photos``: dicts of image and caption, in order."""
    return editorial.create_draft(
        Enterprise, by=by, fields=prepare_fields(Enterprise, fields),
        children=_child_rows(qualifications, photos), kind=kind, summary=summary,
    )


def edit_enterprise(enterprise, *, by, fields: dict | None = None, qualifications=None, photos=None,
                    kind=RevisionKind.EDIT, summary: str = "", base_revision_id: int | None = None):
    """A new draft version of an enterprise (the public keeps the published one)."""
    return editorial.save_draft(
        enterprise, by=by, fields=prepare_fields(Enterprise, fields or {}) or None,
        children=_child_rows(qualifications, photos), kind=kind, summary=summary,
        base_revision_id=base_revision_id,
    )


def create_platform(*, by, fields: dict, photos=None, kind=RevisionKind.EDIT, summary: str = "") -> Platform:
    return editorial.create_draft(
        Platform, by=by, fields=prepare_fields(Platform, fields), children=_child_rows(photos=photos),
        kind=kind, summary=summary,
    )


def edit_platform(platform, *, by, fields: dict | None = None, photos=None, kind=RevisionKind.EDIT, summary: str = ""):
    return editorial.save_draft(
        platform, by=by, fields=prepare_fields(Platform, fields or {}) or None, children=_child_rows(photos=photos),
        kind=kind, summary=summary,
    )


@transaction.atomic
def propose_edit(enterprise: Enterprise, *, by, fields: dict, note: str = ""):
    """An enterprise user proposes changes to their own entry: a draft version
    (``kind=proposal``) submitted for review like any other. Returns the revision."""
    membership = EnterpriseMembership.objects.filter(user=by).first()
    require(
        by.is_active and not by.is_staff and membership is not None and membership.enterprise_id == enterprise.pk,
        _("您只能申请修改本企业的信息。"),
    )
    unknown = set(fields) - set(PROPOSABLE_FIELDS)
    if unknown:
        raise ValidationError(_("以下信息不能由企业申请修改：%(f)s") % {"f": "、".join(sorted(unknown))})
    current = editorial.lock_for_update(enterprise)
    require_state(
        current.status not in (Status.IN_REVIEW, Status.SCHEDULED),
        _("本企业的信息正在审核中，请等待审核完成后再提交新的修改。"),
    )
    revision = editorial.save_draft(
        current, by=by, fields=prepare_fields(Enterprise, fields), kind=RevisionKind.PROPOSAL,
        summary=(note or _("企业申请更新信息"))[:200],
    )
    if revision is None:
        raise ValidationError(_("您没有修改任何信息。"))
    editorial.submit(current, by=by, note=note)
    audit(current, "enterprises.propose_edit", by=by, note=note, revision=revision.number, fields=sorted(fields))
    return revision


@transaction.atomic
def link_enterprise_user(user, enterprise: Enterprise, *, by) -> EnterpriseMembership:
    """Link an enterprise user's account to the one enterprise it speaks for."""
    require(by.is_active and by.has_perm("enterprises.add_enterprisemembership"), _("您没有关联企业账号的权限。"))
    if user.is_staff:
        raise ValidationError(_("工作人员账号不能关联为企业用户。"))
    membership, _created = EnterpriseMembership.objects.update_or_create(
        user=user, defaults={"enterprise": enterprise, "updated_by": by, "created_by": by},
    )
    audit(enterprise, "enterprises.link_user", by=by, user=user.pk)
    return membership


@transaction.atomic
def recompute_sort_keys(*, by) -> int:
    """Recompute every stored sort key (after :mod:`.collation` changes). Returns rows changed."""
    require(by.is_active and by.is_superuser, _("只有系统管理员可以重建排序键。"))
    changed = 0
    for model in (Enterprise, Platform):
        updates = []
        for obj in model._base_manager.only("pk", "name", "sort_key"):
            key = collation.sort_key(obj.name)
            if key != obj.sort_key:
                obj.sort_key = key
                updates.append(obj)
        model._base_manager.bulk_update(updates, ["sort_key"], batch_size=1000)
        changed += len(updates)
    audit(None, "enterprises.recompute_sort_keys", by=by, changed=changed)
    return changed


# --- spreadsheet imports ----------------------------------------------------------------


def may_import(user, target: Target) -> bool:
    return user.is_active and user.is_staff and user.has_perm(target.import_permission) and rules.can_add(user, target.model)


def estimate_rows(data: bytes) -> int:
    """A cheap upper bound on the number of data rows, without parsing."""
    if data[:4] == b"PK\x03\x04":
        import io
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                sheets = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
                if not sheets:
                    return 0
                with archive.open(sheets[0]) as sheet:
                    count = 0
                    for block in iter(lambda: sheet.read(1 << 20), b""):
                        count += block.count(b"<row ") + block.count(b"<x:row ")
                    return max(count - 1, 0)
        except (zipfile.BadZipFile, OSError, KeyError):
            return 0
    return max(data.count(b"\n") - 1, 0)


def start_import(target_code: str, *, by, data: bytes, filename: str, encoding: str = "auto") -> ImportJob:
    """Store an uploaded file and check it is a readable table with the required columns.

    Small files are analysed at once (the job is then ready for its preview);
    larger ones are queued for :func:`analyse_import`. Raises
    :class:`ImportRefused` for a bad file (the failed job is recorded).
    """
    target = target_for(target_code)
    require(may_import(by, target), _("您没有批量导入%(label)s的权限。") % {"label": target.schema.label})
    if not data:
        raise ImportRefused(_("请选择要导入的文件。"))
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportRefused(
            _("文件过大（%(size).1f MB），最多 %(max)d MB。请分成几个文件导入。")
            % {"size": len(data) / 1e6, "max": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    job = ImportJob.objects.create(
        target=target.code, filename=(filename or "upload")[:255], data=data, size=len(data),
        encoding=encoding or "auto", created_by=by, status=ImportStatus.ANALYSING,
    )
    audit(job, "enterprises.import_upload", by=by, filename=job.filename, size=job.size, target=target.code)
    try:
        table = _read(job)
    except ImportRefused as refused:
        _fail(job, refused.message)
        refused.job = job
        raise
    job.row_count = sum(1 for row in table.rows if row)
    ImportJob.objects.filter(pk=job.pk).update(
        row_count=job.row_count, detected_encoding=job.detected_encoding, file_format=job.file_format
    )
    if job.row_count == 0:
        _fail(job, _("文件中只有表头，没有数据行。"))
        raise ImportRefused(job.error, job=job)
    if job.row_count <= SYNC_ROW_LIMIT:
        return analyse_import(job.pk, table=table)
    from . import tasks

    transaction.on_commit(lambda: tasks.analyse_import.delay(job.pk))
    return job


def _read(job: ImportJob):
    """Read the job's file and check its header; raises ImportRefused."""
    from .importing import match_headers

    target = target_for(job.target)
    encoding = None if job.encoding in ("", "auto") else job.encoding
    try:
        table = read_table(bytes(job.data), filename=job.filename, encoding=encoding)
    except SpreadsheetError as error:
        raise ImportRefused(error.message) from error
    job.detected_encoding = table.encoding or ""
    job.file_format = table.format
    matched = match_headers(table.headers, header_row=table.header_row, format=table.format, schema=target.schema)
    if matched.errors:
        raise ImportRefused("；".join(error.message for error in matched.errors))
    return table


def _fail(job: ImportJob, message: str) -> None:
    job.status, job.error, job.finished_at = ImportStatus.FAILED, message, timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(status=job.status, error=message, finished_at=job.finished_at)


def _progress_key(job_id: int) -> str:
    return f"enterprises:import:{job_id}:progress"


def report_progress(job_id: int, done: int, total: int, stage: str) -> None:
    """Progress of a running job, in the shared cache (the job's own row is locked
    inside the import's transaction, so it cannot carry the progress)."""
    cache.set(_progress_key(job_id), {"done": done, "total": total, "stage": stage}, 3600)


def progress_of(job: ImportJob) -> dict:
    found = cache.get(_progress_key(job.pk)) or {}
    total = found.get("total") or job.row_count or 1
    done = min(found.get("done", 0), total)
    return {"done": done, "total": total, "stage": found.get("stage", ""), "percent": int(100 * done / total)}


def _plan(job: ImportJob, target: Target, table=None, *, stage: str = ""):
    """Validate and diff the job's file against the directory: (plan, outcomes, existing).

    With ``stage``, progress is reported every :data:`PROGRESS_EVERY` rows read.
    """
    table = table or _read(job)
    progress = None
    if stage:
        total = job.row_count or len(table.rows)

        def progress(done: int) -> None:
            report_progress(job.pk, done, total, stage)

    plan = validate_rows(
        table, schema=target.schema, lookups=target.lookups(), progress=progress, progress_every=PROGRESS_EVERY
    )
    keys = [row.values[target.schema.key] for row in plan.rows if not row.errors and target.schema.key in row.values]
    existing = target.load_existing(keys)
    outcomes = diff_against(plan, {key: found.values for key, found in existing.items()})
    outcomes = _refuse_locked(outcomes, existing, _batched(target, existing))
    return plan, outcomes, existing


def _batched(target: Target, existing) -> set:
    """Primary keys (as text) of the stored rows that sit in an open review batch."""
    from django.contrib.contenttypes.models import ContentType

    from apps.editorial.models import BatchEntry, Visibility

    ct = ContentType.objects.get_for_model(target.model, for_concrete_model=False)
    ids = [str(found.obj.pk) for found in existing.values()]
    found = set()
    from django.db import connection

    for part in chunks(ids, 20000 if connection.vendor == "postgresql" else 1000):
        found.update(
            BatchEntry.objects.filter(
                content_type=ct, object_id__in=any_of(BatchEntry, part, "text"), batch__visibility=Visibility.NONE,
            )
            .exclude(batch__status=Status.ARCHIVED).values_list("object_id", flat=True)
        )
    return found


_NOT_EDITABLE = {Status.IN_REVIEW: "正在审核中", Status.SCHEDULED: "已定时发布", Status.ARCHIVED: "已归档"}


def _refuse_locked(outcomes, existing, batched: set):
    """Rows for items that cannot take a new version now become invalid, with the reason."""
    from .importing import RowError, RowOutcome

    result = []
    for outcome in outcomes:
        found = existing.get(outcome.key) if outcome.status in (RowStatus.UPDATED,) else None
        reason = None
        if found is not None:
            obj = found.obj
            if obj.status in _NOT_EDITABLE:
                reason = _NOT_EDITABLE[obj.status]
            elif obj.lock_is_active():
                reason = _("已被 %(user)s 锁定编辑") % {"user": obj.locked_by}
            elif str(obj.pk) in batched:
                reason = _("在另一个待审核的批次中")
        if reason is None:
            result.append(outcome)
            continue
        detail = _("“%(name)s”%(reason)s，本次不能导入修改；请待其审核完成后重新导入。") % {"name": found.obj, "reason": reason}
        error = RowError(outcome.row, "", None, "not_editable", _("第%(row)d行：") % {"row": outcome.row} + detail, detail)
        result.append(RowOutcome(outcome.row, RowStatus.INVALID, outcome.credit_code, outcome.values, (), (error,)))
    return result


_PREVIEW_ORDER = {RowStatus.INVALID: 0, RowStatus.UPDATED: 1, RowStatus.NEW: 2, RowStatus.UNCHANGED: 3}


def _preview_order(outcome) -> tuple:
    """Invalid rows first, then changed, new, unchanged; by row within each."""
    return (_PREVIEW_ORDER[outcome.status], outcome.row)


def _preview_rows(plan, outcomes, *, limit: int | None = PREVIEW_LIMIT) -> list[dict]:
    """The per-row preview: invalid rows first, then changed, new, unchanged."""
    headers = {column.key: column.header for column in plan.schema.columns}
    ordered = sorted(outcomes, key=_preview_order)
    if limit is not None:
        ordered = ordered[:limit]
    return [_preview_row(plan, outcome, headers) for outcome in ordered]


def _preview_head(outcome) -> dict[str, Any]:
    return {
        "row": outcome.row, "status": outcome.status.value, "status_label": STATUS_LABELS[outcome.status],
        "key": outcome.key or "", "name": outcome.values.get("name") or "",
    }


def _preview_row(plan, outcome, headers: dict) -> dict:
    """One row of the preview: status, key, name and the changed fields (or the errors)."""
    entry = _preview_head(outcome)
    if outcome.status is RowStatus.UPDATED:
        entry["changes"] = [
            {"field": change.header, "old": plan.display(change.field, change.old), "new": plan.display(change.field, change.new)}
            for change in outcome.changes
        ]
    elif outcome.status is RowStatus.NEW:
        entry["changes"] = [
            {"field": headers[key], "old": "", "new": plan.display(key, value)}
            for key, value in outcome.values.items() if key in headers and value not in (None, "", ())
        ]
    elif outcome.status is RowStatus.INVALID:
        entry["errors"] = [
            {"column": error.column_header, "message": error.message, "rule": error.detail} for error in outcome.errors
        ]
    return entry


STATUS_LABELS = {RowStatus.NEW: "新增", RowStatus.UPDATED: "更新", RowStatus.UNCHANGED: "未变化", RowStatus.INVALID: "有错误"}


def _duplicates(outcomes) -> int:
    return sum(1 for o in outcomes for e in o.errors if e.code == "duplicate")


def analyse_import(job_id: int, *, table=None) -> ImportJob:
    """Validate every row and diff it against the directory; store the preview. Idempotent."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status != ImportStatus.ANALYSING:
        return job
    target = target_for(job.target)
    report_progress(job.pk, 0, job.row_count, "analysing")
    try:
        plan, outcomes, _existing = _plan(job, target, table, stage="analysing")
    except ImportRefused as refused:
        _fail(job, refused.message)
        raise
    counts = count_outcomes(outcomes)
    counts["duplicates"] = _duplicates(outcomes)
    counts["total"] = len(outcomes)
    errors = [
        {"row": e.row, "column": e.column_header, "message": e.message, "code": e.code}
        for o in outcomes for e in o.errors
    ]
    job.counts = counts
    job.preview = _preview_rows(plan, outcomes)
    job.errors = errors[:PREVIEW_LIMIT]
    job.warnings = [w.message for w in plan.warnings]
    job.status = ImportStatus.PREVIEWED
    ImportJob.objects.filter(pk=job.pk).update(
        counts=job.counts, preview=job.preview, errors=job.errors, warnings=job.warnings, status=job.status,
        row_count=len(outcomes), detected_encoding=job.detected_encoding, file_format=job.file_format,
    )
    job.row_count = len(outcomes)
    report_progress(job.pk, job.row_count, job.row_count, "previewed")
    return job


# The job's large columns (the file, the stored preview): read only where needed.
_BULKY = ("data", "preview", "errors", "warnings")


@transaction.atomic
def confirm_import(job: ImportJob, *, by) -> ImportJob:
    """Accept a previewed import: apply it now (small files) or queue it."""
    job = ImportJob.objects.select_for_update().defer(*_BULKY).get(pk=job.pk)
    target = target_for(job.target)
    require(may_import(by, target), _("您没有批量导入%(label)s的权限。") % {"label": target.schema.label})
    require_state(job.status == ImportStatus.PREVIEWED, _("该导入当前不能确认（状态：%(s)s）。") % {"s": job.get_status_display()})
    job.status, job.confirmed_by, job.confirmed_at = ImportStatus.APPLYING, by, timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(status=job.status, confirmed_by=by, confirmed_at=job.confirmed_at)
    audit(job, "enterprises.import_confirm", by=by, counts=job.counts)
    if job.row_count <= SYNC_ROW_LIMIT:
        return apply_import(job.pk)
    from . import tasks

    transaction.on_commit(lambda: tasks.apply_import.delay(job.pk))
    return job


@transaction.atomic
def cancel_import(job: ImportJob, *, by) -> ImportJob:
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    require(job.created_by_id == by.pk or by.is_superuser, _("只有导入人可以取消该导入。"))
    require_state(job.status in (ImportStatus.PREVIEWED, ImportStatus.FAILED), _("该导入当前不能取消。"))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CANCELLED, finished_at=timezone.now())
    job.status = ImportStatus.CANCELLED
    audit(job, "enterprises.import_cancel", by=by)
    return job


def apply_import(job_id: int) -> ImportJob:
    """Write the confirmed import: draft versions and one review batch, in one transaction.

    Idempotent: a job that is not "applying" is left alone, and a run that
    failed wrote nothing (the transaction rolled back), so running it again is safe.
    """
    try:
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().defer(*_BULKY[1:]).get(pk=job_id)
            if job.status != ImportStatus.APPLYING:
                return job
            _apply(job)
            return job
    except (NotAllowed, InvalidTransition, ImportRefused, ValidationError) as exc:
        message = getattr(exc, "message", None) or "；".join(getattr(exc, "messages", []) or [str(exc)])
        job = ImportJob.objects.get(pk=job_id)
        _fail(job, message)
        return job
    except IntegrityError:
        # Another import or an editor created the same enterprise meanwhile: the
        # transaction rolled back, nothing was written.
        job = ImportJob.objects.get(pk=job_id)
        _fail(job, _("导入期间名录已被修改（例如另一份文件同时新增了同一家企业），本次没有写入任何数据。请重新上传文件预览后再确认。"))
        return job


def _apply(job: ImportJob) -> None:
    target = target_for(job.target)
    by = job.confirmed_by
    require(may_import(by, target), _("您没有批量导入%(label)s的权限。") % {"label": target.schema.label})
    report_progress(job.pk, 0, job.row_count, "applying")
    clock = time.perf_counter()
    plan, outcomes, existing = _plan(job, target)
    TIMINGS["validate"] = time.perf_counter() - clock
    drafts = []
    for outcome in outcomes:
        if outcome.status is RowStatus.NEW:
            fields = target.model_fields(outcome.values)
            drafts.append(Draft(None, fields, target.new_children(outcome.values)))
        elif outcome.status is RowStatus.UPDATED:
            found = existing[outcome.key]
            fields = target.model_fields(outcome.updates)
            drafts.append(Draft(found, fields, target.new_children(outcome.updates, previous=found.children)))
    counts = count_outcomes(outcomes)
    counts["duplicates"] = _duplicates(outcomes)
    counts["total"] = len(outcomes)
    summary = _("批量导入：%(file)s") % {"file": job.filename}
    written = 0
    for start in range(0, len(drafts), 2000):
        part = drafts[start : start + 2000]
        write_drafts(target, part, by=by, kind=RevisionKind.IMPORT, summary=summary, audit_data={"import_job": job.pk})
        written += len(part)
        report_progress(job.pk, written, max(len(drafts), 1), "applying")
    batch_id = None
    clock = time.perf_counter()
    if drafts:
        batch_id = _submit_batch(job, target, drafts, plan, outcomes, counts, by=by)
    TIMINGS["batch"] = time.perf_counter() - clock
    now = timezone.now()
    status = ImportStatus.DONE if drafts else ImportStatus.NOTHING_TO_DO
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, counts=counts, finished_at=now, revisions_created=len(drafts), error="", batch_id=batch_id,
    )
    job.status, job.counts, job.finished_at, job.revisions_created = status, counts, now, len(drafts)
    job.batch_id = batch_id
    audit(job, "enterprises.import_apply", by=by, counts=counts, revisions=len(drafts), batch=batch_id)
    report_progress(job.pk, job.row_count, job.row_count, "done")


def _submit_batch(job, target, drafts, plan, outcomes, counts, *, by):
    """One review batch for all the new versions, submitted at once (one approval).

    The members go in in the preview's order, each with its row of the diff
    (``BatchEntry.preview``): the batch row and its revision stay small.
    """
    from apps.editorial import batches

    changed = [o for o in outcomes if o.status in (RowStatus.NEW, RowStatus.UPDATED)]
    assert len(changed) == len(drafts)
    clock = time.perf_counter()
    members = sorted(zip(changed, drafts), key=lambda pair: _preview_order(pair[0]))
    headers = {column.key: column.header for column in plan.schema.columns}
    # A new item's changes are all its fields: the reviewer's diff makes them from the
    # batched revision (ReviewBatch.diff_rows), the batch stores no second copy.
    preview_rows = [
        _preview_row(plan, outcome, headers) if outcome.status is RowStatus.UPDATED
        else {**_preview_head(outcome), "changes_from": "revision"}
        for outcome, _draft in members
    ]
    TIMINGS["batch_preview"] = time.perf_counter() - clock
    batch = batches.create_batch(
        title=_("%(label)s批量导入：%(file)s（%(n)d条）") % {"label": target.schema.label, "file": job.filename, "n": len(drafts)},
        items=[(draft.pk, draft.revision_id) for _outcome, draft in members],
        model=target.model,
        by=by,
        summary={k: counts[k] for k in ("new", "updated", "unchanged", "invalid", "duplicates", "total")},
        preview_rows=preview_rows,
    )
    TIMINGS["batch_create"] = time.perf_counter() - clock - TIMINGS["batch_preview"]
    editorial.submit(batch, by=by, note=_("导入记录 #%(id)d") % {"id": job.pk})
    TIMINGS["batch_submit"] = time.perf_counter() - clock - TIMINGS["batch_preview"] - TIMINGS["batch_create"]
    return batch.pk


# --- export --------------------------------------------------------------------------------


def export_directory(target_code: str, queryset, *, by, file_format: str) -> tuple[bytes, str, str]:
    """The rows of ``queryset`` as CSV or XLSX with the import's Chinese headers.
    Returns (content, filename, content type). Formula injection is escaped."""
    from .resources import export_file

    target = TARGETS[target_code]
    require(by.is_active and rules.can_view(by, target.model), _("您没有导出该数据的权限。"))
    content, filename, content_type, rows = export_file(target, queryset, file_format)
    audit(None, "enterprises.export", by=by, target=target.code, format=file_format, rows=rows)
    return content, filename, content_type
