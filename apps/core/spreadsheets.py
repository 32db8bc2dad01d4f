"""Reading spreadsheets (CSV and XLSX) that staff upload: the directory's imports, the
wording lists. Bytes in, strings out; framework-free (no models, no ORM, no settings).

Reading (:func:`read_table`)
    * The format is detected from the content, never from the file name:
      an XLSX file is a ZIP holding ``[Content_Types].xml`` and
      ``xl/workbook.xml``; everything else is treated as delimited text.
      Legacy ``.xls``, password-protected workbooks, ODS files, web pages
      saved as ".xls" and other binaries are refused with a Chinese message
      that says what to do instead.
    * CSV encoding: the caller's choice if given; otherwise a UTF-8 BOM
      means ``utf-8-sig``, then strict UTF-8, then GB18030 (a superset of
      GBK and GB2312, so WPS/Excel "ANSI" files on Chinese Windows decode,
      including characters such as 镕 and 堃; Excel's single-byte "€" 0x80
      is accepted too), with UTF-16 (BOM) for Excel's "Unicode text", and
      finally charset-normalizer.
    * CSV delimiter: comma, tab or semicolon, whichever the header line uses
      most (Excel's ``sep=`` first line is honoured).  The full-width comma
      "，" is used as the delimiter only when the first lines contain no
      ASCII delimiter at all; it is handled by the csv module directly, so
      quoted cells may still contain "，".
    * Leading blank rows and a one-cell title row above the header ("2024年
      高新区企业名录") are skipped; :attr:`Table.header_row` is the header's
      row number in the sheet, so row numbers in messages match what staff
      see in Excel/WPS.  Blank rows in the middle are kept (as empty lists)
      so numbering stays right; trailing blank rows and trailing empty
      header cells are dropped.
    * XLSX cells become strings: dates ``YYYY-MM-DD`` (a datetime with a
      time of day keeps ``YYYY-MM-DD HH:MM:SS``), integral floats lose the
      ``.0``, other floats use Excel's 15 significant digits, ``None``
      becomes ``""``.

Writing: :mod:`.writers` (re-exported here).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, Sequence

from apps.core.collector import collector_paused  # no Django: the rules stay testable alone

from .writers import FORMULA_TRIGGERS, SpreadsheetError, escape_formula, unescape_formula, write_csv, write_xlsx  # noqa: F401


class UncomputedFormula(str):
    """An XLSX formula saved without its result (written by a program, never opened in
    Excel or WPS): empty text, not an empty cell; the import reports it as such."""

    __slots__ = ()


UNCOMPUTED = UncomputedFormula("")
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


@dataclass
class Table:
    """A sheet as strings.

    ``rows[i]`` is spreadsheet row ``header_row + 1 + i`` (see
    :meth:`row_number`).  Rows may be shorter or longer than ``headers``; a
    blank row in the middle of the data is an empty list.
    """

    headers: list[str]
    rows: list[list[str]]
    encoding: str | None = None
    format: Literal["csv", "xlsx"] = "csv"
    header_row: int = 1
    delimiter: str | None = None
    sheet: str | None = None
    filename: str = ""

    def row_number(self, index: int) -> int:
        return self.header_row + 1 + index


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_MAGIC = {
    b"%PDF": "PDF 文档",
    b"\x89PNG": "PNG 图片",
    b"\xff\xd8\xff": "JPEG 图片",
    b"GIF8": "GIF 图片",
    b"Rar!": "RAR 压缩包",
    b"7z\xbc\xaf": "7z 压缩包",
    b"\x1f\x8b": "gzip 压缩包",
    b"{\\rtf": "RTF 文档",
}
_SAVE_AS_HINT = "请在 Excel 或 WPS 中打开后“另存为” .xlsx 或 CSV 再导入。"

# Control characters that never occur in a text spreadsheet (tab, LF, CR,
# form feed and vertical tab are allowed).
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SEP_LINE = re.compile(r"^sep=(.)\s*$", re.IGNORECASE)

# Names callers may pass for "detect it for me".
_AUTO = {"", "auto", "detect", "自动", "自动检测"}
# GB2312 files rarely are: WPS and Excel label GBK files "GB2312", and GBK
# characters such as 镕 or 堃 are outside GB2312.  GB18030 is a superset of
# both, so the explicit choices GB2312/GBK/CP936 all decode as GB18030.
_GB_FAMILY = {"gb2312", "gbk", "cp936", "gb18030"}


def read_table(
    data: bytes,
    *,
    filename: str = "",
    encoding: str | None = None,
    sheet: str | None = None,
) -> Table:
    """Parse CSV or XLSX ``data`` into a :class:`Table`.

    ``encoding`` applies to CSV only (``None`` or "auto" detects it);
    ``sheet`` picks an XLSX worksheet by name (default: the first visible
    one).  ``filename`` only appears in messages.  Raises
    :class:`SpreadsheetError`.
    """
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise SpreadsheetError("empty", "文件是空的，没有任何内容。")
    head = data[:8]
    if head.startswith(_ZIP_MAGIC):
        return _read_zip(data, sheet=sheet, filename=filename)
    if head.startswith(_OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data[:1 << 20] or (
            "EncryptedPackage".encode("utf-16-le") in data
        ):
            raise SpreadsheetError(
                "encrypted",
                "工作簿设置了打开密码（已加密），无法读取。请在 Excel 或 WPS 中取消密码后另存为 .xlsx 再导入。",
            )
        raise SpreadsheetError(
            "xls_unsupported",
            "不支持旧版 Excel 97-2003 工作簿（.xls）。" + _SAVE_AS_HINT,
        )
    for magic, kind in _BINARY_MAGIC.items():
        if head.startswith(magic):
            raise SpreadsheetError(
                "not_spreadsheet", f"上传的文件是{kind}，不是表格。请上传 .xlsx 或 CSV 文件。"
            )
    return _read_csv(data, encoding=encoding, filename=filename)


# -- XLSX --------------------------------------------------------------------


def _read_zip(data: bytes, *, sheet: str | None, filename: str) -> Table:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise SpreadsheetError(
            "corrupt_xlsx", "文件已损坏，无法作为 .xlsx 工作簿打开（ZIP 结构不完整）。" + _SAVE_AS_HINT
        ) from error
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        if "mimetype" in names:
            try:
                mimetype = archive.read("mimetype")[:100]
            except Exception:  # pragma: no cover - defensive
                mimetype = b""
            if b"spreadsheet" in mimetype:
                raise SpreadsheetError(
                    "unsupported_format", "不支持 OpenDocument 表格（.ods）。" + _SAVE_AS_HINT
                )
        if "word/document.xml" in names:
            raise SpreadsheetError("not_spreadsheet", "上传的文件是 Word 文档，不是表格。请上传 .xlsx 或 CSV 文件。")
        raise SpreadsheetError(
            "not_spreadsheet", "上传的文件是压缩包，不是 .xlsx 工作簿。请上传 .xlsx 或 CSV 文件。"
        )
    archive.close()
    return _read_xlsx(data, sheet=sheet, filename=filename)


def _read_xlsx(data: bytes, *, sheet: str | None, filename: str) -> Table:
    import openpyxl  # imported lazily: CSV-only callers never pay for it

    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except Exception as error:  # openpyxl raises many types on bad input
        raise SpreadsheetError(
            "corrupt_xlsx", "无法读取 .xlsx 工作簿，文件可能已损坏或不是标准格式。" + _SAVE_AS_HINT
        ) from error
    try:
        worksheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
        if sheet:
            chosen = next((ws for ws in worksheets if ws.title == sheet), None)
            if chosen is None:
                available = "、".join(ws.title for ws in worksheets) or "（无）"
                raise SpreadsheetError(
                    "sheet_not_found", f"工作簿中没有名为“{sheet}”的工作表，现有工作表：{available}。"
                )
        else:
            visible = [ws for ws in worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
            chosen = (visible or worksheets or [None])[0]
            if chosen is None:
                raise SpreadsheetError("no_header", "工作簿中没有工作表。")
        # Some generators write a wrong <dimension>; read every row instead.
        if hasattr(chosen, "reset_dimensions"):
            chosen.reset_dimensions()
        try:
            with collector_paused():
                raw_rows = [
                    [_xlsx_text(value) for value in row]
                    for row in chosen.iter_rows(values_only=True)
                ]
        except SpreadsheetError:
            raise
        except Exception as error:
            raise SpreadsheetError(
                "corrupt_xlsx", f"读取工作表“{chosen.title}”时出错，文件可能已损坏。" + _SAVE_AS_HINT
            ) from error
        title = chosen.title
    finally:
        workbook.close()
    _mark_uncomputed(data, title, raw_rows)
    headers, rows, header_row = _shape(raw_rows)
    return Table(
        headers=headers,
        rows=rows,
        encoding=None,
        format="xlsx",
        header_row=header_row,
        sheet=title,
        filename=filename,
    )


def _mark_uncomputed(data: bytes, title: str, raw_rows: list[list[str]]) -> None:
    """Blank cells that are formulas without a cached result become :data:`UNCOMPUTED`
    (the workbook is read again for its formulas, only when its XML has any)."""
    import openpyxl

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        if not any(_FORMULA_TAG.search(archive.read(name)) for name in sheets):
            return

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    try:
        sheet = workbook[title]
        getattr(sheet, "reset_dimensions", lambda: None)()
        with collector_paused():
            for cells, formulas in zip(raw_rows, sheet.iter_rows(values_only=True)):
                for index, formula in enumerate(formulas[: len(cells)]):
                    if not cells[index] and isinstance(formula, str) and formula.startswith("="):
                        cells[index] = UNCOMPUTED
    finally:
        workbook.close()


def _xlsx_text(value: Any) -> str:
    """Render one XLSX cell value as the string a person would type."""
    if value is None:
        return ""
    kind = type(value)
    if kind is str:
        return value
    if kind is int:
        return str(value)
    if kind is float:
        if abs(value) >= 2**53:
            # Beyond float precision (an 18-digit code typed as a number):
            # show it as Excel does rather than invent digits.
            return "%.15G" % value
        if value.is_integer():
            return str(int(value))
        text = "%.15g" % value  # Excel shows 15 significant digits
        return repr(value) if "e" in text else text
    if kind is dt.datetime:
        if value.hour == value.minute == value.second == value.microsecond == 0:
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if kind is dt.date:
        return value.isoformat()
    if kind is dt.time:
        return value.isoformat(timespec="seconds")
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if isinstance(value, Decimal):
        return _decimal_text(value)
    return str(value)


# -- CSV ---------------------------------------------------------------------


def _read_csv(data: bytes, *, encoding: str | None, filename: str) -> Table:
    text, used = _decode(data, encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    _refuse_non_tables(text)

    delimiter = None
    first_newline = text.find("\n")
    first_line = text[: first_newline if first_newline >= 0 else len(text)].strip("\r")
    sep = _SEP_LINE.match(first_line)
    if sep:
        delimiter = sep.group(1)
        text = text[first_newline + 1 :] if first_newline >= 0 else ""
    if delimiter is None:
        delimiter = _sniff_delimiter(text)

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        with collector_paused():
            raw_rows = list(reader)
    except csv.Error as error:
        raise SpreadsheetError(
            "not_spreadsheet", f"无法按 CSV 格式解析文件：{error}。请确认文件是 CSV 或 .xlsx。"
        ) from error
    headers, rows, header_row = _shape(raw_rows)
    return Table(
        headers=headers,
        rows=rows,
        encoding=used,
        format="csv",
        header_row=header_row,
        delimiter=delimiter,
        filename=filename,
    )


def _decode(data: bytes, encoding: str | None) -> tuple[str, str]:
    if encoding is not None and encoding.strip().lower() not in _AUTO:
        try:
            name = codecs.lookup(encoding.strip()).name
        except LookupError as error:
            raise SpreadsheetError("unknown_encoding", f"不认识的文件编码“{encoding}”。") from error
        if name in _GB_FAMILY:
            name = "gb18030"
        elif name == "utf-8" and data.startswith(codecs.BOM_UTF8):
            name = "utf-8-sig"
        elif name in ("utf-16", "utf-16-le", "utf-16-be") and data[:2] in (
            codecs.BOM_UTF16_LE,
            codecs.BOM_UTF16_BE,
        ):
            name = "utf-16"
        try:
            return data.decode(name, errors=_CP936_EURO if name == "gb18030" else "strict"), name
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            raise SpreadsheetError(
                "decode_error",
                f"无法按 {encoding} 编码读取文件：第{line}行附近有不属于该编码的字节。"
                "请确认文件编码，或选择“自动检测”。",
            ) from error

    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise SpreadsheetError("not_spreadsheet", "上传的文件不是文本表格（含有二进制内容）。请上传 .xlsx 或 CSV 文件。")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as error:
        if data[error.start : error.start + 1] == b"\x80":
            # Excel on Chinese Windows writes "€" as the single byte 0x80
            # (a CP936 extension that GBK and GB18030 codecs reject).
            try:
                return data.decode("gb18030", errors=_CP936_EURO), "gb18030"
            except UnicodeDecodeError:
                pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # pragma: no cover - defensive
        best = None
    if best is None or best.encoding is None:
        raise SpreadsheetError(
            "encoding_unknown",
            "无法识别文件编码（不是 UTF-8 或 GBK/GB18030）。请在 Excel 或 WPS 中另存为“CSV UTF-8”或 .xlsx 后再导入。",
        )
    return str(best), best.encoding


_CP936_EURO = "parkportal-cp936-euro"


def _cp936_euro(error: UnicodeError):
    if isinstance(error, UnicodeDecodeError) and error.object[error.start : error.start + 1] == b"\x80":
        return "€", error.start + 1
    raise error


codecs.register_error(_CP936_EURO, _cp936_euro)


def _refuse_non_tables(text: str) -> None:
    start = text[:2048].lstrip().lower()
    if start.startswith(("<!doctype html", "<html", "<table", "<meta")) or (
        start.startswith("<") and "<table" in text[:65536].lower()
    ):
        raise SpreadsheetError(
            "html_table",
            "文件实际是网页（HTML）格式，只是扩展名像表格。请用 Excel 或 WPS 打开后另存为 .xlsx 或 CSV 再导入。",
        )
    if start.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in text[:65536]:
        raise SpreadsheetError(
            "unsupported_format",
            "不支持“XML 电子表格 2003”格式。" + _SAVE_AS_HINT,
        )
    sample = text[:65536]
    if sample and len(_CONTROL_CHARS.findall(sample)) > max(2, len(sample) // 1000):
        raise SpreadsheetError(
            "not_spreadsheet", "上传的文件不是文本表格（含有大量控制字符）。请上传 .xlsx 或 CSV 文件。"
        )


def _sniff_delimiter(text: str) -> str:
    """Pick the delimiter from the first non-blank lines (header first)."""
    lines = []
    for line in io.StringIO(text[:65536]):
        if line.strip():
            lines.append(line)
            if len(lines) == 5:
                break
    best, best_count = ",", 0
    for line in lines:
        for candidate in (",", "\t", ";"):
            count = line.count(candidate)
            if count > best_count:
                best, best_count = candidate, count
        if best_count:
            # The first line that uses a delimiter decides (usually the
            # header; a one-cell title row above it has none).
            return best
    if any("，" in line for line in lines):
        return "，"
    return ","


# -- shared ------------------------------------------------------------------


def _is_blank(row: Sequence[str]) -> bool:
    for cell in row:
        if cell and not cell.isspace():
            return False
    return True


def _filled(row: Sequence[str]) -> int:
    return sum(1 for cell in row if cell and not cell.isspace())


def _shape(raw_rows: list[list[str]]) -> tuple[list[str], list[list[str]], int]:
    """Find the header, drop trailing blanks; return (headers, rows, header_row)."""
    end = len(raw_rows)
    while end and _is_blank(raw_rows[end - 1]):
        end -= 1
    start = 0
    while start < end and _is_blank(raw_rows[start]):
        start += 1
    if start >= end:
        raise SpreadsheetError("no_header", "文件中没有表头行：所有行都是空的。")
    # A one-cell title row ("2024年高新区企业名录") above a real header.
    if _filled(raw_rows[start]) == 1:
        for probe in range(start + 1, min(end, start + 4)):
            if _is_blank(raw_rows[probe]):
                continue
            if _filled(raw_rows[probe]) >= 2:
                start = probe
            break
    headers = [cell.strip().lstrip("\ufeff").strip() for cell in raw_rows[start]]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:  # pragma: no cover - _is_blank guarantees a cell
        raise SpreadsheetError("no_header", "文件中没有表头行。")
    rows = raw_rows[start + 1 : end]
    for index, row in enumerate(rows):
        if not row or _is_blank(row):
            rows[index] = []
    return headers, rows, start + 1
