"""Every write of the inspection app.

People's actions take the acting user (``by=``) and write an audit row: the
wording lists (one entry, a delete, an import that may replace the lists
wholesale) and a publisher's override of a blocking hit. A change to the lists
bumps their version (each process rebuilds its automaton once) and queues a
re-scan of live content through the outbox. The system's own records (live
wording hits, link-checker results, the weekly mail) are written by beat tasks,
which have no acting user, like ``apps.services`` deadline alerts.
"""

from __future__ import annotations

import uuid

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import outbox
from apps.core.audit import audit
from apps.core.errors import require, require_state
from apps.editorial import rules
from apps.editorial.actions import lock_for_update, may_publish_urgently
from apps.editorial.actions.base import ref, require_text

from .models import WordingEntry, WordingListState, WordingOverride

MANAGE_LISTS = "inspection.change_wordingentry"
RESCAN_TASK = "inspection.rescan_live_wording"


def _require_list_manager(by) -> None:
    require(by.is_active and by.has_perm(MANAGE_LISTS), _("您没有维护错敏词表的权限。"))


def lists_changed() -> None:
    """New version of the lists, and a re-scan of live content after commit."""
    state, _created = WordingListState.objects.get_or_create(pk=1)
    WordingListState.objects.filter(pk=state.pk).update(
        version=F("version") + 1, token=uuid.uuid4(), changed_at=timezone.now())
    outbox.enqueue(RESCAN_TASK)


@transaction.atomic
def save_entry(entry: WordingEntry, *, by) -> WordingEntry:
    """Add or change one entry (the admin form's instance)."""
    _require_list_manager(by)
    entry.term = (entry.term or "").strip()
    entry.suggestion = (entry.suggestion or "").strip()
    adding = entry.pk is None
    if adding:
        entry.created_by = by
    entry.updated_by = by
    entry.full_clean()
    entry.save()
    lists_changed()
    audit(entry, "inspection.add_wording_entry" if adding else "inspection.change_wording_entry", by=by,
          term=entry.term, kind=entry.kind, severity=entry.severity)
    return entry


@transaction.atomic
def delete_entries(entries, *, by) -> int:
    _require_list_manager(by)
    terms = list(entries.values_list("term", flat=True))
    if not terms:
        return 0
    WordingEntry.objects.filter(term__in=terms).delete()
    lists_changed()
    audit(None, "inspection.delete_wording_entries", by=by, terms=terms[:200], count=len(terms))
    return len(terms)


class ImportRefused(ValidationError):
    """The file cannot be imported: Chinese messages, one per problem."""


def _dataset(data: bytes, filename: str) -> tablib.Dataset:
    from apps.core.spreadsheets import SpreadsheetError, read_table
    from apps.core.writers import unescape_formula

    from .resources import HEADERS

    try:
        table = read_table(data, filename=filename)
    except SpreadsheetError as error:
        raise ImportRefused(error.message)
    headers = [h.strip() for h in table.headers]
    missing = [HEADERS[key] for key in ("term", "kind", "severity") if HEADERS[key] not in headers]
    if missing:
        raise ImportRefused(_("表头缺少：%(missing)s（应为：%(all)s）") % {
            "missing": "、".join(missing), "all": "、".join(HEADERS.values())})
    known = [i for i, h in enumerate(headers) if h in HEADERS.values()]
    rows = []
    for cells in table.rows:
        if not any(str(c).strip() for c in cells):
            continue
        cells = [*cells, *([""] * (len(headers) - len(cells)))]
        rows.append([unescape_formula(str(cells[i])) for i in known])
    return tablib.Dataset(*rows, headers=[headers[i] for i in known])


@transaction.atomic
def import_entries(data: bytes, *, by, filename: str = "", replace: bool = False, dry_run: bool = False) -> dict:
    """Import a list (CSV or XLSX). ``replace`` makes the file the whole list:
    terms not in it are deleted. Any bad row refuses the whole file (nothing is
    written) with every row's problem; ``dry_run`` reports without writing."""
    from .resources import HEADERS, WordingEntryResource

    _require_list_manager(by)
    dataset = _dataset(data, filename)
    if not len(dataset):
        raise ImportRefused(_("文件中没有词条。"))
    terms = [str(t).strip() for t in dataset[HEADERS["term"]]]
    seen, duplicates = set(), []
    for number, term in enumerate(terms, start=2):
        if term in seen:
            duplicates.append(_("第 %(row)s 行：词语“%(term)s”重复") % {"row": number, "term": term})
        seen.add(term)
    if duplicates:
        raise ImportRefused(duplicates)
    resource = WordingEntryResource(by=by)
    with transaction.atomic():
        result = resource.import_data(dataset, dry_run=True, raise_errors=False, use_transactions=False)
        transaction.set_rollback(True)
    problems = []
    for invalid in result.invalid_rows:
        for messages in invalid.error_dict.values():
            problems.extend(_("第 %(row)s 行：%(message)s") % {"row": invalid.number + 1, "message": m} for m in messages)
    for number, errors in result.row_errors():
        for error in errors:
            problems.append(_("第 %(row)s 行：%(message)s") % {"row": number + 1, "message": error.error})
    if result.has_errors() and not problems:
        problems.append(_("文件中有无法读取的行，请检查后重试。"))
    if problems:
        raise ImportRefused(problems)
    counts = {"new": result.totals.get("new", 0), "update": result.totals.get("update", 0),
              "skip": result.totals.get("skip", 0), "delete": 0}
    stale = WordingEntry.objects.exclude(term__in=terms) if replace else WordingEntry.objects.none()
    counts["delete"] = stale.count()
    if dry_run:
        return counts
    resource.import_data(dataset, dry_run=False, raise_errors=True, use_transactions=False)
    stale.delete()
    lists_changed()
    audit(None, "inspection.import_wording_entries", by=by, filename=filename[:200], replace=replace, **counts)
    return counts


def export_entries(*, fmt: str = "csv") -> bytes:
    """The lists as a CSV (UTF-8 with BOM) or XLSX file, formula-escaped."""
    from apps.core.writers import write_csv, write_xlsx

    from .resources import WordingEntryResource

    dataset = WordingEntryResource().export(WordingEntry.objects.order_by("kind", "term"))
    rows = [list(row) for row in dataset]
    if fmt == "xlsx":
        return write_xlsx(dataset.headers, rows, sheet_title=_("错敏词"))
    return write_csv(dataset.headers, rows)


def _is_publisher(by) -> bool:
    return by.is_active and by.has_perm(rules.PUBLISH)


def may_override(by, item) -> bool:
    """Whether ``by`` may let ``item``'s latest version through despite serious
    hits: a publisher who neither edited nor submitted it (the two-person rule)."""
    return _is_publisher(by) and may_publish_urgently(by, item)


@transaction.atomic
def override_wording(item, *, by, reason: str) -> WordingOverride:
    """A publisher lets the latest version through despite its serious hits, once."""
    from .wording import scan, unused_override

    reason = require_text(reason, _("放行严重错敏词必须填写理由。"))
    current = lock_for_update(item)
    require(_is_publisher(by), _("只有签发人可以放行严重错敏词。"))
    require(may_override(by, current), _("双人审核规则：编辑或提交该版本的人不能放行它。"))
    revision = current.latest_revision
    require_state(revision is not None, _("请先保存内容。"))
    serious = sorted({f.term for f in scan(current, revision) if f.blocking})
    require_state(bool(serious), _("该版本没有需要放行的严重错敏词。"))
    require_state(unused_override(current, revision) is None, _("该版本已有一次尚未使用的放行。"))
    override = WordingOverride.objects.create(
        **ref(current), item_repr=str(current)[:300], revision=revision, terms=serious, reason=reason, created_by=by)
    audit(current, "inspection.override_wording", by=by, note=reason, terms=serious, revision=revision.number)
    return override


def use_override(override: WordingOverride, *, item, by, stage: str) -> None:
    """A gate (submit, publish, schedule, urgent publish) that ``override`` opened
    for ``item`` uses it up; ``by`` is whoever passed the gate. Called by the
    wording check inside the transition's transaction."""
    WordingOverride.objects.filter(pk=override.pk).update(used_at=timezone.now(), used_for=stage)
    audit(item, "inspection.use_wording_override", by=by, note=override.reason, stage=stage,
          override=override.pk, terms=override.terms)
