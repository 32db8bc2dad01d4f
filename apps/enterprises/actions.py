"""Every write of the enterprise directory. Each action takes the acting user (``by``).

Single items go through the editorial engine's actions (``create_draft``,
``save_draft``, ``submit``); these add what the directory needs on the way
in: the credit code normalised, the pinyin sort key computed
(:mod:`.collation`), the proposal rules for enterprise users.

Spreadsheet imports: :func:`start_import` stores the file and checks that
it is a readable table with the required columns (a bad file is refused
with a Chinese message and nothing is kept but the failed job's record);
:func:`confirm_import` accepts the preview, :func:`cancel_import` drops it.
The work itself (the dry run that is the preview, the import that writes
draft versions in one review batch) is :mod:`.importing`'s: run here for
files of at most :data:`SYNC_ROW_LIMIT` rows, queued as Celery tasks
(:mod:`.tasks`, the job's id only, through the outbox) for larger ones.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import credit_code as cc
from apps.core import outbox
from apps.core.audit import audit
from apps.core.collector import collector_paused
from apps.core.errors import NotAllowed, require, require_state  # noqa: F401  (NotAllowed: callers catch it here)
from apps.editorial import actions as editorial
from apps.editorial import rules
from apps.editorial.models import RevisionKind, Status

from . import collation
from .importing import BULKY, ImportRefused, analyse_import, apply_import, fail, may_import, progress_of, read_job  # noqa: F401
from .models import Enterprise, EnterpriseMembership, ImportJob, ImportStatus, Platform
from .resources import resource_for

log = logging.getLogger(__name__)

# Files with more data rows than this are analysed and applied by a Celery task.
SYNC_ROW_LIMIT = getattr(settings, "PARKPORTAL_ENTERPRISES_IMPORT_SYNC_ROWS", 500)
MAX_UPLOAD_BYTES = getattr(settings, "PARKPORTAL_ENTERPRISES_IMPORT_MAX_BYTES", 20 * 1024 * 1024)

# Fields an enterprise user may propose changes to (the rest is curated by staff).
PROPOSABLE_FIELDS = (
    "name", "short_name", "founded_on", "registered_capital", "headcount", "address",
    "website", "phone", "description", "main_products",
)


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
    larger ones are queued. Raises :class:`ImportRefused` for a bad file (the
    failed job is recorded).
    """
    resource = resource_for(target_code)
    require(may_import(by, resource), _("您没有批量导入%(label)s的权限。") % {"label": resource.schema.label})
    if not data:
        raise ImportRefused(_("请选择要导入的文件。"))
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportRefused(
            _("文件过大（%(size).1f MB），最多 %(max)d MB。请分成几个文件导入。")
            % {"size": len(data) / 1e6, "max": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    job = ImportJob.objects.create(
        target=resource.code, filename=(filename or "upload")[:255], data=data, size=len(data),
        encoding=encoding or "auto", created_by=by, status=ImportStatus.ANALYSING,
    )
    audit(job, "enterprises.import_upload", by=by, filename=job.filename, size=job.size, target=resource.code)
    try:
        with collector_paused():  # see apps.core.collector
            table = read_job(job)
    except ImportRefused as refused:
        fail(job, refused.message)
        refused.job = job
        raise
    job.row_count = sum(1 for row in table.rows if row)
    ImportJob.objects.filter(pk=job.pk).update(
        row_count=job.row_count, detected_encoding=job.detected_encoding, file_format=job.file_format
    )
    if job.row_count == 0:
        fail(job, _("文件中只有表头，没有数据行。"))
        raise ImportRefused(job.error, job=job)
    if job.row_count <= SYNC_ROW_LIMIT:
        return analyse_import(job.pk, table=table)
    outbox.enqueue("enterprises.analyse_import", job.pk)
    return job


@transaction.atomic
def confirm_import(job: ImportJob, *, by) -> ImportJob:
    """Accept a previewed import: apply it now (small files) or queue it."""
    job = ImportJob.objects.select_for_update().defer(*BULKY).get(pk=job.pk)
    resource = resource_for(job.target)
    require(may_import(by, resource), _("您没有批量导入%(label)s的权限。") % {"label": resource.schema.label})
    require_state(job.status == ImportStatus.PREVIEWED, _("该导入当前不能确认（状态：%(s)s）。") % {"s": job.get_status_display()})
    job.status, job.confirmed_by, job.confirmed_at = ImportStatus.APPLYING, by, timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(status=job.status, confirmed_by=by, confirmed_at=job.confirmed_at)
    audit(job, "enterprises.import_confirm", by=by, counts=job.counts)
    if job.row_count <= SYNC_ROW_LIMIT:
        return apply_import(job.pk)
    outbox.enqueue("enterprises.apply_import", job.pk)
    return job


@transaction.atomic
def cancel_import(job: ImportJob, *, by) -> ImportJob:
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    require(job.created_by_id == by.pk or by.is_superuser, _("只有导入人可以取消该导入。"))
    require_state(job.status in (ImportStatus.PREVIEWED, ImportStatus.FAILED), _("该导入当前不能取消。"))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CANCELLED, finished_at=timezone.now(), plan={})
    job.status = ImportStatus.CANCELLED
    audit(job, "enterprises.import_cancel", by=by)
    return job


# --- export --------------------------------------------------------------------------------


def export_directory(target_code: str, queryset, *, by, file_format: str) -> tuple[bytes, str, str]:
    """The rows of ``queryset`` as CSV or XLSX with the import's Chinese headers.
    Returns (content, filename, content type). Formula injection is escaped."""
    from .resources import export_file

    resource = resource_for(target_code)
    require(by.is_active and rules.can_view(by, resource._meta.model), _("您没有导出该数据的权限。"))
    content, filename, content_type, rows = export_file(resource.code, queryset, file_format)
    audit(None, "enterprises.export", by=by, target=resource.code, format=file_format, rows=rows)
    return content, filename, content_type
