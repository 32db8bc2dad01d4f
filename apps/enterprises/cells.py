"""Cell cleaning and name matching for the directory's spreadsheet imports.

Framework-free (no models, no ORM): the import's widgets
(:mod:`apps.enterprises.widgets`) clean each cell here, then apply the
column's rule (:mod:`.parsers`, :mod:`.headcount`).

Empty cells
    An empty optional cell means **leave the stored value unchanged**, never
    "clear it": district sheets often omit columns they do not maintain.
    Common placeholders ("无", "暂无", "/", "-", "—", "N/A", "null", "未知",
    "不详") count as empty.  To clear a value on purpose, write one of
    :data:`CLEAR_MARKERS` ("（清空）", "[清空]", "【清空】").  Required fields
    (企业名称, 统一社会信用代码) can be neither empty nor cleared.

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
    Aliases: extra keys of the mappings (several names → one id; a
    qualification kind's own aliases), and the built-in groups in
    :data:`CLUSTER_ALIASES` and :data:`QUALIFICATION_ALIASES` apply when
    exactly one name of a group is in the mapping.  Unknown names are an
    error listing the choices.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any, Mapping

from apps.core.scripts import strip_pinyin_annotations

from apps.core.writers import unescape_formula


class CellError(ValueError):
    """Raised by a column parser: ``detail`` is the Chinese rule text."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.detail = detail


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


CLEANERS = {"line": _clean_line, "multiline": _clean_multiline, "nfkc": _clean_nfkc, "code": _clean_code}


def clean_text(raw: str, kind: str = "line") -> str:
    """Clean one cell the way the importer does; ``kind`` is line, multiline or nfkc.

    Placeholders such as "无" or "/" come back as "".
    """
    return CLEANERS[kind]("" if raw is None else str(raw))


def name_key(text: str) -> str:
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


# Built-in alias groups: when exactly one name of a group is in the mapping
# given to Lookups, the other names of the group match it too.
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


class Lookups:
    """The names an import matches (clusters, qualification and platform kinds,
    host enterprises) and the day that bounds dates, handed to every parser.

    ``lookups`` maps a lookup name to a {name: id} mapping: "cluster" and
    "qualifications" for enterprises, "platform_kind" for platforms (name
    lookups with aliases), and "host" ({credit code: id}, exact).
    """

    def __init__(self, lookups: Mapping[str, Mapping[str, Any]], today: dt.date):
        self.today = today
        self.clusters = NameLookup(lookups.get("cluster") or {}, CLUSTER_ALIASES, strip_suffix=True)
        self.qualifications = NameLookup(lookups.get("qualifications") or {}, QUALIFICATION_ALIASES)
        self.platform_kinds = NameLookup(lookups.get("platform_kind") or {}, ())
        self.hosts: Mapping[str, Any] = lookups.get("host") or {}
        self.host_names: dict[Any, str] = dict(lookups.get("host_names") or {})


_AMBIGUOUS = object()


class NameLookup:
    def __init__(self, mapping: Mapping[str, Any], alias_groups, *, strip_suffix: bool = False):
        self.strip_suffix = strip_suffix
        self.exact: dict[str, Any] = {}
        self.names: dict[Any, str] = {}  # id → first name given for it
        for name, ident in mapping.items():
            self.exact.setdefault(name_key(name), ident)
            self.names.setdefault(ident, name)
        for group in alias_groups:
            present = {self.exact[name_key(n)] for n in group if name_key(n) in self.exact}
            if len(present) == 1:
                (ident,) = present
                for alias in group:
                    self.exact.setdefault(name_key(alias), ident)
        self.loose: dict[str, Any] = {}
        if strip_suffix:
            for key, ident in self.exact.items():
                loose = _strip_cluster_suffix(key)
                if self.loose.get(loose, ident) != ident:
                    self.loose[loose] = _AMBIGUOUS
                else:
                    self.loose[loose] = ident

    def find(self, name: str):
        key = name_key(name)
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


def beijing_today() -> dt.date:
    """Today in Beijing time, the official time (a founding date may be today)."""
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
