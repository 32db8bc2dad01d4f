"""django-import-export widgets for the directory's columns.

A ``CellWidget`` turns one cell into a value the way staff expect from a
Chinese spreadsheet: the column's cleaning (:mod:`.cells`: full-width forms,
pinyin annotations, placeholders such as "无", a formula escape undone), then
its rule (:mod:`.parsers`, :mod:`.headcount`): the unified social credit code
(``apps.core.credit_code``: A/N/Y prefixes, full-width, case and spaces
normalised), clusters and qualifications by name, Chinese dates, capital with
thousands separators, headcount bands, websites, phones, platform kinds, levels
and host enterprises. A broken rule raises :class:`~.cells.CellError` (a
``ValueError``) carrying the Chinese rule and a code.

``clean()`` returns :data:`EMPTY` for an empty cell (leave the stored value
alone) and :data:`CLEAR` for a clear marker ("（清空）"); the resource decides
what they mean for its field (:mod:`.resources`).
"""

from __future__ import annotations

from typing import Any

from import_export import widgets

from apps.core.spreadsheets import UncomputedFormula

from .cells import CLEANERS, CLEAR_MARKERS, CellError, Lookups
from .columns import Column

FORMULA_WITHOUT_VALUE = "公式单元格没有计算结果：请在 Excel 或 WPS 中打开文件，重新计算并保存后再导入（或把公式换成数值）。"


class _Marker:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


EMPTY = _Marker("EMPTY")
CLEAR = _Marker("CLEAR")


class CellWidget(widgets.Widget):
    """One column's cell. ``lookups`` (names, today) is set by the resource before
    an import; results of repetitive columns are kept per distinct cell."""

    def __init__(self, column: Column):
        super().__init__(coerce_to_string=False)
        self.column = column
        self.clean_text = CLEANERS[column.kind]
        self.lookups: Lookups | None = None
        self.cache: dict | None = None

    def start(self, lookups: Lookups) -> None:
        self.lookups = lookups
        self.cache = {} if self.column.cached else None

    def clean(self, value: Any, row=None, **kwargs):
        raw = "" if value is None else value if isinstance(value, str) else str(value)
        if not raw:
            if type(raw) is UncomputedFormula:
                raise CellError("formula_without_value", FORMULA_WITHOUT_VALUE)
            return EMPTY
        cache = self.cache
        if cache is not None:
            found = cache.get(raw)
            if found is not None:
                if isinstance(found, CellError):
                    raise CellError(found.code, found.detail)
                return found
        try:
            result = self._clean(raw)
        except CellError as error:
            if cache is not None:
                cache[raw] = error
            raise
        if cache is not None:
            cache[raw] = result
        return result

    def _clean(self, raw: str):
        text = self.clean_text(raw)
        if not text:
            return EMPTY
        if text in CLEAR_MARKERS:
            return CLEAR
        return self.column.parser(text, self.lookups)

    def render(self, value, obj=None, **kwargs):
        """Export: typed values stay typed (XLSX gets date and number cells)."""
        return "" if value is None else value
