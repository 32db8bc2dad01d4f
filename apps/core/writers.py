"""Writing the directory's spreadsheets (CSV and XLSX), formula injection escaped.

    String cells go through :func:`escape_formula` (OWASP CSV injection).
    **Rule for numbers:** only text is escaped.  ``int``, ``float`` and
    ``Decimal`` values are real numbers: they are written as numbers in
    XLSX and as their plain decimal text in CSV ("-12.5"), never prefixed,
    because a number's text cannot carry a formula.  A *string* such as
    "-12.5" or "=1+1" is escaped ("'-12.5"), since the exporter cannot know
    what a spreadsheet will make of it.  :func:`unescape_formula` undoes the
    prefix, and the importer applies it, so exported files re-import
    unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any, Iterable, Sequence


class SpreadsheetError(ValueError):
    """The file cannot be read as a table.  ``message`` is Simplified Chinese.

    Codes: empty, no_header, not_spreadsheet, xls_unsupported, encrypted,
    corrupt_xlsx, unsupported_format, html_table, unknown_encoding,
    decode_error, encoding_unknown, sheet_not_found, encode_error.
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message


# OWASP CSV injection: cells starting with these are formulas (or DDE) in
# Excel, WPS, LibreOffice or Google Sheets.  Full-width variants are
# included as a precaution: East Asian spreadsheet builds convert them.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_NUMBER_TYPES = (int, float, Decimal)


def escape_formula(value: Any) -> str:
    """Return ``value`` as cell text, prefixed with ``'`` if it could run as a formula.

    Only text is escaped: ``int``/``float``/``Decimal`` values are real
    numbers and come back as plain decimal text ("-12.5"), which no
    spreadsheet evaluates.  Text is escaped when its first character, or
    the first after leading spaces, is one of :data:`FORMULA_TRIGGERS`
    (``= + - @``, tab, CR and their full-width forms).  ``None`` is "",
    dates are ISO ``YYYY-MM-DD``.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, _NUMBER_TYPES):
        return _number_text(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = value if isinstance(value, str) else str(value)
    if text and (
        text.startswith(FORMULA_TRIGGERS) or text.lstrip(" \u3000").startswith(FORMULA_TRIGGERS)
    ):
        return "'" + text
    return text


def unescape_formula(text: str) -> str:
    """Undo :func:`escape_formula` on a cell read back from an exported file."""
    if len(text) > 1 and text[0] == "'" and text[1:].lstrip(" \u3000").startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def _decimal_text(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


def _number_text(value: int | float | Decimal) -> str:
    if isinstance(value, Decimal):
        return _decimal_text(value) if value.is_finite() else ""
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    return str(value)


def write_csv(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    encoding: str = "utf-8-sig",
) -> bytes:
    """Write a CSV file (CRLF line ends) and return its bytes.

    The default UTF-8 with BOM opens correctly in Excel; ``"gb18030"`` suits
    old WPS/Excel installations.  Text cells are formula-escaped; numbers
    are written as plain numbers (see :func:`escape_formula`).
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([escape_formula(h) for h in headers])
    writer.writerows([escape_formula(cell) for cell in row] for row in rows)
    try:
        return buffer.getvalue().encode(encoding)
    except UnicodeEncodeError as error:
        char = error.object[error.start : error.end]
        raise SpreadsheetError(
            "encode_error", f"字符“{char}”无法用 {encoding} 编码保存，请改用 UTF-8 或 GB18030。"
        ) from error
    except LookupError as error:
        raise SpreadsheetError("unknown_encoding", f"不认识的文件编码“{encoding}”。") from error


def write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_title: str = "Sheet1",
) -> bytes:
    """Write a one-sheet XLSX workbook and return its bytes.

    Text cells are formula-escaped and stripped of the control characters
    XLSX cannot store; numbers stay numeric; dates are date cells shown as
    ``yyyy-mm-dd``.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31] or "Sheet1")
    header_font = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", escape_formula(header)))
        cell.font = header_font
        header_cells.append(cell)
    sheet.append(header_cells)

    date_format = "yyyy-mm-dd"
    for row in rows:
        out = []
        for value in row:
            if value is None or isinstance(value, bool):
                out.append(value)
            elif isinstance(value, _NUMBER_TYPES):
                if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
                    out.append(None)
                elif isinstance(value, Decimal) and not value.is_finite():
                    out.append(None)
                else:
                    out.append(value)
            elif isinstance(value, dt.datetime):
                out.append(value.replace(tzinfo=None))
            elif isinstance(value, dt.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = date_format
                out.append(cell)
            else:
                out.append(ILLEGAL_CHARACTERS_RE.sub("", escape_formula(value)))
        sheet.append(out)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
