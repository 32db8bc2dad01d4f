"""Enterprise import: header mapping, cell rules, duplicates, the preview's
new / updated / unchanged / invalid rows, round trips.

Files are generated in the tests and run through the resource's dry run (the
preview) with fixed name lookups; the rows compared against are stored through
the real import.
"""

import datetime as dt
import io
import os
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from apps.core import credit_code as cc
from apps.core.credit_code import compute_check_char
from apps.enterprises import columns as columns_module
from apps.enterprises import parsers
from apps.enterprises.cells import clean_text
from apps.enterprises.columns import COLUMNS, header_key, match_headers
from apps.enterprises.headcount import HEADCOUNT_BANDS, band_for_headcount
from apps.enterprises.importing import Run
from apps.enterprises.resources import EnterpriseResource, export_file
from apps.core.spreadsheets import Table, read_table, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2025, 6, 30)
CLUSTERS = {"现代服务业": 1, "生物医药与大健康": 2, "新一代信息技术": 3, "新材料": 4}
QUALIFICATIONS = {
    "高新技术企业": 11,
    "科技型中小企业": 12,
    "专精特新中小企业": 13,
    "专精特新“小巨人”企业": 14,
    "博士后科研工作站": 15,
}
CODE = "91110000600037341L"


def code_for(first17: str) -> str:
    return first17 + compute_check_char(first17)


CODE_B = code_for("91650100MA78ABCD1")
CODE_C = code_for("N2650104MA7ABC123")
CODE_D = code_for("Y1650100000012345")


def table(headers, *rows, header_row=1, format="csv"):
    return Table(headers=list(headers), rows=[list(r) for r in rows], header_row=header_row, format=format)


def dry_run(the_table, *, clusters=CLUSTERS, today=TODAY, **kwargs):
    """The preview of a table: the resource's dry run with fixed name lookups."""
    resource = EnterpriseResource(lookups={"cluster": clusters, "qualifications": QUALIFICATIONS}, today=today, **kwargs)
    return Run(resource, the_table, dry_run=True)


def plan_for(headers, *rows, **kwargs):
    return dry_run(table(headers, *rows, **kwargs))


def counts_of(run):
    return {k: v for k, v in run.counts().items() if k in ("new", "updated", "unchanged", "invalid")}


def one_cell(header, value, *, extra=None):
    """Validate one row: a valid name and code plus ``header: value``."""
    headers = ["企业名称", "统一社会信用代码", header]
    plan = plan_for(headers, ["测试科技有限公司", CODE, value])
    assert not plan.file_errors
    (row,) = plan.outcomes
    return row


def value_of(header, value):
    row = one_cell(header, value)
    assert not row.errors, [e.message for e in row.errors]
    key = next(c.key for c in COLUMNS if c.header == header)
    return row.values.get(key, "<empty>")


def error_of(header, value):
    row = one_cell(header, value)
    assert len(row.errors) == 1, row.errors
    return row.errors[0]


# -- headers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("企业名称", "name"),
        ("  企业 名称 ", "name"),
        ("企业名称*", "name"),
        ("*企业名称", "name"),
        ("企业名称（必填）", "name"),
        ("企业名称(必填)", "name"),
        ("ＮＡＭＥ", "name"),
        ("Name", "name"),
        ("credit_code", "credit_code"),
        ("Credit Code", "credit_code"),
        ("统一社会信用代码\n（必填）", "credit_code"),
        ("社会信用代码", "credit_code"),
        ("所属产业", "cluster"),
        ("产业集群", "cluster"),
        ("资质", "qualifications"),
        ("成立日期", "founded_on"),
        ("注册资本（万元）", "registered_capital"),
        ("注册资本(万元)*", "registered_capital"),
        ("从业人数（人）", "headcount"),
        ("地址", "address"),
        ("网站", "website"),
        ("联系电话", "phone"),
        ("企业简介", "description"),
        ("主要产品", "main_products"),
        ("main_products", "main_products"),
    ],
)
def test_headers_match_in_chinese_or_english_ignoring_spaces_width_case_and_required_marks(header, key):
    required = {"name": "企业名称", "credit_code": "统一社会信用代码"}
    headers = [header] + [h for k, h in required.items() if k != key]
    matched = match_headers(headers)
    assert matched.columns[key] == 0
    assert not matched.errors and not matched.warnings


def test_every_english_key_and_chinese_header_is_recognised():
    for column in COLUMNS:
        for name in (column.key, column.header, *column.aliases):
            assert columns_module._HEADER_INDEX[header_key(name)] is column


def test_an_unknown_column_is_a_warning_not_an_error():
    plan = plan_for(["企业名称", "统一社会信用代码", "备注", "序号"], ["甲公司", CODE, "随便", "1"])
    assert not plan.file_errors
    assert [w.code for w in plan.warnings] == ["unknown_column"]
    assert "备注" in plan.warnings[0].message and "C列" in plan.warnings[0].message
    assert plan.outcomes[0].is_valid


def test_a_missing_required_column_is_an_error_for_the_whole_file():
    plan = plan_for(["企业名称", "地址"], ["甲公司", "北京南路"])
    assert [e.code for e in plan.file_errors] == ["missing_column"]
    error = plan.file_errors[0]
    assert error.field == "credit_code" and error.row == 1
    assert error.message.startswith("第1行表头：缺少必填列“统一社会信用代码”")
    assert "编码" in error.message  # garbled GBK headers are the usual cause
    assert plan.outcomes == []
    assert not plan.is_valid


def test_two_columns_for_one_field_are_an_error():
    plan = plan_for(["企业名称", "统一社会信用代码", "注册地址", "办公地址"], ["甲公司", CODE, "a", "b"])
    assert [e.code for e in plan.file_errors] == ["duplicate_column"]
    assert "请只保留一列" in plan.file_errors[0].message


# -- credit codes -------------------------------------------------------------------


def test_a_bad_check_character_names_row_column_and_expected_character():
    rows = [[f"公司{i}", code_for(f"916501000000{i:05d}")] for i in range(10)]
    plan = plan_for(["企业名称", "统一社会信用代码"], *rows, ["乙公司", CODE[:17] + "X"])
    assert all(row.is_valid for row in plan.outcomes[:-1])
    row = plan.outcomes[-1]
    assert row.row == 12
    (error,) = row.errors
    assert error.code == "check_character"
    assert error.field == "credit_code" and error.column_header == "统一社会信用代码"
    assert error.message.startswith("第12行，统一社会信用代码：校验码错误")
    assert "第18位应为“L”" in error.message
    assert error.detail == cc.MESSAGES["check_character"] % {"expected": "L", "actual": "X"}


@pytest.mark.parametrize(
    "raw",
    [CODE.lower(), "９１１１００００６０００３７３４１Ｌ", "9111 0000 6000 3734 1L", "91110000-600037341l", " 91110000600037341L\u3000"],
    ids=["lower", "full-width", "spaces", "hyphen", "ideographic-space"],
)
def test_lower_case_full_width_and_spaced_codes_are_accepted_and_normalised(raw):
    row = plan_for(["企业名称", "统一社会信用代码"], ["甲公司", raw]).outcomes[0]
    assert row.is_valid
    assert row.key == CODE


@pytest.mark.parametrize(("letter", "hint"), [("I", "“1”"), ("O", "“0”")])
def test_codes_with_i_or_o_are_rejected_with_the_rule(letter, hint):
    raw = CODE[:10] + letter + CODE[11:]
    (error,) = plan_for(["企业名称", "统一社会信用代码"], ["甲公司", raw]).outcomes[0].errors
    assert error.code == "invalid_character"
    assert "I、O、S、V、Z" in error.message and hint in error.message
    assert error.message.startswith("第2行，统一社会信用代码：第11位字符")


@pytest.mark.parametrize("code", [CODE_C, CODE_D, code_for("A1100000MB0123456")])
def test_codes_from_authorities_a_n_and_y_are_accepted(code):
    assert plan_for(["企业名称", "统一社会信用代码"], ["甲公司", code]).outcomes[0].key == code


def test_a_code_mangled_into_scientific_notation_by_excel_gets_a_specific_message():
    (error,) = plan_for(["企业名称", "统一社会信用代码"], ["甲公司", "9.11E+17"]).outcomes[0].errors
    assert error.code == "scientific_notation"
    assert "文本" in error.message


def test_a_missing_code_reuses_the_validator_message():
    (error,) = plan_for(["企业名称", "统一社会信用代码"], ["甲公司", " "]).outcomes[0].errors
    assert error.code == "empty"
    assert error.message == "第2行，统一社会信用代码：" + cc.MESSAGES["empty"]


def test_the_fast_path_for_canonical_codes_agrees_with_the_core_validator():
    rng = random.Random(32100)
    alphabet = cc.ALPHABET
    noisy = alphabet + "IOSVZ" + "ab -" + "０３Ａ٣"  # full-width and Arabic-Indic digits are \d too
    accepted = 0
    for _ in range(20000):
        if rng.random() < 0.5:
            body = rng.choice("123456789ANY") + rng.choice(alphabet)
            body += "".join(rng.choice("0123456789" if rng.random() < 0.97 else "０３٣") for _ in range(6))
            body += "".join(rng.choice(alphabet) for _ in range(9))
        else:
            body = "".join(rng.choice(alphabet if rng.random() < 0.95 else noisy) for _ in range(17))
        last = rng.choice(alphabet)
        if rng.random() < 0.5:
            try:
                last = compute_check_char(body)
            except cc.CreditCodeError:
                pass
        code = body + last
        fast = parsers.fast_credit_code(code)
        core = cc.is_valid(code) and cc.normalize(code) == code
        assert fast == core, code
        accepted += fast
    assert accepted > 4000  # the test really exercised valid codes


# -- duplicates ----------------------------------------------------------------------


def test_a_code_that_appears_twice_marks_every_later_occurrence_and_names_the_first_row():
    plan = plan_for(
        ["企业名称", "统一社会信用代码"],
        ["甲公司", CODE],
        ["乙公司", CODE_B],
        ["甲公司（重复）", CODE.lower()],
        ["丙公司", "９１１１００００６０００３７３４１Ｌ"],
    )
    assert [r.is_valid for r in plan.outcomes] == [True, True, False, False]
    for row in plan.outcomes[2:]:
        (error,) = row.errors
        assert error.code == "duplicate"
        assert error.message.startswith(f"第{row.row}行，统一社会信用代码：与第2行重复")


# -- clusters and qualifications -------------------------------------------------------


@pytest.mark.parametrize("raw", ["新材料", " 新材料 ", "新材料产业", "新材料产业集群", "新材料\u3000", "“新材料”"])
def test_clusters_match_by_name_after_normalisation(raw):
    assert value_of("所属产业", raw) == 4


@pytest.mark.parametrize(("raw", "ident"), [("生物医药", 2), ("信息技术", 3), ("新一代IT", 3), ("现代服务", 1)])
def test_known_cluster_aliases_are_accepted(raw, ident):
    assert value_of("所属产业", raw) == ident


def test_an_unknown_cluster_is_an_error_listing_the_choices():
    error = error_of("所属产业", "新能源")
    assert error.code == "unknown_cluster"
    assert error.message.startswith("第2行，所属产业：未知的产业集群“新能源”")
    assert "新材料" in error.message and "现代服务业" in error.message


def test_only_one_cluster_per_enterprise():
    assert error_of("所属产业", "新材料、新一代信息技术").code == "multiple_clusters"


def test_extra_keys_in_the_mapping_act_as_aliases():
    plan = dry_run(table(["企业名称", "统一社会信用代码", "所属产业"], ["甲公司", CODE, "材料"]), clusters={**CLUSTERS, "材料": 4})
    assert plan.outcomes[0].values["cluster"] == 4
    assert plan.resource.show("cluster", 4) == "新材料"


@pytest.mark.parametrize(
    "raw",
    [
        "高新技术企业、科技型中小企业",
        "高新技术企业，科技型中小企业",
        "高新技术企业,科技型中小企业",
        "高新技术企业;科技型中小企业",
        "高新技术企业；科技型中小企业；",
        "高企、科小、高新技术企业",
    ],
)
def test_qualifications_are_split_on_chinese_and_ascii_separators(raw):
    assert value_of("资质", raw) == (11, 12)


def test_qualification_names_match_across_quote_styles():
    assert value_of("资质", '专精特新"小巨人"企业') == (14,)
    assert value_of("资质", "专精特新小巨人企业") == (14,)


def test_an_unknown_qualification_is_an_error_naming_it():
    error = error_of("资质", "高新技术企业、省级瞪羚、独角兽")
    assert error.code == "unknown_qualification"
    assert "“省级瞪羚”、“独角兽”" in error.message
    assert "高新技术企业" in error.message.split("可选：")[1]


# -- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["2015-03-01", "2015-3-1", "2015/3/1", "2015.3.1", "2015年3月1日", "2015年03月01日", "20150301",
     "２０１５－０３－０１", "2015-03-01 00:00:00", "42064"],
)
def test_dates_are_accepted_in_common_chinese_forms(raw):
    assert value_of("成立日期", raw) == dt.date(2015, 3, 1)


@pytest.mark.parametrize(
    ("raw", "code", "words"),
    [
        ("2015-02-30", "invalid_date", "2015年2月没有30日"),
        ("2015-13-01", "invalid_date", "月份"),
        ("3/1/2015", "invalid_date", "2015年3月1日"),
        ("去年", "invalid_date", "无法识别"),
        ("2015年3月", "incomplete_date", "不完整"),
        ("2030-01-01", "future_date", "晚于今天"),
        ("1800-01-01", "invalid_date", "1900"),
    ],
)
def test_bad_dates_say_which_rule_failed(raw, code, words):
    error = error_of("成立日期", raw)
    assert error.code == code
    assert words in error.message
    assert error.message.startswith("第2行，成立日期：")


# -- registered capital --------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1200", "1200"),
        ("1,200.5", "1200.5"),
        ("1200万元", "1200"),
        ("1200万", "1200"),
        ("１２００万元", "1200"),
        ("1，200．5", "1200.5"),
        ("人民币1200万元", "1200"),
        ("¥1200万", "1200"),
        ("1200.00", "1200"),
        ("0.5", "0.5"),
        ("1.2亿元", "12000"),
        ("5000000元", "500"),
        ("12345.67元", "1.234567"),
        ("1.2E+3", "1200"),
    ],
)
def test_registered_capital_is_read_in_wan_yuan(raw, value):
    result = value_of("注册资本", raw)
    assert isinstance(result, Decimal)
    assert result == Decimal(value)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("-1200", "negative"),
        ("−50万元", "negative"),
        ("-1,200.5万", "negative"),
        ("约一千万", "invalid_number"),
        ("1200-1500", "invalid_number"),
        ("1.2.3", "invalid_number"),
        ("待定", "invalid_number"),
        ("100万美元", "foreign_currency"),
        ("99999999999", "too_large"),
    ],
)
def test_bad_registered_capital_is_rejected(raw, code):
    error = error_of("注册资本", raw)
    assert error.code == code
    assert error.message.startswith("第2行，注册资本：")


# -- headcount ------------------------------------------------------------------------------


def test_headcount_bands_cover_every_count_without_gaps():
    assert [band.key for band in HEADCOUNT_BANDS] == ["0-19", "20-99", "100-299", "300-999", "1000+"]
    for previous, band in zip(HEADCOUNT_BANDS, HEADCOUNT_BANDS[1:]):
        assert band.low == previous.high + 1
    assert HEADCOUNT_BANDS[-1].high is None
    assert band_for_headcount(0).key == "0-19"
    assert band_for_headcount(10**6).key == "1000+"


@pytest.mark.parametrize(
    ("raw", "band"),
    [
        ("0", "0-19"), ("19", "0-19"), ("20", "20-99"), ("85", "20-99"), ("85人", "20-99"), ("约85人", "20-99"),
        ("８５", "20-99"), ("85.0", "20-99"), ("299", "100-299"), ("1,200", "1000+"), ("1000", "1000+"),
        ("20-99人", "20-99"), ("20~99", "20-99"), ("20至99人", "20-99"), ("1-19", "0-19"), ("20人以下", "0-19"),
        ("<20", "0-19"), ("1000人以上", "1000+"), ("1000人及以上", "1000+"), (">999", "1000+"), ("≥1000", "1000+"),
        ("50-80人", "20-99"), ("100-299", "100-299"), ("300-999人", "300-999"),
    ],
)
def test_headcount_accepts_a_count_or_a_band(raw, band):
    assert value_of("从业人数", raw) == band


@pytest.mark.parametrize(
    ("raw", "code"),
    [("-3", "negative"), ("很多", "invalid_headcount"), ("50-500", "ambiguous_headcount"),
     ("300以上", "ambiguous_headcount"), ("99-20", "invalid_headcount"), ("12.5", "invalid_headcount")],
)
def test_bad_headcount_is_rejected(raw, code):
    assert error_of("从业人数", raw).code == code


# -- website and phone --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "url"),
    [
        ("www.example.com", "https://www.example.com"),
        ("WWW.Example.COM/About", "https://www.example.com/About"),
        ("http://example.com.cn", "http://example.com.cn"),
        ("HTTPS://Example.com/a?b=1#c", "https://example.com/a?b=1#c"),
        ("ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ", "https://www.example.com"),
        ("example.com:8080/x", "https://example.com:8080/x"),
        ("新疆公司.中国", "https://新疆公司.中国"),
    ],
)
def test_websites_get_https_when_no_scheme_is_given(raw, url):
    assert value_of("网站", raw) == url


@pytest.mark.parametrize("raw", ["ftp://example.com", "http//example.com", "not a url", "example", "http://user:pw@example.com", "javascript:alert(1)"])
def test_bad_websites_are_rejected(raw):
    assert error_of("网站", raw).code == "invalid_url"


@pytest.mark.parametrize("raw", ["0991-1234567", "(0991)1234567", "13912345678", "+86 139 1234 5678", "0991-1234567转8001", "0991-1234567、13912345678"])
def test_phone_numbers_in_common_forms_are_accepted(raw):
    assert value_of("联系电话", raw) == raw


@pytest.mark.parametrize("raw", ["请联系张经理", "12345", "0991-123456a"])
def test_bad_phone_numbers_are_rejected(raw):
    assert error_of("联系电话", raw).code == "invalid_phone"


# -- text cleaning -------------------------------------------------------------------------


def test_a_missing_name_is_an_error():
    for raw in ("", "  ", "\u3000", "无"):
        (error,) = plan_for(["企业名称", "统一社会信用代码"], [raw, CODE]).outcomes[0].errors
        assert (error.code, error.field) == ("required", "name")
        assert error.message == "第2行，企业名称：必填，不能为空。"


def test_a_pinyin_annotated_name_is_cleaned():
    row = plan_for(["企业名称", "统一社会信用代码", "地址"], ["新(xīn)疆(jiāng)镕信科技有限公司", CODE, "高新区(qū)北京南路"]).outcomes[0]
    assert row.values["name"] == "新疆镕信科技有限公司"
    assert row.values["address"] == "高新区北京南路"


def test_names_fold_full_width_letters_but_keep_chinese_punctuation_and_use_full_width_brackets():
    row = plan_for(["企业名称", "统一社会信用代码"], ["\u3000ＡＢＣ科技（新疆）有限公司，分公司 ", CODE]).outcomes[0]
    assert row.values["name"] == "ABC科技（新疆）有限公司，分公司"
    row = plan_for(["企业名称", "统一社会信用代码"], ["ABC科技(新疆)有限公司", CODE]).outcomes[0]
    assert row.values["name"] == "ABC科技（新疆）有限公司"


def test_clean_text_kinds():
    assert clean_text("  a \u3000 b\u200b ") == "a b"
    assert clean_text("１２００　万元", "nfkc") == "1200 万元"
    assert clean_text("第一行  \r\n\r\n\r\n\r\n 第二行", "multiline") == "第一行\n\n第二行"
    assert clean_text("'=1+1") == "=1+1"  # an export's formula escape is undone
    assert clean_text("暂无") == ""
    assert clean_text("N/A") == ""


def test_placeholders_count_as_empty_and_clear_markers_clear():
    headers = ["企业名称", "统一社会信用代码", "网站", "地址", "资质"]
    row = plan_for(headers, ["甲公司", CODE, "无", "（清空）", "/"]).outcomes[0]
    assert row.is_valid
    assert row.values == {"name": "甲公司", "credit_code": CODE, "address": None}


def test_a_required_field_cannot_be_cleared():
    (error,) = plan_for(["企业名称", "统一社会信用代码"], ["（清空）", CODE]).outcomes[0].errors
    assert error.code == "required"


def test_overlong_text_is_rejected_with_the_limit():
    error = error_of("企业简称", "甲" * 51)
    assert error.code == "too_long"
    assert "最多50个字符" in error.message


def test_short_rows_and_blank_rows_keep_spreadsheet_row_numbers():
    plan = plan_for(["企业名称", "统一社会信用代码", "地址"], ["甲公司", CODE], [], ["乙公司", CODE_B, "北京南路"], header_row=3)
    assert [row.row for row in plan.outcomes] == [4, 6]
    assert plan.outcomes[0].is_valid and "address" not in plan.outcomes[0].values


# -- a whole file --------------------------------------------------------------------------


HEADERS = ["序号", "企业名称*", "统一社会信用代码（必填）", "所属产业", "资质", "成立日期", "注册资本（万元）", "从业人数", "网站", "备注"]


def sample_rows():
    return [
        ["1", "新疆镕信新材料有限公司", CODE, "新材料", "高新技术企业、专精特新中小企业", "2015/3/1", "1,200.5", "85", "www.rongxin.cn", ""],
        ["2", "乌鲁木齐堃元生物科技有限公司", CODE_B.lower(), "生物医药与大健康", "", "2018年6月9日", "500万元", "300-999人", "", "新增"],
        ["3", "区(qū)块链科技有限公司", CODE_C, "新一代信息技术", "科技型中小企业", "2020.1.2", "100", "12", "", ""],
        ["4", "校验码错误公司", CODE[:17] + "X", "新材料", "", "", "", "", "", ""],
        ["5", "", CODE_D, "新能源", "", "", "", "", "", ""],
        ["6", "未知资质公司", code_for("91650100MA78ABCD2"), "新材料", "瞪羚", "2015-02-30", "-5", "", "", ""],
        ["7", "重复公司", "９１１１００００６０００３７３４１ｌ", "新材料", "", "", "", "", "", ""],
        ["8", "字母IO公司", "91110000600O37341L", "新材料", "", "", "", "", "", ""],
    ]


def test_gbk_csv_with_mistakes_is_validated_row_by_row():
    data = write_csv(HEADERS, sample_rows(), encoding="gbk")
    plan = dry_run(read_table(data))

    assert [w.code for w in plan.warnings] == ["unknown_column"]  # 备注; 序号 is ignored silently
    assert [row.row for row in plan.outcomes] == [2, 3, 4, 5, 6, 7, 8, 9]
    assert [row.is_valid for row in plan.outcomes] == [True, True, True, False, False, False, False, False]
    assert plan.outcomes[2].values["name"] == "区块链科技有限公司"
    assert plan.outcomes[1].key == CODE_B
    messages = [error.message for error in plan.errors]
    assert messages[0].startswith("第5行，统一社会信用代码（必填）：校验码错误：第18位应为“L”")
    assert "第6行，企业名称*：必填，不能为空。" in messages
    assert any(m.startswith("第6行，所属产业：未知的产业集群“新能源”") for m in messages)
    codes_row_7 = {e.code for e in plan.outcomes[5].errors}
    assert codes_row_7 == {"unknown_qualification", "invalid_date", "negative"}
    assert any(m.startswith("第8行，统一社会信用代码（必填）：与第2行重复") for m in messages)
    assert any(m.startswith("第9行，统一社会信用代码（必填）：第12位字符“O”不合法") for m in messages)
    assert not plan.is_valid


def test_xlsx_with_real_dates_and_numbers_is_validated():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["企业名称", "统一社会信用代码", "成立日期", "注册资本", "从业人数", "联系电话"])
    sheet.append(["新疆镕信新材料有限公司", CODE, dt.datetime(2015, 3, 1), 1200.0, 85, 13912345678])
    sheet.append(["乌鲁木齐堃元生物科技有限公司", CODE_B, dt.date(2018, 6, 9), 1200.5, 1500, None])
    buffer = io.BytesIO()
    workbook.save(buffer)

    plan = dry_run(read_table(buffer.getvalue()))

    first, second = plan.outcomes
    assert plan.is_valid
    assert first.values["founded_on"] == dt.date(2015, 3, 1)
    assert first.values["registered_capital"] == Decimal("1200")
    assert first.values["headcount"] == "20-99"
    assert first.values["phone"] == "13912345678"
    assert second.values["registered_capital"] == Decimal("1200.5")
    assert second.values["headcount"] == "1000+"
    assert "phone" not in second.values


# -- the preview against the directory ---------------------------------------------------


@pytest.fixture
def stored(people, kinds):
    """Import a file for real (draft versions written); the lookups are the database's."""

    def store(headers, *rows):
        resource = EnterpriseResource(today=TODAY, by=people.editor, summary="批量导入")
        run = Run(resource, table(headers, *rows), dry_run=False)
        assert not any(o.errors for o in run.outcomes), [e.message for e in run.errors]
        return run

    return store


def preview(headers, *rows):
    return Run(EnterpriseResource(today=TODAY), table(headers, *rows), dry_run=True)


def test_the_preview_marks_rows_new_updated_unchanged_and_invalid(stored):
    headers = ["企业名称", "统一社会信用代码", "注册资本", "资质", "地址"]
    stored(headers, ["甲公司", CODE, "1200.0000", "科技型中小企业、高新技术企业", "旧地址"], ["乙公司（旧名）", CODE_B, "500", "", "北京南路1号"])
    outcomes = preview(
        headers,
        ["甲公司", CODE, "1200", "高新技术企业、科技型中小企业", ""],
        ["乙公司", CODE_B, "500", "", "北京南路1号"],
        ["丙公司", CODE_C, "100", "", ""],
        ["", CODE_D, "100", "", ""],
    ).outcomes
    assert [o.status for o in outcomes] == ["unchanged", "updated", "new", "invalid"]
    unchanged, updated, new, invalid = outcomes
    # An empty cell (address of 甲) leaves the stored value alone; qualification order does not matter.
    assert unchanged.changes == []
    assert [(c.field, c.header, c.old, c.new) for c in updated.changes] == [("name", "企业名称", "乙公司（旧名）", "乙公司")]
    assert new.values == {"name": "丙公司", "credit_code": CODE_C, "registered_capital": Decimal("100")}
    assert invalid.errors and invalid.errors[0].field == "name"


def test_a_clear_marker_is_a_change_only_when_a_value_is_stored(stored):
    headers = ["企业名称", "统一社会信用代码", "网站"]
    stored(headers, ["甲公司", CODE, "https://a.cn"], ["乙公司", CODE_B, ""])
    first, second = preview(headers, ["甲公司", CODE, "【清空】"], ["乙公司", CODE_B, "[清空]"]).outcomes
    assert first.status == "updated"
    assert [(c.field, c.old, c.new) for c in first.changes] == [("website", "https://a.cn", None)]
    assert second.status == "unchanged"


def test_importing_the_same_file_twice_changes_nothing(people, kinds):
    data = write_csv(HEADERS, sample_rows(), encoding="gbk")
    first = Run(EnterpriseResource(today=TODAY, by=people.editor), read_table(data), dry_run=False)
    assert counts_of(first) == {"new": 3, "updated": 0, "unchanged": 0, "invalid": 5}
    again = Run(EnterpriseResource(today=TODAY), read_table(data), dry_run=True)
    assert counts_of(again) == {"new": 0, "updated": 0, "unchanged": 3, "invalid": 5}


def test_an_edited_reimport_lists_exactly_the_changed_fields(stored, kinds):
    rows = [list(row) for row in sample_rows()[:3]]
    rows[0][4] = "国家高新技术企业、专精特新中小企业"
    stored(HEADERS, *rows)
    rows[0][6] = "1,300"  # capital
    rows[1][4] = "国家高新技术企业"  # qualifications
    run = preview(HEADERS, *rows)
    outcomes = run.outcomes
    assert [o.status for o in outcomes] == ["updated", "updated", "unchanged"]
    assert [(c.field, c.old, c.new) for c in outcomes[0].changes] == [("registered_capital", Decimal("1200.5"), Decimal("1300"))]
    assert [(c.field, c.old, c.new) for c in outcomes[1].changes] == [("qualifications", None, (kinds.high_tech.pk,))]
    assert run.resource.show("qualifications", (kinds.high_tech.pk, kinds.little_giant.pk)) == "国家高新技术企业、专精特新“小巨人”企业"
    assert run.resource.show("cluster", kinds.materials.pk) == "新材料"
    assert run.resource.show("headcount", "20-99") == "20-99人"


# -- export and re-import -------------------------------------------------------------------


@pytest.mark.parametrize("writer", ["csv", "xlsx"])
def test_an_exported_file_escapes_formulas_and_reimports_unchanged(people, kinds, enterprises, writer):
    from apps.enterprises.models import Enterprise

    enterprises.draft(
        name="新疆镕信新材料有限公司", short_name="镕信", credit_code=CODE, cluster=kinds.materials,
        qualifications=[{"kind": kinds.high_tech}, {"kind": kinds.little_giant}], founded_on=dt.date(2015, 3, 1),
        registered_capital=Decimal("1200.5"), headcount="20-99", address="乌鲁木齐高新区（新市区）北京南路1号",
        website="https://rongxin.cn", phone="+86 991 1234567",
        description="=HYPERLINK(\"http://evil\",\"点击\")\n第二行", main_products="-农用棚膜、青贮包膜",
    )
    enterprises.draft(name="乌鲁木齐堃元生物科技有限公司", credit_code=CODE_B, headcount="0-19", registered_capital=Decimal("0.5"))
    data = export_file("enterprise", Enterprise.objects.in_directory_order(), writer)[0]

    exported = read_table(data)
    first = exported.rows[[row[0] for row in exported.rows].index("新疆镕信新材料有限公司")]
    assert first[exported.headers.index("企业简介")].startswith("'=HYPERLINK")
    assert first[exported.headers.index("主要产品")].startswith("'-")
    assert first[exported.headers.index("联系电话")] == "'+86 991 1234567"

    run = Run(EnterpriseResource(today=TODAY), exported, dry_run=True)
    assert run.is_valid, [e.message for e in run.errors]
    assert counts_of(run)["unchanged"] == 2


# -- the cell rules without Django ----------------------------------------------------------


def test_the_cell_rules_run_without_django_settings():
    script = (
        "from apps.core.spreadsheets import read_table\n"
        "from apps.enterprises.columns import ENTERPRISES, match_headers\n"
        "from apps.enterprises.cells import clean_text\n"
        "from apps.enterprises.parsers import parse_credit_code\n"
        "t = read_table('企业名称,统一社会信用代码\\r\\n区(qū)甲公司,91110000600037341l\\r\\n'.encode('gbk'))\n"
        "m = match_headers(t.headers, schema=ENTERPRISES)\n"
        "print(parse_credit_code(t.rows[0][m.columns['credit_code']], None), clean_text(t.rows[0][0]))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE" and not k.startswith("PYTEST")}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "91110000600037341L 区甲公司"


def test_the_preview_of_many_rows_is_fast_enough_for_the_import_budget():
    import time

    rows = [[f"测试企业{i}有限公司", code_for(f"9165010000{i:07d}"), "新材料", "高新技术企业", "2015/3/1", "1200", "85"] for i in range(5000)]
    data = write_csv(["企业名称", "统一社会信用代码", "所属产业", "资质", "成立日期", "注册资本", "从业人数"], rows, encoding="gbk")
    started = time.process_time()
    run = dry_run(read_table(data))
    elapsed = time.process_time() - started
    assert counts_of(run)["new"] == 5000
    # 20k rows through preview and confirmation must stay well under the 15 s budget.
    assert elapsed < 2.0, elapsed


@pytest.mark.parametrize(
    "raw",
    ["www.example.com", "example.com.cn/", "http://a-b.example.org/x/y.html", "https://xn--fiqs8s.cn", "WWW.EXAMPLE.COM/Path_1~%20"],
)
def test_the_website_fast_path_agrees_with_the_general_rule(raw):
    assert parsers.parse_website(raw, None) == parsers.parse_url(raw)


def test_a_code_stored_as_a_number_in_xlsx_gets_the_scientific_notation_message():
    workbook = openpyxl.Workbook()
    workbook.active.append(["企业名称", "统一社会信用代码"])
    workbook.active.append(["甲公司", 911100006000373418.0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = dry_run(read_table(buffer.getvalue()))
    (error,) = plan.outcomes[0].errors
    assert error.code == "scientific_notation"
