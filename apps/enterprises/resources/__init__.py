"""Spreadsheet import and export of the directory through django-import-export.

One ``ModelResource`` per model (``EnterpriseResource``, ``PlatformResource``)
declares the columns once, for both directions: the Chinese header, and a
:class:`~.widgets.CellWidget` holding the column's cleaning and rule.

Import (``import_data``):

* **The dry run is the preview** (``import_data(dataset, dry_run=True)``): each
  row is new, updated, unchanged (``skip_unchanged``: nothing to write) or
  invalid, with the changed fields or the Chinese row/column/rule messages.
* The hooks do what the library leaves to us: ``before_import`` loads the
  names the widgets match and the stored items the file names (their latest
  version: a pending draft if there is one) in a few queries; ``get_instance``
  finds a row's item by its key; ``import_instance`` fills it (an empty cell
  leaves the stored value alone, "（清空）" clears it); ``skip_row`` skips an
  unchanged item; ``validate_instance`` refuses an item in review, locked or
  in another open batch; ``save_instance`` collects the accepted rows, and
  ``after_import`` hands them to the editorial engine's
  ``bulk_save_drafts`` — the rows become draft versions, never saved
  directly.
* ``use_bulk`` (no savepoint per row) and ``skip_diff`` (our own list of
  changed fields instead of the library's HTML diff).

Export (``export``): the same columns, ids as names, typed dates and numbers;
the file is written by :mod:`.writers` (formula injection escaped), so an
exported file re-imports unchanged.
"""

from __future__ import annotations

from django.utils import timezone

from apps.core.writers import write_csv, write_xlsx
from .base import DirectoryResource, FieldChange, Outcome  # noqa: F401
from .enterprises import EnterpriseResource
from .platforms import PlatformResource

RESOURCES: dict[str, type[DirectoryResource]] = {"enterprise": EnterpriseResource, "platform": PlatformResource}
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def resource_for(model_or_code) -> type[DirectoryResource]:
    if isinstance(model_or_code, str):
        return RESOURCES[model_or_code]
    return next(r for r in RESOURCES.values() if r._meta.model is model_or_code)


def export_file(code: str, queryset, file_format: str) -> tuple[bytes, str, str, int]:
    """(content, filename, content type, row count)."""
    if file_format not in FORMATS:
        raise ValueError(file_format)
    resource = RESOURCES[code]
    dataset = resource().export(queryset=queryset)
    headers = list(dataset.headers)
    rows = [[("" if value is None else value) for value in row] for row in dataset]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    content_type, extension = FORMATS[file_format]
    if file_format == "csv":
        content = write_csv(headers, rows)
    else:
        content = write_xlsx(headers, rows, sheet_title=resource.schema.label)
    return content, f"{code}s-{stamp}.{extension}", content_type, len(rows)
