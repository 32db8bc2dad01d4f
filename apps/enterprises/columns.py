"""The columns of the directory's spreadsheets: Chinese headers and their aliases,
the cleaning and rule of each column, and how a stored value is shown."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Mapping, Sequence

from . import parsers
from .headcount import BANDS_BY_KEY, HEADCOUNT_BANDS, parse_headcount


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


@dataclass
class HeaderMatch:
    columns: dict[str, int]  # field key → 0-based column index
    headers: dict[str, str]  # field key → the header as written in the file
    warnings: list[FileWarning]
    errors: list[RowError]


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
    # for each distinct raw cell is computed once per import.
    cached: bool = False
    # The model attribute the column fills (None: qualifications, which are child rows).
    attname: str | None = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "attname", _ATTNAMES.get(self.key, self.key))

    @property
    def names(self) -> tuple[str, ...]:
        return (self.key, self.header, *self.aliases)


_ATTNAMES = {"cluster": "cluster_id", "kind": "kind_id", "host": "host_id", "qualifications": None}
# Columns whose value is an id shown by name (names passed to display()).
NAMED = ("cluster", "qualifications", "kind", "host")


COLUMNS: tuple[Column, ...] = (
    Column(
        "name", "企业名称",
        ("名称", "企业全称", "公司名称", "单位名称", "企业(单位)名称", "市场主体名称", "企业名", "enterprise name", "company name", "company"),
        required=True, parser=parsers.text_parser(200, min_length=2, name=True),
        rule="必填，与营业执照一致，最多200字",
    ),
    Column(
        "short_name", "企业简称", ("简称", "公司简称", "short name", "abbreviation"),
        parser=parsers.text_parser(50, name=True), rule="最多50字",
    ),
    Column(
        "credit_code", "统一社会信用代码",
        ("社会信用代码", "信用代码", "统一信用代码", "统一代码", "uscc", "unified social credit code", "credit code"),
        required=True, kind="code", parser=parsers.parse_credit_code,
        rule="必填，18位，GB 32100-2015；全角、小写、空格会自动规范",
    ),
    Column(
        "cluster", "所属产业", ("产业集群", "所属产业集群", "产业", "产业领域", "所属集群", "industry cluster"),
        parser=parsers.parse_cluster, rule="填写一个产业集群名称", cached=True,
    ),
    Column(
        "qualifications", "资质", ("企业资质", "资质认定", "资质荣誉", "资质/荣誉", "资质类型", "qualification"),
        parser=parsers.parse_qualifications, rule="多个资质用“、”“，”或“；”分隔", cached=True,
    ),
    Column(
        "founded_on", "成立日期", ("成立时间", "注册日期", "设立日期", "成立年月日", "founded", "date founded", "established"),
        kind="nfkc", parser=parsers.parse_date, rule=parsers.DATE_FORMATS, cached=True,
    ),
    Column(
        "registered_capital", "注册资本", ("注册资金", "注册资本金", "capital"),
        kind="nfkc", parser=parsers.parse_capital, rule="人民币万元，如1200或1,200.5万元", cached=True,
    ),
    Column(
        "headcount", "从业人数", ("员工人数", "职工人数", "企业人数", "从业人员", "从业人员数", "员工数", "人数", "employees", "staff"),
        kind="nfkc", parser=parse_headcount, rule="人数或区间：" + "、".join(b.label for b in HEADCOUNT_BANDS),
        cached=True,
    ),
    Column(
        "address", "地址", ("企业地址", "注册地址", "办公地址", "经营地址", "通讯地址", "住所", "详细地址"),
        parser=parsers.text_parser(255), rule="最多255字",
    ),
    Column(
        "website", "网站", ("网址", "企业网站", "公司网站", "官网", "官方网站", "主页", "url", "homepage", "web"),
        kind="nfkc", parser=parsers.parse_website, rule="如 www.example.com，未写协议时自动加 https://",
    ),
    Column(
        "phone", "联系电话", ("电话", "联系方式", "办公电话", "固定电话", "联系人电话", "telephone", "tel"),
        kind="nfkc", parser=parsers.parse_phone, rule="固话带区号，如0991-1234567；多个号码用“、”分隔",
    ),
    Column(
        "description", "企业简介", ("简介", "公司简介", "企业介绍", "intro", "about"),
        kind="multiline", parser=parsers.text_parser(4000), rule="最多4000字",
    ),
    Column(
        "main_products", "主要产品", ("主营产品", "产品", "主要产品/服务", "主要产品及服务", "主营业务", "products"),
        kind="multiline", parser=parsers.text_parser(1000), rule="最多1000字",
    ),
)
COLUMNS_BY_KEY: dict[str, Column] = {column.key: column for column in COLUMNS}


PLATFORM_COLUMNS: tuple[Column, ...] = (
    Column(
        "name", "平台名称", ("名称", "平台", "载体名称", "平台载体名称", "平台载体", "platform name", "platform"),
        required=True, parser=parsers.text_parser(200, min_length=2, name=True), rule="必填，最多200字；按名称识别已有平台",
    ),
    Column(
        "kind", "平台类型", ("类型", "平台类别", "载体类型", "kind", "type"),
        required=True, parser=parsers.parse_platform_kind, rule="填写一个平台类型名称", cached=True,
    ),
    Column(
        "level", "级别", ("平台级别", "认定级别", "level"),
        parser=parsers.parse_level, rule="国家级、自治区级或市级", cached=True,
    ),
    Column(
        "host", "依托企业统一社会信用代码",
        ("依托单位统一社会信用代码", "依托企业信用代码", "运营主体统一社会信用代码", "host credit code", "host"),
        kind="code", parser=parsers.parse_host, rule="依托企业的统一社会信用代码，该企业须已在名录中",
    ),
    Column(
        "established_on", "认定日期", ("成立日期", "成立时间", "认定时间", "获批日期", "设立日期", "established"),
        kind="nfkc", parser=parsers.parse_date, rule=parsers.DATE_FORMATS, cached=True,
    ),
    Column("address", "地址", ("平台地址", "详细地址", "address"), parser=parsers.text_parser(255), rule="最多255字"),
    Column(
        "website", "网站", ("网址", "官网", "url", "website"),
        kind="nfkc", parser=parsers.parse_website, rule="如 www.example.com，未写协议时自动加 https://",
    ),
    Column(
        "phone", "联系电话", ("电话", "联系方式", "telephone", "tel"),
        kind="nfkc", parser=parsers.parse_phone, rule="固话带区号，如0991-1234567",
    ),
    Column(
        "description", "简介", ("平台简介", "介绍", "intro", "description"),
        kind="multiline", parser=parsers.text_parser(4000), rule="最多4000字",
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


def display(key: str, value: Any, names: Mapping[str, Mapping[Any, str]]) -> str:
    """A cleaned value as the preview and the reviewer's diff show it: ids become
    names (``names``: column key → {id: name}), a band its label, dates ISO."""
    if value is None:
        return ""
    if key == "qualifications":
        return "、".join(names.get(key, {}).get(ident, str(ident)) for ident in value)
    if key in NAMED:
        return names.get(key, {}).get(value, str(value))
    if key == "level":
        return parsers.LEVEL_LABELS.get(value, str(value))
    if key == "headcount":
        band = BANDS_BY_KEY.get(value)
        return band.label if band else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)
