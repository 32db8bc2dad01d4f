"""Unified social credit code (GB 32100-2015): normalisation, rules, Django glue."""

import os

import pytest

from apps.core import credit_code
from apps.core.credit_code import (
    ALPHABET,
    CreditCodeError,
    CreditCodeField,
    CreditCodeValidator,
    compute_check_char,
    describe,
    is_valid,
    normalize,
    validate,
)

KNOWN_VALID = "91110000600037341L"

# Valid codes published as examples by independent projects (hutool,
# util-helpers, uscc-utils) and the project's domain notes.
PUBLISHED_VALID = [
    KNOWN_VALID,
    "91350100M000100Y43",
    "91110108551385082Q",
    "91310115591693856A",
    "91310110666007217T",
]


def reference_check(first17):
    """Check character written straight from the standard, independently of the module."""
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [3**i % 31 for i in range(17)]
    total = sum(chars.index(c) * w for c, w in zip(first17, weights))
    remainder = 31 - total % 31
    return "0" if remainder == 31 else chars[remainder]


def make_code(first17):
    return first17 + reference_check(first17)


def raised(raw):
    with pytest.raises(CreditCodeError) as info:
        validate(raw)
    return info.value


# -- the algorithm -----------------------------------------------------------


def test_alphabet_has_31_characters_without_i_o_s_v_z():
    assert len(ALPHABET) == 31 == len(set(ALPHABET))
    assert not set("IOSVZ") & set(ALPHABET)


def test_weights_are_powers_of_three_modulo_31():
    assert list(credit_code.WEIGHTS) == [3**i % 31 for i in range(17)]


def test_reference_weights_match_the_standard_table():
    assert [3**i % 31 for i in range(17)] == [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ]


@pytest.mark.parametrize("code", PUBLISHED_VALID)
def test_published_valid_codes_are_accepted(code):
    assert validate(code) == code
    assert is_valid(code)


@pytest.mark.parametrize("code", PUBLISHED_VALID)
def test_compute_check_char_reproduces_published_check_characters(code):
    assert compute_check_char(code[:17]) == code[17]


def test_compute_check_char_agrees_with_reference_on_many_bodies():
    import random

    rng = random.Random(32100)
    for _ in range(2000):
        body = rng.choice("123456789ANY") + rng.choice(ALPHABET)
        body += "".join(rng.choice("0123456789") for _ in range(6))
        body += "".join(rng.choice(ALPHABET) for _ in range(9))
        assert compute_check_char(body) == reference_check(body)


def test_check_char_can_be_zero_when_sum_is_a_multiple_of_31():
    # Search a body whose weighted sum is divisible by 31: (31 - 0) % 31 must give "0", not index 31.
    for tail in range(10**6):
        body = f"91110000{tail:09d}"
        if reference_check(body) == "0":
            break
    assert compute_check_char(body) == "0"
    assert is_valid(body + "0")


def test_compute_check_char_rejects_a_body_of_wrong_length():
    with pytest.raises(CreditCodeError) as info:
        compute_check_char("9111000060003734")
    assert info.value.code == "length"
    assert "16位" in info.value.message


def test_compute_check_char_rejects_excluded_letters():
    with pytest.raises(CreditCodeError) as info:
        compute_check_char("9111000060003734O")
    assert info.value.code == "invalid_character"
    assert info.value.position == 17


# -- first character: A, N and Y are legal -----------------------------------


def test_code_starting_with_N_is_accepted():
    code = make_code("N2650104MA7ABC123")  # village collective economic organisation
    assert validate(code) == code


def test_code_starting_with_N_and_lower_case_is_accepted():
    code = make_code("N1650102MA7XYW98Q")
    assert validate(code.lower()) == code


def test_code_starting_with_Y_is_accepted():
    code = make_code("Y1650100MJ0012345")
    assert validate(code) == code


def test_code_starting_with_A_is_accepted():
    code = make_code("A1100000MB1234567")  # military public institution
    assert validate(code) == code


@pytest.mark.parametrize("first", list("123456789ANY"))
def test_every_registering_authority_is_accepted(first):
    code = make_code(first + "9650100MA77XK2Q1")
    assert is_valid(code)


@pytest.mark.parametrize("first", ["0", "B", "C", "M", "X"])
def test_bad_first_character_is_rejected_with_the_authority_rule(first):
    error = raised(make_code(first + "1110000600037341"))
    assert error.code == "registering_authority"
    assert error.position == 1
    assert "第1位登记管理部门代码" in error.message
    assert f"“{first}”" in error.message
    assert "1-9、A、N 或 Y" in error.message


def test_unusual_entity_type_is_not_rejected():
    # Position 2 is only checked against the alphabet (see module comment).
    code = make_code("9K110000600037341")
    assert is_valid(code)


def test_describe_names_authority_and_entity_type():
    assert describe(KNOWN_VALID) == ("市场监管（原工商）", "企业")
    assert describe(make_code("N2650104MA7ABC123")) == ("农业农村", "村级集体经济组织")
    assert describe(make_code("9K110000600037341"))[1] is None


# -- normalisation -----------------------------------------------------------


def test_lower_case_is_accepted_after_normalisation():
    assert validate(KNOWN_VALID.lower()) == KNOWN_VALID


def test_full_width_input_is_normalised():
    assert validate("９１１１００００６０００３７３４１Ｌ") == KNOWN_VALID


def test_full_width_lower_case_input_is_normalised():
    assert normalize("９１１１００００６０００３７３４１ｌ") == KNOWN_VALID


def test_spaces_and_ideographic_spaces_are_removed():
    assert validate(" 9111 0000\u30006000\u3000373 41L\t\n") == KNOWN_VALID


def test_zero_width_characters_are_removed():
    assert validate("\ufeff9111\u200b0000\u200c6000\u200d37341\u2060L") == KNOWN_VALID


@pytest.mark.parametrize("dash", ["-", "\u2010", "\u2011", "\u2013", "\u2014", "\uff0d", "\u2212"])
def test_hyphens_and_dashes_are_removed(dash):
    assert validate(f"91{dash}110000{dash}600037341{dash}L") == KNOWN_VALID


def test_normalize_does_not_remove_other_punctuation():
    assert normalize("9111.0000") == "9111.0000"


def test_normalize_of_none_is_empty():
    assert normalize(None) == ""


# -- rules and messages ------------------------------------------------------


@pytest.mark.parametrize("raw", ["", "   ", "\u3000", "-"])
def test_empty_input_is_rejected(raw):
    error = raised(raw)
    assert error.code == "empty"
    assert "请填写统一社会信用代码" in error.message


@pytest.mark.parametrize("raw, length", [(KNOWN_VALID[:17], 17), (KNOWN_VALID + "1", 19), ("9", 1)])
def test_wrong_length_is_rejected_with_actual_length(raw, length):
    error = raised(raw)
    assert error.code == "length"
    assert error.message == f"统一社会信用代码应为18位，实际{length}位。"


def test_length_is_counted_after_normalisation():
    error = raised("9111 0000 6000 3734 1")
    assert "实际17位" in error.message


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_each_excluded_letter_is_rejected_with_its_position(letter):
    raw = KNOWN_VALID[:10] + letter + KNOWN_VALID[11:]
    error = raised(raw)
    assert error.code == "invalid_character"
    assert error.position == 11
    assert f"第11位字符“{letter}”不合法" in error.message
    assert "统一社会信用代码不使用 I、O、S、V、Z" in error.message


@pytest.mark.parametrize("letter", list("iosvz"))
def test_excluded_letters_typed_in_lower_case_are_still_rejected(letter):
    error = raised(KNOWN_VALID[:16] + letter + "L")
    assert error.code == "invalid_character"
    assert f"“{letter.upper()}”" in error.message


def test_letter_O_suggests_the_digit_zero():
    error = raised("9111O000600037341L")
    assert error.position == 5
    assert "是否应为数字“0”" in error.message


def test_letter_I_suggests_the_digit_one():
    error = raised("9I110000600037341L")
    assert "是否应为数字“1”" in error.message


@pytest.mark.parametrize("char", ["*", ".", "统", "Ж", "Α"])  # Cyrillic Zhe, Greek Alpha
def test_other_illegal_characters_are_rejected_with_code_point(char):
    error = raised(KNOWN_VALID[:8] + char + KNOWN_VALID[9:])
    assert error.code == "invalid_character"
    assert error.position == 9
    assert f"第9位字符“{char}”（U+{ord(char):04X}）不合法" in error.message


def test_first_illegal_character_is_reported():
    error = raised("9111000060003734IO")
    assert error.position == 17


@pytest.mark.parametrize("position", range(3, 9))
def test_region_must_be_digits(position):
    body = KNOWN_VALID[: position - 1] + "A" + KNOWN_VALID[position:17]
    error = raised(make_code(body))
    assert error.code == "region"
    assert error.position == position
    assert "第3-8位登记管理机关行政区划码应为6位数字" in error.message
    assert f"第{position}位却是“A”" in error.message


def test_wrong_check_character_names_the_expected_one():
    error = raised("91110000600037341X")
    assert error.code == "check_character"
    assert error.expected == "L"
    assert error.position == 18
    assert error.message.startswith("校验码错误：第18位应为“L”，实际为“X”")


@pytest.mark.parametrize("code", PUBLISHED_VALID)
def test_every_other_check_character_is_rejected(code):
    for wrong in ALPHABET:
        if wrong == code[17]:
            continue
        error = raised(code[:17] + wrong)
        assert error.code == "check_character"
        assert error.expected == code[17]


def test_single_character_typo_in_the_body_is_caught_by_the_check():
    for index in range(8, 17):  # organisation code part
        for replacement in ALPHABET:
            if replacement == KNOWN_VALID[index]:
                continue
            typo = KNOWN_VALID[:index] + replacement + KNOWN_VALID[index + 1 :]
            assert not is_valid(typo), typo


def test_adjacent_transposition_in_the_body_is_caught_by_the_check():
    code = KNOWN_VALID
    for index in range(8, 16):
        if code[index] == code[index + 1]:
            continue
        swapped = code[:index] + code[index + 1] + code[index] + code[index + 2 :]
        assert not is_valid(swapped), swapped


def test_is_valid_is_false_for_non_codes():
    assert not is_valid("")
    assert not is_valid("hello")
    assert not is_valid(None)


def test_error_is_a_value_error_whose_str_is_the_message():
    error = raised("91110000600037341X")
    assert isinstance(error, ValueError)
    assert str(error) == error.message


# -- Django glue -------------------------------------------------------------


@pytest.fixture
def django_zh():
    """Minimal Django settings when none exist; works under pytest-django too."""
    import django
    from django.apps import apps
    from django.conf import settings
    from django.utils import translation

    if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
        settings.configure(USE_I18N=True, LANGUAGE_CODE="zh-hans")
    if not apps.ready:
        django.setup()
    with translation.override("zh-hans"):
        yield


def test_validator_accepts_valid_and_normalisable_codes(django_zh):
    validator = CreditCodeValidator()
    validator(KNOWN_VALID)
    validator("９１１１ ００００ ６０００ ３７３４ １ｌ")


def test_validator_raises_validation_error_with_the_rule_code(django_zh):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        CreditCodeValidator()("91110000600037341X")
    assert info.value.code == "check_character"
    assert info.value.messages == [
        "校验码错误：第18位应为“L”，实际为“X”。请先核对前17位是否抄录有误。"
    ]


@pytest.mark.parametrize(
    "raw, code",
    [
        ("", "empty"),
        ("9111", "length"),
        ("9111000060003734OL", "invalid_character"),
        ("01110000600037341L", "registering_authority"),
        ("911A0000600037341L", "region"),
    ],
)
def test_validator_reports_each_rule_with_its_code(django_zh, raw, code):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        CreditCodeValidator()(raw)
    assert info.value.code == code
    assert info.value.messages[0] == raised(raw).message


def test_validator_message_is_translated_at_call_time(django_zh, monkeypatch):
    from django.core.exceptions import ValidationError

    monkeypatch.setattr(credit_code, "gettext", lambda message: "【译】" + message)
    with pytest.raises(ValidationError) as info:
        CreditCodeValidator()("9111")
    assert info.value.messages == ["【译】统一社会信用代码应为18位，实际4位。"]


def test_strict_validator_rejects_codes_not_in_canonical_form(django_zh):
    from django.core.exceptions import ValidationError

    CreditCodeValidator(strict=True)(KNOWN_VALID)
    with pytest.raises(ValidationError) as info:
        CreditCodeValidator(strict=True)(KNOWN_VALID.lower())
    assert info.value.code == "not_normalized"
    assert KNOWN_VALID in info.value.messages[0]


def test_validator_deconstructs_for_migrations():
    assert CreditCodeValidator().deconstruct() == (
        "apps.core.credit_code.CreditCodeValidator",
        (),
        {},
    )
    assert CreditCodeValidator(strict=True).deconstruct()[2] == {"strict": True}
    assert CreditCodeValidator() == CreditCodeValidator()
    assert CreditCodeValidator() != CreditCodeValidator(strict=True)


def test_form_field_normalises_input(django_zh):
    field = CreditCodeField()
    assert field.clean("９１１１-００００ ６０００\u3000３７３４ １ｌ") == KNOWN_VALID


def test_form_field_rejects_wrong_check_with_code_and_message(django_zh):
    from django import forms

    class CompanyForm(forms.Form):
        credit_code = CreditCodeField(label="统一社会信用代码")

    form = CompanyForm(data={"credit_code": "9111 0000 6000 3734 1x"})
    assert not form.is_valid()
    [error] = form.errors.as_data()["credit_code"]
    assert error.code == "check_character"
    assert "第18位应为“L”，实际为“X”" in form.errors["credit_code"][0]


def test_optional_form_field_accepts_blank(django_zh):
    assert CreditCodeField(required=False).clean("  ") == ""


def test_form_field_does_not_limit_input_length_in_the_browser(django_zh):
    from django import forms

    attrs = CreditCodeField().widget_attrs(forms.TextInput())
    assert "maxlength" not in attrs
    assert attrs["autocapitalize"] == "characters"
