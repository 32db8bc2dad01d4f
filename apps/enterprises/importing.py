"""Enterprise directory import: column mapping, cell validation and diffing.

Framework-free (no models, no ORM queries): the admin view reads the file
with :func:`apps.enterprises.spreadsheets.read_table`, loads the clusters,
qualifications and existing enterprises as plain mappings, and calls::

    plan = validate_rows(table, clusters={"新材料": 3, ...}, qualifications={...})
    outcomes = diff_against(plan, existing={"91110000600037341L": {...}, ...})

then shows the preview (every row new / updated / unchanged / invalid, with
its changes and errors) and, once confirmed, writes ``outcome.values`` (new)
or ``outcome.updates`` (updated).

Decisions (documented here because the preview and the upsert rely on them)
---------------------------------------------------------------------------

Empty cells
    An empty optional cell means **leave the stored value unchanged**, never
    "clear it": district sheets often omit columns they do not maintain.
    Common placeholders ("无", "暂无", "/", "-", "—", "N/A", "null", "未知",
    "不详") count as empty.  To clear a value on purpose, write one of
    :data:`CLEAR_MARKERS` ("（清空）", "[清空]", "【清空】"); the cleaned value
    is then ``None``.  Required fields (企业名称, 统一社会信用代码) can be
    neither empty nor cleared.

Headcount
    Stored as a band key from :data:`HEADCOUNT_BANDS`: ``0-19`` (20人以下),
    ``20-99``, ``100-299``, ``300-999``, ``1000+`` (1000人及以上).  The
    boundaries 20 / 100 / 300 / 1000 are those of the national SME size
    classification (统计上大中小微企业划分办法) for industry and for software
    and IT services.  A cell may hold a count ("85", "85人", "约85人") or a
    band ("20-99人", "20~99", "1000人以上", "20人以下", a key); a range that
    fits inside one band is accepted, one that spans two is an error.

NFKC scope
    Full NFKC (full-width → half-width for everything) is applied only to
    cells whose content is ASCII by nature: the credit code (by the core
    validator), dates, capital, headcount, website and phone.  In text that
    people read (name, short name, address, description, main products,
    cluster and qualification names) only full-width *letters and digits*
    and U+3000 are folded: Chinese punctuation "，（）：；" stays as it is,
    and in names half-width parentheses become full-width "（）", the form
    used in registered enterprise names, so "某某(新疆)有限公司" and
    "某某（新疆）有限公司" are one name and a re-import shows no change.
    Every text cell loses zero-width characters, surrounding whitespace
    (U+3000 included) and pinyin annotations such as "区(qū)"; runs of
    whitespace become one space (description and main products keep line
    breaks).  A leading ``'`` added by formula escaping on export is removed.

Clusters and qualifications
    Matched by name after NFKC, case folding and removal of spaces and
    quotation marks (so 专精特新"小巨人"企业 matches 专精特新“小巨人”企业).
    Cluster names may also omit a trailing 产业 / 产业集群 / 集群 / 行业.
    Aliases: pass them as extra keys of the mappings (several names → one
    id), and the built-in groups in :data:`CLUSTER_ALIASES` and
    :data:`QUALIFICATION_ALIASES` apply when exactly one name of a group
    is in the mapping.  Unknown names are an error listing the choices.
    A row has at most one cluster; qualifications are a tuple of ids in
    file order without repeats, compared as a set when diffing.

Cleaned values (the ``existing`` mapping must use the same types)
    name, short_name, address, description, main_products, website, phone,
    headcount: ``str``; credit_code: normalised ``str``; cluster: the id
    from ``clusters``; qualifications: ``tuple`` of ids; founded_on:
    ``datetime.date``; registered_capital: ``Decimal`` in 万元 (at most six
    decimals, i.e. to the fen).  ``existing`` entries need not contain the
    credit code itself; it is never reported as a change.

Row numbers and errors
    ``RowResult.row`` is the row number shown by Excel/WPS (the header row
    is :attr:`Table.header_row`, usually 1; blank rows are skipped but
    counted).  Every :class:`RowError` message reads "第12行，统一社会信用代码：
    校验码错误：第18位应为“L”…", the credit-code part being the core
    validator's own message.  In a file, every repeat of a credit code after
    its first row is invalid and names that first row.

Performance (bench/import/parse_only.py: 20,000 rows)
    The header map and parsers are built once; cells of repetitive columns
    (cluster, qualifications, date, capital, headcount) are parsed once per
    distinct raw value; canonical credit codes take a checked fast path;
    common capital and website shapes skip the general parsers; the cyclic
    GC is paused while the row objects are built.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, Callable, Iterable, Mapping, Sequence
from urllib.parse import urlsplit, urlunsplit

from apps.core import credit_code as cc
from apps.core.scripts import strip_pinyin_annotations

from .spreadsheets import Table, gc_paused as _gc_paused, unescape_formula

__all__ = [
    "Column",
    "COLUMNS",
    "COLUMNS_BY_KEY",
    "HeadcountBand",
    "HEADCOUNT_BANDS",
    "band_for_headcount",
    "CLEAR_MARKERS",
    "PLACEHOLDERS",
    "CLUSTER_ALIASES",
    "QUALIFICATION_ALIASES",
    "QUALIFICATION_SEPARATORS",
    "Status",
    "RowError",
    "FileWarning",
    "RowResult",
    "FieldChange",
    "RowOutcome",
    "ImportPlan",
    "HeaderMatch",
    "IGNORED_HEADERS",
    "CellError",
    "header_key",
    "match_headers",
    "clean_text",
    "validate_rows",
    "diff_against",
    "count_outcomes",
    "export_rows",
]


# ---------------------------------------------------------------------------
# Public types
# ---------------------------------------------------------------------------


class Status(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    INVALID = "invalid"


@dataclass(slots=True)
class RowError:
    """One broken rule.  ``message`` is the full sentence shown to staff,
    e.g. "第12行，统一社会信用代码：校验码错误：第18位应为“L”，实际为“X”。…";
    ``detail`` is the rule part alone.  File-level errors (a missing
    column) use the header's row number."""

    row: int
    column_header: str
    field: str | None
    code: str
    message: str
    detail: str = ""

    def __str__(self) -> str:
        return self.message


@dataclass(slots=True)
class FileWarning:
    """Something staff should know that does not stop the import (an unknown column)."""

    code: str
    message: str
    column_header: str = ""
    column: int | None = None  # 0-based column index


@dataclass(slots=True)
class RowResult:
    """A data row after validation.

    ``values`` holds only the cells that had content (see "Empty cells"),
    with ``None`` for a cleared field; when the row has errors it holds the
    cells that did parse.  ``cells`` is the raw row from the table.
    """

    row: int
    values: dict[str, Any]
    errors: tuple[RowError, ...]
    cells: Sequence[str] = ()

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def credit_code(self) -> str | None:
        return self.values.get("credit_code")

    @property
    def name(self) -> str | None:
        return self.values.get("name")


@dataclass(slots=True)
class FieldChange:
    field: str
    header: str
    old: Any
    new: Any


@dataclass(slots=True)
class RowOutcome:
    row: int
    status: Status
    credit_code: str | None
    values: dict[str, Any]
    changes: Sequence[FieldChange] = ()
    errors: tuple[RowError, ...] = ()

    @property
    def name(self) -> str | None:
        return self.values.get("name")

    @property
    def key(self) -> str | None:
        """The row's identifying value (the credit code, or a platform's name)."""
        return self.credit_code

    @property
    def changed_fields(self) -> list[str]:
        return [change.field for change in self.changes]

    @property
    def updates(self) -> dict[str, Any]:
        """Field → new value, for an UPDATE of the changed fields only."""
        return {change.field: change.new for change in self.changes}


class CellError(ValueError):
    """Raised by a column parser: ``detail`` is the Chinese rule text."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass
class HeaderMatch:
    columns: dict[str, int]  # field key → 0-based column index
    headers: dict[str, str]  # field key → the header as written in the file
    warnings: list[FileWarning]
    errors: list[RowError]


@dataclass
class ImportPlan:
    rows: list[RowResult]
    headers: list[str]
    columns: dict[str, int]
    header_row: int
    warnings: list[FileWarning]
    file_errors: list[RowError]
    cluster_names: dict[Any, str] = field(default_factory=dict)
    qualification_names: dict[Any, str] = field(default_factory=dict)
    schema: "Schema | None" = None
    # field key → {id: name}, for the preview of platform kinds and hosts.
    names: dict[str, dict[Any, str]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The field that identifies a row (credit_code for enterprises, name for platforms)."""
        return self.schema.key if self.schema is not None else "credit_code"

    @property
    def is_valid(self) -> bool:
        """True if nothing at all is wrong (no file error, no invalid row)."""
        return not self.file_errors and all(not row.errors for row in self.rows)

    @property
    def errors(self) -> list[RowError]:
        """File errors, then every row's errors in row order."""
        found = list(self.file_errors)
        for row in self.rows:
            found.extend(row.errors)
        return found

    @property
    def valid_rows(self) -> list[RowResult]:
        return [row for row in self.rows if not row.errors]

    @property
    def invalid_rows(self) -> list[RowResult]:
        return [row for row in self.rows if row.errors]

    def display(self, key: str, value: Any) -> str:
        """A cleaned value as text for the preview (ids become names)."""
        return _display(key, value, self.cluster_names, self.qualification_names, self.names)


# ---------------------------------------------------------------------------
# Headcount bands
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HeadcountBand:
    key: str
    label: str
    low: int
    high: int | None  # inclusive; None: no upper bound

    def __contains__(self, count: int) -> bool:
        return count >= self.low and (self.high is None or count <= self.high)


HEADCOUNT_BANDS: tuple[HeadcountBand, ...] = (
    HeadcountBand("0-19", "20人以下", 0, 19),
    HeadcountBand("20-99", "20-99人", 20, 99),
    HeadcountBand("100-299", "100-299人", 100, 299),
    HeadcountBand("300-999", "300-999人", 300, 999),
    HeadcountBand("1000+", "1000人及以上", 1000, None),
)
_BANDS_BY_KEY = {band.key: band for band in HEADCOUNT_BANDS}


def band_for_headcount(count: int) -> HeadcountBand:
    """The band holding ``count`` (``count`` >= 0)."""
    for band in HEADCOUNT_BANDS:
        if count in band:
            return band
    raise ValueError(f"negative headcount: {count}")


# ---------------------------------------------------------------------------
# Text cleaning
# ---------------------------------------------------------------------------

CLEAR_MARKERS = frozenset({"（清空）", "(清空)", "[清空]", "【清空】", "<清空>", "清空值"})
PLACEHOLDERS = frozenset(
    {"无", "暂无", "没有", "/", "／", "\\", "-", "--", "---", "—", "——", "－", "n/a", "na", "null", "none", "nil", "未知", "不详"}
)
_PLACEHOLDER_MAX = max(len(p) for p in PLACEHOLDERS)

# Full-width digits and Latin letters → ASCII; U+3000 → space; invisible
# format characters removed.  Chinese punctuation is left alone.
_FOLD_TABLE: dict[int, int | None] = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}
_FOLD_TABLE.update({cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)})
_FOLD_TABLE.update({cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)})
_FOLD_TABLE[0x3000] = 0x20
_FOLD_TABLE.update(dict.fromkeys([0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD], None))
_NEEDS_FOLD = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000\u200b-\u200d\u2060\ufeff\u00ad]")
_NEEDS_FOLD_OR_PINYIN = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000\u200b-\u200d\u2060\ufeff\u00ad(（]")
_NEEDS_NFKC_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")


def _fold(text: str) -> str:
    """Text fields: fold full-width letters/digits, strip pinyin annotations."""
    if _NEEDS_FOLD_OR_PINYIN.search(text) is None:
        return text
    if _NEEDS_FOLD.search(text) is not None:
        text = text.translate(_FOLD_TABLE)
    if "(" in text or "（" in text:
        text = strip_pinyin_annotations(text)
    return text


def _clean_line(raw: str) -> str:
    """One-line text: fold, strip, collapse whitespace runs to one space."""
    if not raw:
        return ""
    if raw[0] == "'":
        raw = unescape_formula(raw)
    if not raw.isascii():
        raw = _fold(raw)
    text = " ".join(raw.split())
    if len(text) <= _PLACEHOLDER_MAX and text.lower() in PLACEHOLDERS:
        return ""
    return text


def _clean_multiline(raw: str) -> str:
    """Multi-line text: as :func:`_clean_line` per line, line breaks kept."""
    if not raw:
        return ""
    if "\n" not in raw and "\r" not in raw:
        return _clean_line(raw)
    if raw[0] == "'":
        raw = unescape_formula(raw)
    if not raw.isascii():
        raw = _fold(raw)
    lines = [" ".join(line.split()) for line in raw.splitlines()]
    text = "\n".join(lines).strip("\n")
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    if len(text) <= _PLACEHOLDER_MAX and text.lower() in PLACEHOLDERS:
        return ""
    return text


def _clean_nfkc(raw: str) -> str:
    """Cells that are ASCII by nature: full NFKC, then as :func:`_clean_line`."""
    if not raw:
        return ""
    if raw[0] == "'":
        raw = unescape_formula(raw)
    if not raw.isascii():
        raw = unicodedata.normalize("NFKC", raw)
        if _NEEDS_NFKC_INVISIBLE.search(raw) is not None:
            raw = raw.translate(_FOLD_TABLE)
    text = " ".join(raw.split())
    if len(text) <= _PLACEHOLDER_MAX and text.lower() in PLACEHOLDERS:
        return ""
    return text


def _clean_code(raw: str) -> str:
    """Credit codes: 18 ASCII letters and digits pass untouched (the parser and
    the core validator normalise them); anything else is cleaned as one line."""
    if len(raw) == 18 and raw.isascii() and raw.isalnum():
        return raw
    return _clean_line(raw)


_CLEANERS = {"line": _clean_line, "multiline": _clean_multiline, "nfkc": _clean_nfkc, "code": _clean_code}


def clean_text(raw: str, kind: str = "line") -> str:
    """Clean one cell the way the importer does; ``kind`` is line, multiline or nfkc.

    Placeholders such as "无" or "/" come back as "".
    """
    return _CLEANERS[kind]("" if raw is None else str(raw))


def _name_key(text: str) -> str:
    """Matching key for cluster and qualification names."""
    text = unicodedata.normalize("NFKC", strip_pinyin_annotations(text)).casefold()
    return _NAME_KEY_DROP.sub("", text)


_NAME_KEY_DROP = re.compile(r"[\s\"'“”‘’「」『』《》<>〈〉·•・]+")
_CLUSTER_SUFFIXES = ("产业集群", "集群", "产业", "行业")


def _strip_cluster_suffix(key: str) -> str:
    for suffix in _CLUSTER_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


# ---------------------------------------------------------------------------
# Cell parsers
# ---------------------------------------------------------------------------


class _Context:
    """Per-call lookups and caches handed to every parser.

    ``lookups`` maps a lookup name to a {name: id} mapping: "cluster" and
    "qualifications" for enterprises, "platform_kind" for platforms (name
    lookups with aliases), and "host" ({credit code: id}, exact).
    """

    def __init__(self, lookups: Mapping[str, Mapping[str, Any]], today: dt.date):
        self.today = today
        self.clusters = _NameLookup(lookups.get("cluster") or {}, CLUSTER_ALIASES, strip_suffix=True)
        self.qualifications = _NameLookup(lookups.get("qualifications") or {}, QUALIFICATION_ALIASES)
        self.platform_kinds = _NameLookup(lookups.get("platform_kind") or {}, ())
        self.hosts: Mapping[str, Any] = lookups.get("host") or {}
        self.host_names: dict[Any, str] = dict(lookups.get("host_names") or {})


_AMBIGUOUS = object()


class _NameLookup:
    def __init__(self, mapping: Mapping[str, Any], alias_groups, *, strip_suffix: bool = False):
        self.strip_suffix = strip_suffix
        self.exact: dict[str, Any] = {}
        self.names: dict[Any, str] = {}  # id → first name given for it
        for name, ident in mapping.items():
            self.exact.setdefault(_name_key(name), ident)
            self.names.setdefault(ident, name)
        for group in alias_groups:
            present = {self.exact[_name_key(n)] for n in group if _name_key(n) in self.exact}
            if len(present) == 1:
                (ident,) = present
                for alias in group:
                    self.exact.setdefault(_name_key(alias), ident)
        self.loose: dict[str, Any] = {}
        if strip_suffix:
            for key, ident in self.exact.items():
                loose = _strip_cluster_suffix(key)
                if self.loose.get(loose, ident) != ident:
                    self.loose[loose] = _AMBIGUOUS
                else:
                    self.loose[loose] = ident

    def find(self, name: str):
        key = _name_key(name)
        ident = self.exact.get(key, _AMBIGUOUS)
        if ident is _AMBIGUOUS and self.strip_suffix:
            ident = self.loose.get(_strip_cluster_suffix(key), _AMBIGUOUS)
        return None if ident is _AMBIGUOUS else (ident,)

    def choices(self) -> str:
        names = list(self.names.values())
        if not names:
            return "（系统中尚未设置任何选项）"
        shown = "、".join(names[:30])
        return shown + ("等" if len(names) > 30 else "")


def _text_parser(max_length: int, *, min_length: int = 1, name: bool = False):
    def parse(text: str, ctx: _Context) -> str:
        if name:
            if "(" in text or ")" in text:
                text = text.replace("(", "（").replace(")", "）")
        length = len(text)
        if length > max_length:
            raise CellError("too_long", f"内容过长：最多{max_length}个字符，实际{length}个。")
        if length < min_length:
            raise CellError("too_short", f"内容过短：至少{min_length}个字符。")
        return text

    return parse


_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?E\+?\d+$", re.IGNORECASE)


# Fast path for codes already in canonical form (the vast majority): one
# regex for the alphabet, authority and region rules, and the check
# character computed in C.  Weights are 3**i mod 31 and 34 ≡ 3 (mod 31), so
# sum(value_i * 3**i) ≡ int(reversed code as base-34 digits, 34) (mod 31).
# The fast path only ever *accepts*; anything else, and every failure, goes
# through cc.validate, so all messages come from the core validator.  A test
# checks that both agree on random input.
_CANONICAL_CODE = re.compile(r"[1-9ANY][0-9A-HJ-NP-RTUW-Y][0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}", re.ASCII)
_BASE34 = str.maketrans({char: "0123456789abcdefghijklmnopqrstuvwxyz"[value] for value, char in enumerate(cc.ALPHABET)})
_FAST_CODES = (
    len(cc.ALPHABET) == 31
    and all(pow(34, i, 31) == weight for i, weight in enumerate(cc.WEIGHTS))
    and set(cc.REGISTERING_AUTHORITIES) == set("123456789ANY")
)


def _fast_credit_code(text: str) -> bool:
    """True if ``text`` is a canonical, valid code (False means "ask the core")."""
    if not _FAST_CODES or len(text) != 18 or _CANONICAL_CODE.fullmatch(text) is None:
        return False
    remainder = int(text[16::-1].translate(_BASE34), 34) % 31
    return cc.ALPHABET[(31 - remainder) % 31] == text[17]


def _parse_credit_code(text: str, ctx: _Context) -> str:
    if _fast_credit_code(text):
        return text
    try:
        return cc.validate(text)
    except cc.CreditCodeError as error:
        if _SCIENTIFIC.match(text):
            raise CellError(
                "scientific_notation",
                f"统一社会信用代码显示为科学计数法“{text}”，原值已被表格软件截断。"
                "请把该列设为“文本”格式后重新录入。",
            ) from error
        raise CellError(error.code, error.message) from error


def _parse_cluster(text: str, ctx: _Context):
    names = [part for part in _QUAL_SPLIT.split(text) if part.strip()]
    if len(names) > 1:
        raise CellError("multiple_clusters", f"只能填写一个产业集群，本单元格有{len(names)}个：{text}。")
    found = ctx.clusters.find(text)
    if found is None:
        raise CellError("unknown_cluster", f"未知的产业集群“{text}”。可选：{ctx.clusters.choices()}。")
    return found[0]


QUALIFICATION_SEPARATORS = "、，,;；\n|｜"
_QUAL_SPLIT = re.compile("[" + re.escape(QUALIFICATION_SEPARATORS) + "]")


def _parse_qualifications(text: str, ctx: _Context) -> tuple:
    ids: list[Any] = []
    unknown: list[str] = []
    for part in _QUAL_SPLIT.split(text):
        part = part.strip()
        if not part:
            continue
        found = ctx.qualifications.find(part)
        if found is None:
            unknown.append(part)
        elif found[0] not in ids:
            ids.append(found[0])
    if unknown:
        names = "、".join(f"“{u}”" for u in unknown)
        raise CellError(
            "unknown_qualification",
            f"未知的资质{names}。可选：{ctx.qualifications.choices()}；多个资质用“、”分隔。",
        )
    return tuple(ids)


_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DATE_PARTIAL = re.compile(r"^\d{4}\s*(?:[-/.年]\s*\d{1,2}\s*月?)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_FORMATS = "2015-03-01、2015/3/1、2015.3.1 或 2015年3月1日"


def _parse_date(text: str, ctx: _Context) -> dt.date:
    match = _DATE.match(text) or _DATE_COMPACT.match(text)
    if match is None:
        if text.isdigit() and len(text) == 5:
            # An Excel date serial that lost its date format (e.g. 42064).
            day = _EXCEL_EPOCH + dt.timedelta(days=int(text))
            return _check_date(day, ctx)
        if _DATE_PARTIAL.match(text):
            raise CellError("incomplete_date", f"日期“{text}”不完整：需要年、月、日，如{_DATE_FORMATS}。")
        raise CellError("invalid_date", f"无法识别的日期“{text}”：请使用{_DATE_FORMATS}。")
    year, month, day = (int(part) for part in match.groups())
    try:
        value = dt.date(year, month, day)
    except ValueError as error:
        if not 1 <= month <= 12:
            detail = f"日期“{text}”不存在：月份应在1-12之间。"
        else:
            detail = f"日期“{text}”不存在：{year}年{month}月没有{day}日。"
        raise CellError("invalid_date", detail) from error
    return _check_date(value, ctx)


def _check_date(value: dt.date, ctx: _Context) -> dt.date:
    if value > ctx.today:
        raise CellError("future_date", f"成立日期{value.isoformat()}晚于今天，请核对。")
    if value.year < 1900:
        raise CellError("invalid_date", f"成立日期{value.isoformat()}早于1900年，请核对。")
    return value


_CAPITAL_NUMBER = re.compile(r"^\+?(\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$")
_FOREIGN_CURRENCIES = ("美元", "港元", "港币", "欧元", "日元", "英镑", "澳元", "加元", "新台币", "卢布", "韩元", "USD", "HKD", "EUR", "JPY", "GBP")
_CAPITAL_PREFIXES = ("人民币", "rmb", "cny", "¥", "约")
_CAPITAL_UNITS = (("万元人民币", 1), ("万人民币", 1), ("万元", 1), ("万", 1), ("亿元", 10000), ("亿", 10000), ("元人民币", None), ("元", None))
_CAPITAL_RULE = "注册资本以万元为单位填写数字，如“1200”“1,200.5”或“1200万元”"
_MICRO = Decimal("0.000001")
_CAPITAL_MAX = Decimal(10) ** 10


_PLAIN_NUMBER = re.compile(r"[0-9]{1,10}(?:\.[0-9]{1,6})?", re.ASCII)


def _plain_decimal(s: str) -> Decimal:
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return Decimal(s)


def _parse_capital(text: str, ctx: _Context) -> Decimal:
    s = text.replace(",", "").replace(" ", "") if ("," in text or " " in text) else text
    # The common cases first: "1200", "1200.5", "1200万元", "1200万".
    if _PLAIN_NUMBER.fullmatch(s) is not None:
        return _plain_decimal(s)
    if s.endswith("万元") and _PLAIN_NUMBER.fullmatch(s, 0, len(s) - 2) is not None:
        return _plain_decimal(s[:-2])
    if s.endswith("万") and _PLAIN_NUMBER.fullmatch(s, 0, len(s) - 1) is not None:
        return _plain_decimal(s[:-1])
    upper = s.upper()
    for currency in _FOREIGN_CURRENCIES:
        if currency in upper:
            raise CellError(
                "foreign_currency", f"“{text}”不是人民币：请折算为人民币万元后填写数字。"
            )
    if s.startswith(("-", "−")) and _CAPITAL_NUMBER.match(s.lstrip("-−")):
        raise CellError("negative", f"不能为负数（“{text}”）。")
    lowered = s.lower()
    for prefix in _CAPITAL_PREFIXES:
        if lowered.startswith(prefix):
            s = s[len(prefix) :]
            lowered = lowered[len(prefix) :]
    factor: int | None = 1
    for unit, unit_factor in _CAPITAL_UNITS:
        if s.endswith(unit):
            s = s[: -len(unit)]
            factor = unit_factor
            break
    for prefix in _CAPITAL_PREFIXES:
        if s.lower().startswith(prefix):
            s = s[len(prefix) :]
    if s.startswith(("-", "−")):
        raise CellError("negative", f"不能为负数（“{text}”）。")
    if not _CAPITAL_NUMBER.match(s):
        raise CellError("invalid_number", f"无法识别“{text}”：{_CAPITAL_RULE}。")
    try:
        value = Decimal(s)
    except InvalidOperation as error:  # pragma: no cover - the regex guards this
        raise CellError("invalid_number", f"无法识别“{text}”：{_CAPITAL_RULE}。") from error
    if factor is None:
        value = value / 10000
    elif factor != 1:
        value = value * factor
    if value >= _CAPITAL_MAX:
        raise CellError("too_large", f"“{text}”数值过大，请确认单位是万元。")
    value = value.quantize(_MICRO, rounding=ROUND_HALF_UP)
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


_HEADCOUNT_INT = re.compile(r"^(\d+)(?:\.0+)?$")
_HEADCOUNT_RANGE = re.compile(r"^(\d+)(?:-|~|～|至|到|—|–|－)(\d+)$")
_HEADCOUNT_ABOVE = re.compile(r"^(?:(\d+)(?:以上|及以上|或以上|\+)|[>≥]=?(\d+))$")
_HEADCOUNT_BELOW = re.compile(r"^(?:(\d+)(?:以下|及以下|或以下)|[<≤](=?)(\d+))$")
_HEADCOUNT_RULE = (
    "请填写从业人数（整数）或人数区间："
    + "、".join(band.label for band in HEADCOUNT_BANDS)
)
_BAND_LABELS = {}
for _band in HEADCOUNT_BANDS:
    for _name in (_band.key, _band.label, _band.label.rstrip("人")):
        _BAND_LABELS[_name.replace(" ", "")] = _band
del _band, _name


def _parse_headcount(text: str, ctx: _Context) -> str:
    return _headcount_band(text).key


def _headcount_band(text: str) -> HeadcountBand:
    s = text.replace(" ", "").replace(",", "")
    band = _BAND_LABELS.get(s)
    if band is not None:
        return band
    if s.startswith("约"):
        s = s[1:]
    for suffix in ("人左右", "左右", "余人", "多人", "人", "名"):
        if s.endswith(suffix):
            s = s[: -len(suffix)]
            break
    if s.startswith(("-", "−")) and s[1:].isdigit():
        raise CellError("negative", f"不能为负数（“{text}”）。")
    match = _HEADCOUNT_INT.match(s)
    if match:
        return band_for_headcount(int(match.group(1)))
    s = s.replace("人", "")
    low = high = None
    if match := _HEADCOUNT_RANGE.match(s):
        low, high = int(match.group(1)), int(match.group(2))
        if low > high:
            raise CellError("invalid_headcount", f"人数区间“{text}”的下限大于上限。")
    elif match := _HEADCOUNT_ABOVE.match(s):
        low = int(match.group(1) or match.group(2))
        if match.group(2) is not None and "=" not in s and "≥" not in s:
            low += 1  # ">999" means 1000 or more
    elif match := _HEADCOUNT_BELOW.match(s):
        if match.group(1) is not None:
            high = int(match.group(1))
            # "20人以下" is the usual label for the band below 20.
            if any(band.low == high for band in HEADCOUNT_BANDS):
                high -= 1
        else:
            inclusive = match.group(2) == "=" or s.startswith("≤")
            high = int(match.group(3)) - (0 if inclusive else 1)
        low = 0
    else:
        raise CellError("invalid_headcount", f"无法识别“{text}”：{_HEADCOUNT_RULE}。")
    first = band_for_headcount(max(low, 0))
    if high is None:
        if first.high is None:
            return first
    elif high >= 0 and high in first:
        return first
    raise CellError(
        "ambiguous_headcount", f"人数区间“{text}”跨越了多个区间，{_HEADCOUNT_RULE}。"
    )


_HOST = re.compile(
    r"^(?:[0-9a-z\u00a1-\uffff](?:[0-9a-z\u00a1-\uffff-]{0,61}[0-9a-z\u00a1-\uffff])?\.)+"
    r"(?:[a-z\u00a1-\uffff]{2,63}|xn--[a-z0-9-]{1,59})\.?$"
)
_IPV4 = re.compile(r"^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


# The common shapes ("www.example.com", "https://example.com.cn/about"):
# same result as the general path below, without urlsplit.
_SIMPLE_URL = re.compile(
    r"(https?://)?((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})(/[A-Za-z0-9._~%/-]*)?"
)


def _parse_website(text: str, ctx: _Context) -> str:
    match = _SIMPLE_URL.fullmatch(text)
    if match is not None and len(text) <= 190:
        scheme, host, path = match.groups()
        return f"{scheme or 'https://'}{host.lower()}{path or ''}"
    return _parse_url(text)


def _parse_url(text: str) -> str:
    """The general website rule (the fast path above must agree with it)."""
    if " " in text:
        raise CellError("invalid_url", f"网址“{text}”中不能有空格。")
    url = text
    if not _SCHEME.match(url):
        if url.lower().startswith(("http:", "https:")):
            raise CellError("invalid_url", f"网址“{text}”格式不正确：应以 https:// 或 http:// 开头。")
        url = "https://" + url
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError as error:
        raise CellError("invalid_url", f"网址“{text}”格式不正确。") from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise CellError("invalid_url", f"网址“{text}”只能以 https:// 或 http:// 开头。")
    if parts.username or parts.password:
        raise CellError("invalid_url", f"网址“{text}”不能包含用户名或密码。")
    if not (_HOST.match(host) or _IPV4.match(host)):
        raise CellError("invalid_url", f"网址“{text}”中的域名“{host or ''}”不正确，如：www.example.com。")
    netloc = host if port is None else f"{host}:{port}"
    result = urlunsplit((scheme, netloc, parts.path, parts.query, parts.fragment))
    if len(result) > 200:
        raise CellError("too_long", f"网址过长：最多200个字符，实际{len(result)}个。")
    return result


_PHONE = re.compile(r"(?:[0-9+()/,;、#.\- ]|转|分机|或|ext|EXT|Ext|x)+")
_SEVEN_DIGITS = re.compile(r"(?:[^0-9]*[0-9]){7}")


def _parse_phone(text: str, ctx: _Context) -> str:
    if _PHONE.fullmatch(text) is None:
        raise CellError(
            "invalid_phone",
            f"“{text}”格式不正确：只能包含数字、空格、+、-、()、“转”或“分机”，多个号码用“、”分隔。",
        )
    if _SEVEN_DIGITS.match(text) is None:
        raise CellError("invalid_phone", f"“{text}”位数太少：至少7位数字（固话请带区号）。")
    if len(text) > 50:
        raise CellError("too_long", f"内容过长：最多50个字符，实际{len(text)}个。")
    return text


# ---------------------------------------------------------------------------
# Column spec
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One importable field.

    ``kind`` selects the cleaning applied before ``parser`` ("line",
    "multiline", "nfkc" or "code", see the module notes); ``parser(text, context)``
    gets the cleaned, non-empty text and returns the value or raises
    :class:`CellError`.  ``rule`` describes the accepted input for the
    import template and help text.
    """

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    kind: str = "line"
    parser: Callable[[str, Any], Any] | None = None
    rule: str = ""
    # Cells of this column repeat (cluster names, bands, dates): the result
    # for each distinct raw cell is computed once per validate_rows call.
    cached: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return (self.key, self.header, *self.aliases)


COLUMNS: tuple[Column, ...] = (
    Column(
        "name", "企业名称",
        ("名称", "企业全称", "公司名称", "单位名称", "企业(单位)名称", "市场主体名称", "企业名", "enterprise name", "company name", "company"),
        required=True, parser=_text_parser(200, min_length=2, name=True),
        rule="必填，与营业执照一致，最多200字",
    ),
    Column(
        "short_name", "企业简称", ("简称", "公司简称", "short name", "abbreviation"),
        parser=_text_parser(50, name=True), rule="最多50字",
    ),
    Column(
        "credit_code", "统一社会信用代码",
        ("社会信用代码", "信用代码", "统一信用代码", "统一代码", "uscc", "unified social credit code", "credit code"),
        required=True, kind="code", parser=_parse_credit_code,
        rule="必填，18位，GB 32100-2015；全角、小写、空格会自动规范",
    ),
    Column(
        "cluster", "所属产业", ("产业集群", "所属产业集群", "产业", "产业领域", "所属集群", "industry cluster"),
        parser=_parse_cluster, rule="填写一个产业集群名称", cached=True,
    ),
    Column(
        "qualifications", "资质", ("企业资质", "资质认定", "资质荣誉", "资质/荣誉", "资质类型", "qualification"),
        parser=_parse_qualifications, rule="多个资质用“、”“，”或“；”分隔", cached=True,
    ),
    Column(
        "founded_on", "成立日期", ("成立时间", "注册日期", "设立日期", "成立年月日", "founded", "date founded", "established"),
        kind="nfkc", parser=_parse_date, rule=_DATE_FORMATS, cached=True,
    ),
    Column(
        "registered_capital", "注册资本", ("注册资金", "注册资本金", "capital"),
        kind="nfkc", parser=_parse_capital, rule="人民币万元，如1200或1,200.5万元", cached=True,
    ),
    Column(
        "headcount", "从业人数", ("员工人数", "职工人数", "企业人数", "从业人员", "从业人员数", "员工数", "人数", "employees", "staff"),
        kind="nfkc", parser=_parse_headcount, rule="人数或区间：" + "、".join(b.label for b in HEADCOUNT_BANDS),
        cached=True,
    ),
    Column(
        "address", "地址", ("企业地址", "注册地址", "办公地址", "经营地址", "通讯地址", "住所", "详细地址"),
        parser=_text_parser(255), rule="最多255字",
    ),
    Column(
        "website", "网站", ("网址", "企业网站", "公司网站", "官网", "官方网站", "主页", "url", "homepage", "web"),
        kind="nfkc", parser=_parse_website, rule="如 www.example.com，未写协议时自动加 https://",
    ),
    Column(
        "phone", "联系电话", ("电话", "联系方式", "办公电话", "固定电话", "联系人电话", "telephone", "tel"),
        kind="nfkc", parser=_parse_phone, rule="固话带区号，如0991-1234567；多个号码用“、”分隔",
    ),
    Column(
        "description", "企业简介", ("简介", "公司简介", "企业介绍", "intro", "about"),
        kind="multiline", parser=_text_parser(4000), rule="最多4000字",
    ),
    Column(
        "main_products", "主要产品", ("主营产品", "产品", "主要产品/服务", "主要产品及服务", "主营业务", "products"),
        kind="multiline", parser=_text_parser(1000), rule="最多1000字",
    ),
)
COLUMNS_BY_KEY: dict[str, Column] = {column.key: column for column in COLUMNS}


# -- platforms (平台载体) ------------------------------------------------------


def _parse_platform_kind(text: str, ctx: _Context):
    found = ctx.platform_kinds.find(text)
    if found is None:
        raise CellError("unknown_platform_kind", f"未知的平台类型“{text}”。可选：{ctx.platform_kinds.choices()}。")
    return found[0]


PLATFORM_LEVELS = {
    "national": ("国家级", "国家", "国家级平台", "部级", "national"),
    "regional": ("自治区级", "自治区", "省级", "省部级", "区级（自治区）", "regional", "provincial"),
    "municipal": ("市级", "地市级", "乌鲁木齐市级", "municipal", "city"),
}
_LEVEL_LABELS = {key: names[0] for key, names in PLATFORM_LEVELS.items()}
_LEVEL_LOOKUP = {_name_key(name): key for key, names in PLATFORM_LEVELS.items() for name in (key, *names)}


def _parse_level(text: str, ctx: _Context) -> str:
    level = _LEVEL_LOOKUP.get(_name_key(text))
    if level is None:
        raise CellError("unknown_level", f"未知的级别“{text}”。可选：国家级、自治区级、市级。")
    return level


def _parse_host(text: str, ctx: _Context):
    code = _parse_credit_code(text, ctx)
    ident = ctx.hosts.get(code)
    if ident is None:
        raise CellError(
            "unknown_host",
            f"系统中没有统一社会信用代码为{code}的企业：请先导入或录入该企业，或清空此单元格。",
        )
    return ident


PLATFORM_COLUMNS: tuple[Column, ...] = (
    Column(
        "name", "平台名称", ("名称", "平台", "载体名称", "平台载体名称", "平台载体", "platform name", "platform"),
        required=True, parser=_text_parser(200, min_length=2, name=True), rule="必填，最多200字；按名称识别已有平台",
    ),
    Column(
        "kind", "平台类型", ("类型", "平台类别", "载体类型", "kind", "type"),
        required=True, parser=_parse_platform_kind, rule="填写一个平台类型名称", cached=True,
    ),
    Column(
        "level", "级别", ("平台级别", "认定级别", "level"),
        parser=_parse_level, rule="国家级、自治区级或市级", cached=True,
    ),
    Column(
        "host", "依托企业统一社会信用代码",
        ("依托单位统一社会信用代码", "依托企业信用代码", "运营主体统一社会信用代码", "host credit code", "host"),
        kind="code", parser=_parse_host, rule="依托企业的统一社会信用代码，该企业须已在名录中",
    ),
    Column(
        "established_on", "认定日期", ("成立日期", "成立时间", "认定时间", "获批日期", "设立日期", "established"),
        kind="nfkc", parser=_parse_date, rule=_DATE_FORMATS, cached=True,
    ),
    Column("address", "地址", ("平台地址", "详细地址", "address"), parser=_text_parser(255), rule="最多255字"),
    Column(
        "website", "网站", ("网址", "官网", "url", "website"),
        kind="nfkc", parser=_parse_website, rule="如 www.example.com，未写协议时自动加 https://",
    ),
    Column(
        "phone", "联系电话", ("电话", "联系方式", "telephone", "tel"),
        kind="nfkc", parser=_parse_phone, rule="固话带区号，如0991-1234567",
    ),
    Column(
        "description", "简介", ("平台简介", "介绍", "intro", "description"),
        kind="multiline", parser=_text_parser(4000), rule="最多4000字",
    ),
)


@dataclass(frozen=True)
class Schema:
    """What one kind of spreadsheet holds: its columns and the field that
    identifies a row (the upsert key, also checked for duplicates)."""

    name: str
    label: str
    columns: tuple[Column, ...]
    key: str

    @property
    def columns_by_key(self) -> dict[str, Column]:
        return {column.key: column for column in self.columns}


ENTERPRISES = Schema("enterprise", "企业名录", COLUMNS, "credit_code")
PLATFORMS = Schema("platform", "平台载体", PLATFORM_COLUMNS, "name")

# Built-in alias groups: when exactly one name of a group is in the mapping
# passed to validate_rows, the other names of the group match it too.
CLUSTER_ALIASES: tuple[tuple[str, ...], ...] = (
    ("现代服务业", "现代服务", "服务业"),
    ("生物医药与大健康", "生物医药和大健康", "生物医药及大健康", "生物医药", "大健康", "生物医药与健康"),
    ("新一代信息技术", "信息技术", "新一代IT", "IT"),
    ("新材料", "先进材料"),
)
QUALIFICATION_ALIASES: tuple[tuple[str, ...], ...] = (
    ("高新技术企业", "国家高新技术企业", "国家级高新技术企业", "高企", "国高"),
    ("科技型中小企业", "国家科技型中小企业", "科小"),
    ("专精特新中小企业", "专精特新企业", "专精特新"),
    ("专精特新“小巨人”企业", "专精特新小巨人", "国家级专精特新小巨人企业", "小巨人", "小巨人企业"),
    ("瞪羚企业", "瞪羚"),
    ("独角兽企业", "独角兽"),
)

_REQUIRED_MARK = re.compile(r"^\*+|\*+$|\((?:必填|必须|选填|可选|非必填)\)$|(?:必填|选填)$")
_HEADER_DROP = re.compile(r"[\s_\-:]+")
_TRAILING_NOTE = re.compile(r"(?:\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】)$")


# Columns that carry no enterprise data and are dropped without a warning.
IGNORED_HEADERS = frozenset({"序号", "编号", "行号", "no", "no.", "#"})


def header_key(text: str) -> str:
    """Normalise a header for matching: NFKC, case, spaces, "*" and "（必填）" ignored."""
    key = unicodedata.normalize("NFKC", text or "").casefold()
    key = _HEADER_DROP.sub("", key)
    previous = None
    while key != previous:
        previous = key
        key = _REQUIRED_MARK.sub("", key)
    return key


def _loose_header_key(key: str) -> str:
    """Also drop a trailing note: 注册资本（万元） → 注册资本."""
    previous = None
    while key != previous:
        previous = key
        key = _REQUIRED_MARK.sub("", _TRAILING_NOTE.sub("", key))
    return key


def _build_header_index(columns: Sequence[Column]) -> dict[str, Column]:
    index: dict[str, Column] = {}
    for column in columns:
        for name in column.names:
            key = header_key(name)
            other = index.setdefault(key, column)
            if other is not column:  # pragma: no cover - a programming error
                raise ValueError(f"header {name!r} maps to both {other.key} and {column.key}")
    return index


_HEADER_INDEX = _build_header_index(COLUMNS)
_HEADER_INDEXES = {"enterprise": _HEADER_INDEX, "platform": _build_header_index(PLATFORM_COLUMNS)}


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def match_headers(
    headers: Sequence[str], *, header_row: int = 1, format: str = "csv", schema: Schema | None = None
) -> HeaderMatch:
    """Map header cells to fields; report unknown, duplicate and missing columns."""
    schema = schema or ENTERPRISES
    header_index = _HEADER_INDEXES[schema.name]
    columns: dict[str, int] = {}
    found_headers: dict[str, str] = {}
    warnings: list[FileWarning] = []
    errors: list[RowError] = []
    for index, header in enumerate(headers):
        letter = _column_letter(index)
        if not header or not header.strip():
            warnings.append(
                FileWarning("empty_header", f"第{letter}列没有表头，该列已忽略。", "", index)
            )
            continue
        key = header_key(header)
        if key in IGNORED_HEADERS:
            continue
        column = header_index.get(key) or header_index.get(_loose_header_key(key))
        if column is None:
            warnings.append(
                FileWarning("unknown_column", f"未识别的列“{header}”（第{letter}列），导入时将忽略。", header, index)
            )
            continue
        if column.key in columns:
            first = columns[column.key]
            detail = (
                f"“{header}”（第{letter}列）与“{headers[first]}”（第{_column_letter(first)}列）"
                f"都对应“{column.header}”，请只保留一列。"
            )
            errors.append(
                RowError(header_row, header, column.key, "duplicate_column", f"第{header_row}行表头：{detail}", detail)
            )
            continue
        columns[column.key] = index
        found_headers[column.key] = header
    for column in schema.columns:
        if column.required and column.key not in columns:
            accepted = "、".join(dict.fromkeys([column.header, *column.aliases[:3], column.key]))
            detail = f"缺少必填列“{column.header}”（可用列名：{accepted}）。"
            if format == "csv":
                detail += "如果表头显示为乱码，请选择正确的文件编码（如 GBK）后重试。"
            errors.append(
                RowError(header_row, column.header, column.key, "missing_column", f"第{header_row}行表头：{detail}", detail)
            )
    return HeaderMatch(columns, found_headers, warnings, errors)


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------


def _beijing_today() -> dt.date:
    """Today in Beijing time, the official time (a founding date may be today)."""
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()


_MISSING = object()
_EMPTY = object()
_CLEAR = object()




def display_plan(schema: Schema, lookups: Mapping[str, Mapping[str, Any]]) -> ImportPlan:
    """A plan without rows, for ``display()`` of stored values (ids become names as in the preview)."""
    context = _Context(dict(lookups or {}), _beijing_today())
    return ImportPlan(
        rows=[], headers=[], columns={}, header_row=1, warnings=[], file_errors=[],
        cluster_names=context.clusters.names, qualification_names=context.qualifications.names,
        schema=schema, names={"kind": context.platform_kinds.names, "host": context.host_names},
    )


def validate_rows(
    table: Table,
    *,
    clusters: Mapping[str, Any] | None = None,
    qualifications: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
    schema: Schema | None = None,
    lookups: Mapping[str, Mapping[str, Any]] | None = None,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 500,
) -> ImportPlan:
    """Clean and check every data row of ``table``; nothing is written.

    ``clusters`` and ``qualifications`` map names (aliases welcome as extra
    keys) to ids.  ``today`` (default: today in Beijing time) bounds the
    founding date.  Blank rows are skipped but still counted, so
    ``RowResult.row`` is the row number staff see in their spreadsheet.
    A missing required column stops validation (no rows, a file error).

    ``schema`` is :data:`ENTERPRISES` (the default) or :data:`PLATFORMS`;
    platforms pass ``lookups={"platform_kind": {name: id}, "host": {credit
    code: enterprise id}, "host_names": {enterprise id: name}}``.

    ``progress`` (optional) is called with the number of data rows read so
    far, every ``progress_every`` rows (a progress bar for large files).
    """
    schema = schema or ENTERPRISES
    header_row = getattr(table, "header_row", 1)
    matched = match_headers(
        table.headers, header_row=header_row, format=getattr(table, "format", "csv"), schema=schema
    )
    all_lookups = dict(lookups or {})
    if clusters is not None:
        all_lookups["cluster"] = clusters
    if qualifications is not None:
        all_lookups["qualifications"] = qualifications
    context = _Context(all_lookups, today or _beijing_today())
    plan = ImportPlan(
        rows=[],
        headers=list(table.headers),
        columns=matched.columns,
        header_row=header_row,
        warnings=matched.warnings,
        file_errors=matched.errors,
        cluster_names=context.clusters.names,
        qualification_names=context.qualifications.names,
        schema=schema,
        names={"kind": context.platform_kinds.names, "host": context.host_names},
    )
    if any(error.code == "missing_column" for error in matched.errors):
        return plan

    specs = [
        (
            index,
            column.key,
            matched.headers[column.key],
            column.required,
            _CLEANERS[column.kind],
            column.parser,
            {} if column.cached else None,
        )
        for column in schema.columns
        if (index := matched.columns.get(column.key)) is not None
    ]
    specs.sort(key=lambda spec: spec[0])
    key_field = schema.key
    code_header = matched.headers[key_field]
    first_seen: dict[str, int] = {}
    results = plan.rows
    append = results.append
    clear_markers = CLEAR_MARKERS
    missing = _MISSING
    empty = _EMPTY
    clear = _CLEAR

    row_number = header_row
    needed = max(spec[0] for spec in specs) + 1
    no_errors: tuple = ()
    every = max(int(progress_every), 1) if progress is not None else 0
    with _gc_paused():
        for cells in table.rows:
            row_number += 1
            if every and (row_number - header_row) % every == 0:
                progress(row_number - header_row)
            if not cells:
                continue
            if len(cells) < needed:
                cells = [*cells, *([""] * (needed - len(cells)))]
            values: dict[str, Any] = {}
            errors = None
            for index, key, header, required, clean, parse, cache in specs:
                raw = cells[index]
                if not raw:
                    result = empty
                else:
                    result = missing if cache is None else cache.get(raw, missing)
                    if result is missing:
                        text = clean(raw)
                        if not text:
                            result = empty
                        elif text in clear_markers:
                            result = clear
                        else:
                            try:
                                result = parse(text, context)
                            except CellError as error:
                                result = error
                        if cache is not None:
                            cache[raw] = result
                if result is empty:
                    if required:
                        if key == "credit_code":
                            detail, code = cc.MESSAGES["empty"], "empty"
                        else:
                            detail, code = "必填，不能为空。", "required"
                        errors = errors or []
                        errors.append(RowError(row_number, header, key, code, f"第{row_number}行，{header}：{detail}", detail))
                elif result is clear:
                    if required:
                        detail = "必填，不能清空。"
                        errors = errors or []
                        errors.append(RowError(row_number, header, key, "required", f"第{row_number}行，{header}：{detail}", detail))
                    else:
                        values[key] = None
                elif type(result) is CellError:
                    errors = errors or []
                    errors.append(
                        RowError(row_number, header, key, result.code, f"第{row_number}行，{header}：{result.detail}", result.detail)
                    )
                else:
                    values[key] = result
            code_value = values.get(key_field)
            if code_value is not None:
                first = first_seen.get(code_value)
                if first is None:
                    first_seen[code_value] = row_number
                else:
                    detail = f"与第{first}行重复：同一文件中每个{code_header}只能出现一次（{code_value}）。"
                    errors = errors or []
                    errors.append(
                        RowError(row_number, code_header, key_field, "duplicate", f"第{row_number}行，{code_header}：{detail}", detail)
                    )
            append(RowResult(row_number, values, tuple(errors) if errors else no_errors, cells))
    return plan


# ---------------------------------------------------------------------------
# Diffing
# ---------------------------------------------------------------------------

def _same(key: str, old: Any, new: Any) -> bool:
    if old == new:
        return True
    if new is None:
        return old is None or old == "" or old == () or old == [] or old == set()
    if key == "qualifications":
        try:
            return set(old or ()) == set(new)
        except TypeError:
            return False
    if key == "founded_on" and isinstance(old, dt.datetime):
        return old.date() == new
    return False


def diff_against(plan: ImportPlan, existing: Mapping[str, Mapping[str, Any]]) -> list[RowOutcome]:
    """Compare each row with the enterprise holding the same credit code.

    ``existing`` maps a normalised credit code to that enterprise's cleaned
    values (same keys and types as ``RowResult.values``).  Only fields that
    have content in the file are compared (empty cells leave values alone);
    ``None`` (a clear marker) counts as a change if the stored value is set.
    For platforms the key is the platform's name (``plan.key``).
    """
    outcomes: list[RowOutcome] = []
    append = outcomes.append
    schema = plan.schema or ENTERPRISES
    key_field = schema.key
    headers = {column.key: column.header for column in schema.columns}
    get = existing.get
    with _gc_paused():
        for row in plan.rows:
            values = row.values
            if row.errors:
                append(RowOutcome(row.row, Status.INVALID, values.get(key_field), values, (), row.errors))
                continue
            code = values[key_field]
            old = get(code)
            if old is None:
                append(
                    RowOutcome(row.row, Status.NEW, code, {k: v for k, v in values.items() if v is not None})
                )
                continue
            changes = None
            old_get = old.get
            for key, new in values.items():
                if key == key_field:
                    continue
                previous = old_get(key)
                if previous == new or _same(key, previous, new):
                    continue
                if changes is None:
                    changes = []
                changes.append(FieldChange(key, headers[key], previous, new))
            if changes:
                append(RowOutcome(row.row, Status.UPDATED, code, values, changes))
            else:
                append(RowOutcome(row.row, Status.UNCHANGED, code, values))
    return outcomes


def count_outcomes(outcomes: Iterable[RowOutcome]) -> dict[str, int]:
    """{"new": n, "updated": n, "unchanged": n, "invalid": n}"""
    counts = {status.value: 0 for status in Status}
    for outcome in outcomes:
        counts[outcome.status.value] += 1
    return counts


# ---------------------------------------------------------------------------
# Export (the same columns, so an exported file re-imports unchanged)
# ---------------------------------------------------------------------------


def _display(
    key: str, value: Any, cluster_names: Mapping, qualification_names: Mapping, names: Mapping | None = None
) -> str:
    if value is None:
        return ""
    if names and key in names:
        return names[key].get(value, str(value))
    if key == "level":
        return _LEVEL_LABELS.get(value, str(value))
    if key == "cluster":
        return cluster_names.get(value, str(value))
    if key == "qualifications":
        return "、".join(qualification_names.get(ident, str(ident)) for ident in value)
    if key == "headcount":
        band = _BANDS_BY_KEY.get(value)
        return band.label if band else str(value)
    if key in ("founded_on", "established_on") and isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def export_rows(
    records: Iterable[Mapping[str, Any]],
    *,
    clusters: Mapping[str, Any],
    qualifications: Mapping[str, Any],
    columns: Sequence[str] | None = None,
) -> tuple[list[str], list[list[Any]]]:
    """Headers and cells for :func:`write_csv` / :func:`write_xlsx`.

    ``records`` are cleaned value dicts (as in ``existing``); ids become
    names, the headcount band its label; dates and capital stay ``date``
    and ``Decimal`` so XLSX gets real date and number cells.
    """
    keys = list(columns) if columns is not None else [column.key for column in COLUMNS]
    cluster_names: dict[Any, str] = {}
    for name, ident in clusters.items():
        cluster_names.setdefault(ident, name)
    qualification_names: dict[Any, str] = {}
    for name, ident in qualifications.items():
        qualification_names.setdefault(ident, name)
    headers = [COLUMNS_BY_KEY[key].header for key in keys]
    rows = []
    for record in records:
        row = []
        for key in keys:
            value = record.get(key)
            if value is None:
                row.append("")
            elif key in ("founded_on", "registered_capital"):
                row.append(value)
            else:
                row.append(_display(key, value, cluster_names, qualification_names))
        rows.append(row)
    return headers, rows
