"""Unified social credit code (统一社会信用代码, GB 32100-2015).

Layout of the 18 characters:

====  ===========================================================
pos   meaning
====  ===========================================================
1     registering authority (登记管理部门代码): 1-9, A, N, Y
2     entity type (机构类别代码), defined by each authority
3-8   region of the registering office (GB/T 2260), 6 digits
9-17  organisation code (主体标识码, GB 11714)
18    check character over positions 1-17 (mod 31)
====  ===========================================================

The core (``normalize``, ``validate``, ``is_valid``, ``compute_check_char``)
is plain Python and needs no Django settings.  Error messages are kept as
Simplified Chinese templates keyed by an English error code; ``validate``
raises :class:`CreditCodeError` with the formatted (untranslated) message.
``CreditCodeValidator`` and ``CreditCodeField`` wrap the same templates with
Django's ``gettext`` at call time, so they are translated in a request.
"""

from __future__ import annotations

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext

__all__ = [
    "ALPHABET",
    "WEIGHTS",
    "REGISTERING_AUTHORITIES",
    "KNOWN_ENTITY_TYPES",
    "MESSAGES",
    "CreditCodeError",
    "normalize",
    "compute_check_char",
    "validate",
    "is_valid",
    "describe",
    "CreditCodeValidator",
    "CreditCodeField",
]


def gettext_noop(message: str) -> str:
    """Mark a string for translation without translating it.

    Defined locally (same name as Django's) so ``makemessages`` extracts the
    templates while this module stays usable without configured settings.
    """
    return message


LENGTH = 18

# 31 characters: digits and upper-case letters except I, O, S, V, Z.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {char: value for value, char in enumerate(ALPHABET)}

# Weights for positions 1-17 (3**i mod 31).
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# Letters the standard leaves out because they look like digits or others.
EXCLUDED_LETTERS = "IOSVZ"

# Registering authorities (position 1).  GB 32100-2015 defined 1-9 and Y;
# N (agriculture: rural collective economic organisations) and A (the
# Central Military Commission's reform and establishment office: military
# public institutions) were assigned later.  Some validators only know the
# 2015 list and wrongly reject A and N codes.
REGISTERING_AUTHORITIES = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "市场监管（原工商）",
    "A": "中央军委改革和编制办公室",
    "N": "农业农村",
    "Y": "其他",
}

# Entity types (position 2) per authority, as commonly published from the
# standard's appendix and later assignments.  INFORMATIONAL ONLY: position 2
# is validated solely as a character of ALPHABET.  The table is not fixed in
# the standard itself ("登记管理部门根据管理职能确定"), authorities have added
# values after 2015, and published lists disagree (e.g. some also list 54,
# 55, G1, J1).  Rejecting a code a registry really issued would lock an
# enterprise out of the portal, which is worse than missing a typo that the
# check character catches in almost all cases anyway.
KNOWN_ENTITY_TYPES = {
    "1": {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},
    "2": {"1": "外国常驻新闻机构", "9": "其他"},
    "3": {
        "1": "律师执业机构",
        "2": "公证处",
        "3": "基层法律服务所",
        "4": "司法鉴定机构",
        "5": "仲裁委员会",
        "9": "其他",
    },
    "4": {"1": "外国在华文化中心", "9": "其他"},
    "5": {"1": "社会团体", "2": "民办非企业单位（社会服务机构）", "3": "基金会", "9": "其他"},
    "6": {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他"},
    "7": {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"},
    "8": {"1": "基层工会", "9": "其他"},
    "9": {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"},
    "A": {"1": "军队事业单位", "9": "其他"},
    "N": {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"},
    "Y": {"1": "其他"},
}

# Message templates (Simplified Chinese, %-style named placeholders),
# keyed by the error code that CreditCodeError / ValidationError carry.
MESSAGES = {
    "empty": gettext_noop("请填写统一社会信用代码。"),
    "length": gettext_noop("统一社会信用代码应为18位，实际%(length)d位。"),
    "body_length": gettext_noop("计算校验码需要统一社会信用代码的前17位，实际%(length)d位。"),
    "excluded_letter": gettext_noop(
        "第%(position)d位字符“%(char)s”不合法：统一社会信用代码不使用 I、O、S、V、Z 这五个字母。"
    ),
    "excluded_letter_hint": gettext_noop(
        "第%(position)d位字符“%(char)s”不合法：统一社会信用代码不使用 I、O、S、V、Z 这五个字母，"
        "是否应为数字“%(suggestion)s”？"
    ),
    "invalid_character": gettext_noop(
        "第%(position)d位字符“%(char)s”（%(codepoint)s）不合法：统一社会信用代码只由数字和大写英文字母组成。"
    ),
    "registering_authority": gettext_noop(
        "第1位登记管理部门代码“%(char)s”不合法：应为1-9、A、N 或 Y。"
    ),
    "region": gettext_noop(
        "第3-8位登记管理机关行政区划码应为6位数字，第%(position)d位却是“%(char)s”。"
    ),
    "check_character": gettext_noop(
        "校验码错误：第18位应为“%(expected)s”，实际为“%(actual)s”。请先核对前17位是否抄录有误。"
    ),
    "not_normalized": gettext_noop(
        "统一社会信用代码应使用半角大写字符且不含空格和连字符，应为“%(normalized)s”。"
    ),
}

# Likely intended digit for excluded letters typed by mistake.
_DIGIT_LOOKALIKES = {"O": "0", "I": "1"}

# Whitespace, format characters (zero-width space/joiners, BOM, soft hyphen)
# and dashes are dropped.  U+2212 MINUS SIGN is Sm, not Pd, so list it.
_EXTRA_DROPPED = {"\u2212"}


class CreditCodeError(ValueError):
    """A credit code broke a rule of GB 32100-2015.

    ``code`` names the rule: empty, length, invalid_character,
    registering_authority, region or check_character (the message variants
    ``excluded_letter*`` report ``invalid_character``, ``body_length``
    reports ``length``),
    ``message`` is the Simplified Chinese explanation, ``position`` the
    1-based position in the normalised code (when one character is at
    fault) and ``expected`` the correct check character (only for
    ``check_character``).
    """

    def __init__(
        self,
        code: str,
        message: str,
        position: int | None = None,
        expected: str | None = None,
        *,
        template: str | None = None,
        params: dict | None = None,
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.position = position
        self.expected = expected
        self.template = template if template is not None else message
        self.params = dict(params or {})

    def __str__(self) -> str:
        return self.message


def _error(code: str, template_key: str | None = None, *, position=None, expected=None, **params):
    template = MESSAGES[template_key or code]
    if position is not None:
        params["position"] = position
    if expected is not None:
        params["expected"] = expected
    return CreditCodeError(
        code,
        template % params if params else template,
        position,
        expected,
        template=template,
        params=params,
    )


def normalize(raw: str) -> str:
    """Return ``raw`` in canonical form.

    NFKC (full-width letters and digits become ASCII), then every whitespace
    character (including the ideographic space U+3000), every format
    character (zero-width space/joiners, BOM, soft hyphen) and every dash is
    removed, then the result is upper-cased.  No validation happens here.
    """
    if raw is None:
        return ""
    if type(raw) is str and raw.isascii() and raw.isalnum() and raw == raw.upper():
        return raw  # already canonical: ASCII letters and digits, upper case (the stored form)
    text = unicodedata.normalize("NFKC", str(raw))
    kept = []
    for char in text:
        if char.isspace() or char in _EXTRA_DROPPED:
            continue
        category = unicodedata.category(char)
        if category == "Cf" or category == "Pd":
            continue
        kept.append(char)
    return "".join(kept).upper()


def _weighted_check(first17: str) -> str:
    total = sum(_VALUES[char] * weight for char, weight in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def _check_characters(code: str) -> None:
    for position, char in enumerate(code, start=1):
        if char in _VALUES:
            continue
        if char in EXCLUDED_LETTERS:
            suggestion = _DIGIT_LOOKALIKES.get(char)
            if suggestion:
                raise _error(
                    "invalid_character",
                    "excluded_letter_hint",
                    position=position,
                    char=char,
                    suggestion=suggestion,
                )
            raise _error("invalid_character", "excluded_letter", position=position, char=char)
        raise _error(
            "invalid_character",
            position=position,
            char=char,
            codepoint=f"U+{ord(char):04X}",
        )


def compute_check_char(first17: str) -> str:
    """Return the check character (position 18) for the first 17 characters.

    The input is normalised first.  Raises :class:`CreditCodeError` if it is
    not 17 characters of :data:`ALPHABET`.
    """
    body = normalize(first17)
    if len(body) != LENGTH - 1:
        raise _error("length", "body_length", length=len(body))
    _check_characters(body)
    return _weighted_check(body)


def validate(raw: str) -> str:
    """Return the normalised code, or raise :class:`CreditCodeError`.

    Rules are checked in this order, and the first one broken is reported:
    empty, length, characters, registering authority (position 1), region
    (positions 3-8), check character (position 18).  Position 2 is only
    checked as a character of the alphabet (see KNOWN_ENTITY_TYPES).
    """
    code = normalize(raw)
    if not code:
        raise _error("empty")
    if len(code) != LENGTH:
        raise _error("length", length=len(code))
    _check_characters(code)
    if code[0] not in REGISTERING_AUTHORITIES:
        raise _error("registering_authority", position=1, char=code[0])
    for position in range(3, 9):
        char = code[position - 1]
        if not ("0" <= char <= "9"):
            raise _error("region", position=position, char=char)
    expected = _weighted_check(code[:17])
    if code[17] != expected:
        raise _error(
            "check_character",
            position=18,
            expected=expected,
            actual=code[17],
        )
    return code


def is_valid(raw: str) -> bool:
    """True if ``raw`` normalises to a valid credit code."""
    try:
        validate(raw)
    except CreditCodeError:
        return False
    return True


def describe(code: str) -> tuple[str | None, str | None]:
    """Return (authority name, entity type name) for display, or None parts.

    Purely informational: an unknown entity type returns None for the second
    part and does not make the code invalid.  Does not validate ``code``.
    """
    code = normalize(code)
    authority = REGISTERING_AUTHORITIES.get(code[:1]) if code else None
    entity_type = KNOWN_ENTITY_TYPES.get(code[:1], {}).get(code[1:2]) if len(code) > 1 else None
    return authority, entity_type


@deconstructible(path="apps.core.credit_code.CreditCodeValidator")
class CreditCodeValidator:
    """Django validator for unified social credit codes.

    By default the value is normalised before it is checked, so
    ``"9111 0000 6000 3734 1l"`` passes; whoever stores the value must store
    ``normalize(value)`` (``CreditCodeField`` does).  With ``strict=True``
    (e.g. on a model field holding canonical codes) a value that is valid but
    not in canonical form is rejected with the code ``not_normalized``.
    """

    def __init__(self, strict: bool = False):
        self.strict = strict

    def __call__(self, value) -> None:
        try:
            normalized = validate(value)
        except CreditCodeError as error:
            raise ValidationError(
                gettext(error.template),
                code=error.code,
                params=error.params or None,
            ) from error
        if self.strict and value != normalized:
            raise ValidationError(
                gettext(MESSAGES["not_normalized"]),
                code="not_normalized",
                params={"normalized": normalized},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, CreditCodeValidator) and self.strict == other.strict

    def __hash__(self) -> int:
        return hash((type(self), self.strict))


class CreditCodeField(forms.CharField):
    """Form field: normalises input, then validates it as a credit code.

    No ``max_length`` on purpose: users paste codes with spaces or hyphens,
    and a browser-side ``maxlength`` would cut them off before the server
    normalises them.
    """

    default_validators = [CreditCodeValidator()]

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return normalize(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if not widget.is_hidden:
            attrs.setdefault("autocomplete", "off")
            attrs.setdefault("autocapitalize", "characters")
            attrs.setdefault("spellcheck", "false")
        return attrs
