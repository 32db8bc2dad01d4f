"""The import's rule for each kind of cell: the value, or a ``CellError`` whose
detail is the Chinese rule ("校验码错误：第18位应为“L”…"). Each parser takes the
cleaned, non-empty text and the import's ``Lookups``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from urllib.parse import urlsplit, urlunsplit

from apps.core import credit_code as cc

from .cells import CellError, Lookups, name_key

def text_parser(max_length: int, *, min_length: int = 1, name: bool = False):
    def parse(text: str, ctx: Lookups) -> str:
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


def fast_credit_code(text: str) -> bool:
    """True if ``text`` is a canonical, valid code (False means "ask the core")."""
    if not _FAST_CODES or len(text) != 18 or _CANONICAL_CODE.fullmatch(text) is None:
        return False
    remainder = int(text[16::-1].translate(_BASE34), 34) % 31
    return cc.ALPHABET[(31 - remainder) % 31] == text[17]


def parse_credit_code(text: str, ctx: Lookups) -> str:
    if fast_credit_code(text):
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


def parse_cluster(text: str, ctx: Lookups):
    names = [part for part in _QUAL_SPLIT.split(text) if part.strip()]
    if len(names) > 1:
        raise CellError("multiple_clusters", f"只能填写一个产业集群，本单元格有{len(names)}个：{text}。")
    found = ctx.clusters.find(text)
    if found is None:
        raise CellError("unknown_cluster", f"未知的产业集群“{text}”。可选：{ctx.clusters.choices()}。")
    return found[0]


QUALIFICATION_SEPARATORS = "、，,;；\n|｜"
_QUAL_SPLIT = re.compile("[" + re.escape(QUALIFICATION_SEPARATORS) + "]")


def parse_qualifications(text: str, ctx: Lookups) -> tuple:
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
DATE_FORMATS = "2015-03-01、2015/3/1、2015.3.1 或 2015年3月1日"


def parse_date(text: str, ctx: Lookups) -> dt.date:
    match = _DATE.match(text) or _DATE_COMPACT.match(text)
    if match is None:
        if text.isdigit() and len(text) == 5:
            # An Excel date serial that lost its date format (e.g. 42064).
            day = _EXCEL_EPOCH + dt.timedelta(days=int(text))
            return check_date(day, ctx)
        if _DATE_PARTIAL.match(text):
            raise CellError("incomplete_date", f"日期“{text}”不完整：需要年、月、日，如{DATE_FORMATS}。")
        raise CellError("invalid_date", f"无法识别的日期“{text}”：请使用{DATE_FORMATS}。")
    year, month, day = (int(part) for part in match.groups())
    try:
        value = dt.date(year, month, day)
    except ValueError as error:
        if not 1 <= month <= 12:
            detail = f"日期“{text}”不存在：月份应在1-12之间。"
        else:
            detail = f"日期“{text}”不存在：{year}年{month}月没有{day}日。"
        raise CellError("invalid_date", detail) from error
    return check_date(value, ctx)


def check_date(value: dt.date, ctx: Lookups) -> dt.date:
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


def parse_capital(text: str, ctx: Lookups) -> Decimal:
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


def parse_website(text: str, ctx: Lookups) -> str:
    match = _SIMPLE_URL.fullmatch(text)
    if match is not None and len(text) <= 190:
        scheme, host, path = match.groups()
        return f"{scheme or 'https://'}{host.lower()}{path or ''}"
    return parse_url(text)


def parse_url(text: str) -> str:
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


def parse_phone(text: str, ctx: Lookups) -> str:
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


def parse_platform_kind(text: str, ctx: Lookups):
    found = ctx.platform_kinds.find(text)
    if found is None:
        raise CellError("unknown_platform_kind", f"未知的平台类型“{text}”。可选：{ctx.platform_kinds.choices()}。")
    return found[0]


PLATFORM_LEVELS = {
    "national": ("国家级", "国家", "国家级平台", "部级", "national"),
    "regional": ("自治区级", "自治区", "省级", "省部级", "区级（自治区）", "regional", "provincial"),
    "municipal": ("市级", "地市级", "乌鲁木齐市级", "municipal", "city"),
}
LEVEL_LABELS = {key: names[0] for key, names in PLATFORM_LEVELS.items()}
_LEVEL_LOOKUP = {name_key(name): key for key, names in PLATFORM_LEVELS.items() for name in (key, *names)}


def parse_level(text: str, ctx: Lookups) -> str:
    level = _LEVEL_LOOKUP.get(name_key(text))
    if level is None:
        raise CellError("unknown_level", f"未知的级别“{text}”。可选：国家级、自治区级、市级。")
    return level


def parse_host(text: str, ctx: Lookups):
    code = parse_credit_code(text, ctx)
    ident = ctx.hosts.get(code)
    if ident is None:
        raise CellError(
            "unknown_host",
            f"系统中没有统一社会信用代码为{code}的企业：请先导入或录入该企业，或清空此单元格。",
        )
    return ident

