"""Reading and writing the directory's spreadsheets (no database, no models)."""

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from apps.core.spreadsheets import (
    FORMULA_TRIGGERS,
    SpreadsheetError,
    escape_formula,
    read_table,
    unescape_formula,
    write_csv,
    write_xlsx,
)

HEADERS = ["企业名称", "统一社会信用代码", "所属产业", "成立日期", "注册资本"]
ROWS = [
    ["新疆镕信新材料有限公司", "91110000600037341L", "新材料", "2015-03-01", "1200"],
    ["乌鲁木齐堃元生物科技有限公司", "91350100M000100Y43", "生物医药与大健康", "2018/6/9", "500万元"],
]
CJK = re.compile(r"[\u4e00-\u9fff]")


def csv_text(headers, rows, delimiter=",", newline="\r\n"):
    lines = [delimiter.join(headers)] + [delimiter.join(row) for row in rows]
    return newline.join(lines) + newline


def xlsx_bytes(rows, *, title="Sheet1", extra_sheets=()):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for name, state, sheet_rows in extra_sheets:
        other = workbook.create_sheet(name, 0 if state == "hidden" else None)
        other.sheet_state = state
        for row in sheet_rows:
            other.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def refused(data, code, **kwargs):
    with pytest.raises(SpreadsheetError) as info:
        read_table(data, **kwargs)
    assert info.value.code == code
    assert CJK.search(info.value.message), "messages are in Chinese"
    return info.value


# -- CSV encodings --------------------------------------------------------------


def test_gbk_csv_with_chinese_headers_is_read():
    # 镕 and 堃 are outside GB2312 but inside GBK (and GB18030).
    data = csv_text(HEADERS, ROWS).encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb2312")

    table = read_table(data, filename="名录.csv")

    assert table.format == "csv"
    assert table.encoding == "gb18030"
    assert table.headers == HEADERS
    assert table.rows == ROWS
    assert table.header_row == 1


def test_utf8_csv_without_bom_is_read_as_utf8():
    table = read_table(csv_text(HEADERS, ROWS).encode("utf-8"))
    assert table.encoding == "utf-8"
    assert table.rows[1][0] == "乌鲁木齐堃元生物科技有限公司"


def test_utf8_csv_with_bom_keeps_the_bom_out_of_the_first_header():
    table = read_table(b"\xef\xbb\xbf" + csv_text(HEADERS, ROWS).encode("utf-8"))
    assert table.encoding == "utf-8-sig"
    assert table.headers[0] == "企业名称"


def test_utf16_text_with_bom_from_excel_unicode_export_is_read():
    data = csv_text(HEADERS, ROWS, delimiter="\t").encode("utf-16")
    table = read_table(data)
    assert table.encoding == "utf-16"
    assert table.delimiter == "\t"
    assert table.rows == ROWS


def test_a_chosen_encoding_is_used_instead_of_detection():
    data = csv_text(HEADERS, ROWS).encode("gbk")
    assert read_table(data, encoding="GBK").encoding == "gb18030"
    # WPS calls GBK files "GB2312"; GB2312 itself cannot decode 镕 or 堃.
    assert read_table(data, encoding="gb2312").rows == ROWS
    assert read_table(data, encoding="auto").encoding == "gb18030"


def test_a_wrong_chosen_encoding_names_the_line_that_does_not_decode():
    data = ("企业名称\r\n" + "甲\r\n").encode("utf-8") + "新疆镕信\r\n".encode("gbk")
    error = refused(data, "decode_error", encoding="utf-8")
    assert "第3行" in error.message


def test_an_unknown_encoding_name_is_refused():
    refused(b"a,b\r\n1,2\r\n", "unknown_encoding", encoding="no-such-codec")


def test_bytes_that_are_neither_utf8_nor_gb18030_fall_back_to_charset_normalizer():
    # 0x80 and 0xFF are invalid on their own in both UTF-8 and GB18030.
    data = "name,city\r\nCafé Zürich,Genève\r\n".encode("cp1252") + b"\x80\r\n"
    try:
        table = read_table(data)
    except SpreadsheetError as error:
        assert error.code == "encoding_unknown"
    else:
        assert table.encoding not in ("utf-8", "gb18030")
        assert table.headers == ["name", "city"]


# -- CSV structure --------------------------------------------------------------


def test_tab_delimited_file_is_split_on_tabs():
    table = read_table(csv_text(HEADERS, ROWS, delimiter="\t").encode("utf-8"))
    assert table.delimiter == "\t"
    assert table.headers == HEADERS
    assert table.rows == ROWS


def test_semicolon_delimited_file_is_split_on_semicolons():
    table = read_table(csv_text(HEADERS, ROWS, delimiter=";").encode("utf-8"))
    assert table.delimiter == ";"
    assert table.rows == ROWS


def test_full_width_comma_is_the_delimiter_when_the_header_has_no_ascii_delimiter():
    text = "企业名称，统一社会信用代码，地址\r\n甲公司，91110000600037341L，\"高新区北京南路1号，A座\"\r\n"
    table = read_table(text.encode("gbk"))
    assert table.delimiter == "，"
    assert table.headers == ["企业名称", "统一社会信用代码", "地址"]
    assert table.rows == [["甲公司", "91110000600037341L", "高新区北京南路1号，A座"]]


def test_full_width_commas_inside_cells_do_not_split_an_ascii_comma_file():
    text = "企业名称,地址\r\n甲公司,北京南路1号，A座\r\n"
    table = read_table(text.encode("utf-8"))
    assert table.delimiter == ","
    assert table.rows == [["甲公司", "北京南路1号，A座"]]


def test_quoted_fields_keep_embedded_newlines_and_rows_count_records_not_lines():
    text = (
        '企业名称,企业简介\r\n'
        '甲公司,"第一行\r\n第二行, 含逗号"\r\n'
        '乙公司,"说“好”与""引号"""\r\n'
    )
    table = read_table(text.encode("utf-8"))
    assert table.rows == [["甲公司", "第一行\r\n第二行, 含逗号"], ["乙公司", '说“好”与"引号"']]
    assert [table.row_number(i) for i in range(2)] == [2, 3]


def test_lf_and_lone_cr_line_endings_are_read():
    assert read_table(csv_text(HEADERS, ROWS, newline="\n").encode()).rows == ROWS
    assert read_table(csv_text(HEADERS, ROWS, newline="\r").encode()).rows == ROWS


def test_trailing_empty_rows_and_columns_are_dropped():
    text = "企业名称,统一社会信用代码,,\r\n甲公司,91110000600037341L,,\r\n,,,\r\n  ,,,\r\n\r\n"
    table = read_table(text.encode("utf-8"))
    assert table.headers == ["企业名称", "统一社会信用代码"]
    assert table.rows == [["甲公司", "91110000600037341L", "", ""]]


def test_blank_rows_in_the_middle_are_kept_so_row_numbers_match_the_sheet():
    text = "企业名称\r\n甲公司\r\n,\r\n乙公司\r\n"
    table = read_table(text.encode("utf-8"))
    assert table.rows == [["甲公司"], [], ["乙公司"]]
    assert table.row_number(2) == 4


def test_a_title_row_above_the_header_is_skipped_and_counted():
    text = "\r\n2024年高新区企业名录,,\r\n企业名称,统一社会信用代码,地址\r\n甲公司,91110000600037341L,北京南路\r\n"
    table = read_table(text.encode("gbk"))
    assert table.headers == ["企业名称", "统一社会信用代码", "地址"]
    assert table.header_row == 3
    assert table.row_number(0) == 4


def test_excel_sep_line_sets_the_delimiter():
    table = read_table(b"sep=;\r\na;b\r\n1,5;2\r\n")
    assert table.delimiter == ";"
    assert table.headers == ["a", "b"]
    assert table.rows == [["1,5", "2"]]


def test_header_cells_are_stripped_of_spaces_and_ideographic_spaces():
    table = read_table(" 企业名称\u3000, 统一社会信用代码 \r\n甲,乙\r\n".encode("utf-8"))
    assert table.headers == ["企业名称", "统一社会信用代码"]


# -- XLSX -----------------------------------------------------------------------


def test_xlsx_cells_become_strings_dates_iso_and_integral_floats_without_point_zero():
    data = xlsx_bytes(
        [
            ["企业名称", "成立日期", "注册资本", "从业人数", "联系电话", "备注", "时间"],
            ["甲公司", dt.date(2015, 3, 1), 1200.0, 85, 13912345678, None, dt.datetime(2020, 1, 2, 8, 30)],
            ["乙公司", dt.datetime(2018, 6, 9), 1200.5, 0.1 + 0.2, None, True, None],
        ]
    )
    table = read_table(data)
    assert table.format == "xlsx"
    assert table.encoding is None
    assert table.sheet == "Sheet1"
    assert table.rows[0] == ["甲公司", "2015-03-01", "1200", "85", "13912345678", "", "2020-01-02 08:30:00"]
    assert table.rows[1][:6] == ["乙公司", "2018-06-09", "1200.5", "0.3", "", "TRUE"]


def test_xlsx_is_detected_from_the_content_not_the_file_name():
    table = read_table(xlsx_bytes([["企业名称"], ["甲公司"]]), filename="名录.csv")
    assert table.format == "xlsx"
    assert table.rows == [["甲公司"]]


def test_xlsx_reads_the_first_visible_sheet_or_a_named_one():
    data = xlsx_bytes(
        [["企业名称"], ["甲公司"]],
        title="名录",
        extra_sheets=[("说明", "hidden", [["填写说明"]]), ("其他", "visible", [["企业名称"], ["乙公司"]])],
    )
    assert read_table(data).sheet == "名录"
    assert read_table(data, sheet="其他").rows == [["乙公司"]]
    error = refused(data, "sheet_not_found", sheet="不存在")
    assert "名录" in error.message


def test_xlsx_title_row_and_blank_rows_keep_sheet_row_numbers():
    data = xlsx_bytes([["高新区企业名录"], ["企业名称", "地址"], ["甲公司", "北京南路"], [None, None], ["乙公司", ""]])
    table = read_table(data)
    assert table.header_row == 2
    assert table.rows == [["甲公司", "北京南路"], [], ["乙公司", ""]]
    assert table.row_number(2) == 5


# -- bad input ------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(data):
    refused(data, "empty")


def test_a_file_with_only_blank_rows_has_no_header():
    refused(b",,,\r\n , ,\r\n", "no_header")


def test_an_empty_xlsx_sheet_has_no_header():
    refused(xlsx_bytes([]), "no_header")


def test_a_truncated_xlsx_is_reported_as_corrupt():
    data = xlsx_bytes([["企业名称"], ["甲公司"]])
    refused(data[: len(data) // 2], "corrupt_xlsx")


def test_an_xlsx_with_a_broken_sheet_is_reported_as_corrupt():
    data = xlsx_bytes([["企业名称"], ["甲公司"]])
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            body = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                body = body[: len(body) // 2]
            target.writestr(name, body)
    refused(buffer.getvalue(), "corrupt_xlsx")


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    refused(buffer.getvalue(), "not_spreadsheet")


def test_an_ods_file_is_refused_with_a_save_as_hint():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<x/>")
    error = refused(buffer.getvalue(), "unsupported_format")
    assert "另存为" in error.message


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def test_a_password_protected_workbook_is_refused_as_encrypted():
    data = OLE + b"\x00" * 100 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 100
    error = refused(data, "encrypted", filename="名录.xlsx")
    assert "密码" in error.message


def test_a_legacy_xls_workbook_is_refused_with_a_save_as_hint():
    error = refused(OLE + b"\x00" * 200 + "Workbook".encode("utf-16-le"), "xls_unsupported")
    assert ".xlsx" in error.message


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n...", b"\x89PNG\r\n\x1a\n\x00\x00", bytes(range(256)) * 4],
    ids=["pdf", "png", "binary"],
)
def test_a_binary_that_is_not_a_spreadsheet_is_refused(data):
    refused(data, "not_spreadsheet")


def test_a_web_page_saved_as_xls_is_refused():
    html = "<html><body><table><tr><td>企业名称</td></tr></table></body></html>"
    error = refused(html.encode("utf-8"), "html_table", filename="导出.xls")
    assert "HTML" in error.message


# -- formula escaping -------------------------------------------------------------


@pytest.mark.parametrize("value", ["=1+1", "+86 991 1234567", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "＝1+1", "  =HYPERLINK(1)"])
def test_text_that_a_spreadsheet_would_evaluate_is_prefixed_with_a_quote(value):
    escaped = escape_formula(value)
    assert escaped == "'" + value
    assert unescape_formula(escaped) == value


@pytest.mark.parametrize("value", ["新疆镕信有限公司", "1200", "a=b", "", "'quoted"])
def test_ordinary_text_is_not_escaped(value):
    assert escape_formula(value) == value
    assert unescape_formula(value) == value


@pytest.mark.parametrize(
    ("value", "text"),
    [(-5, "-5"), (Decimal("-1200.50"), "-1200.5"), (-2.0, "-2"), (0.25, "0.25"), (Decimal("1E+3"), "1000")],
)
def test_real_numbers_are_written_as_numbers_not_escaped(value, text):
    assert escape_formula(value) == text


def test_none_dates_and_booleans_have_plain_text():
    assert escape_formula(None) == ""
    assert escape_formula(dt.date(2015, 3, 1)) == "2015-03-01"
    assert escape_formula(True) == "TRUE"


def test_every_owasp_trigger_is_covered():
    assert set("=+-@\t\r") <= set(FORMULA_TRIGGERS)


# -- writing ------------------------------------------------------------------------


def test_write_csv_defaults_to_utf8_with_bom_crlf_and_escapes_formula_cells():
    data = write_csv(["企业名称", "注册资本", "简介"], [["甲公司", Decimal("-5"), "=cmd|' /C calc'!A0"]])
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text == "企业名称,注册资本,简介\r\n甲公司,-5,'=cmd|' /C calc'!A0\r\n"


def test_write_csv_in_gb18030_reads_back_with_detection():
    data = write_csv(HEADERS, ROWS, encoding="gb18030")
    table = read_table(data)
    assert table.encoding == "gb18030"
    assert table.rows == ROWS


def test_write_csv_refuses_characters_the_chosen_encoding_cannot_hold():
    with pytest.raises(SpreadsheetError) as info:
        write_csv(["名称"], [["𠮷野家"]], encoding="gbk")
    assert info.value.code == "encode_error"


def test_write_csv_round_trips_awkward_cells():
    rows = [["a,b", 'say "hi"', "line1\nline2", "  spaced  "]]
    table = read_table(write_csv(["h1", "h2", "h3", "h4"], rows))
    assert table.rows == rows


def test_write_xlsx_keeps_formula_text_as_text_and_numbers_and_dates_as_such():
    data = write_xlsx(
        ["企业名称", "注册资本", "成立日期", "简介", "从业人数"],
        [["=HYPERLINK(\"http://x\")", Decimal("-12.5"), dt.date(2015, 3, 1), "@SUM(A1)", 85]],
    )
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.active
    name, capital, founded, description, headcount = (cell for cell in sheet[2])
    assert name.data_type == "s" and name.value == "'=HYPERLINK(\"http://x\")"
    assert capital.data_type == "n" and capital.value == -12.5
    assert founded.is_date and founded.value.date() == dt.date(2015, 3, 1)
    assert description.value == "'@SUM(A1)"
    assert headcount.value == 85
    assert sheet["A1"].font.b
    # And it reads back through read_table with the escapes intact.
    table = read_table(data)
    assert table.rows == [["'=HYPERLINK(\"http://x\")", "-12.5", "2015-03-01", "'@SUM(A1)", "85"]]


def test_write_xlsx_drops_control_characters_xlsx_cannot_store():
    data = write_xlsx(["名称"], [["甲\x01公司\x1f"]])
    assert read_table(data).rows == [["甲公司"]]


def test_excels_single_byte_euro_sign_in_a_gbk_file_is_accepted():
    data = "企业名称,备注\r\n新疆镕信,".encode("gbk") + b"\x80" + "100万\r\n".encode("gbk")
    table = read_table(data)
    assert table.encoding == "gb18030"
    assert table.rows == [["新疆镕信", "€100万"]]


def test_an_xlsx_number_beyond_float_precision_is_shown_as_excel_shows_it():
    # An all-digit 18-character code typed into a number cell: Excel keeps 15 digits.
    table = read_table(xlsx_bytes([["统一社会信用代码"], [911100006000373418.0]]))
    assert table.rows == [["9.11100006000373E+17"]]


def test_a_chosen_gbk_encoding_also_accepts_the_euro_byte_but_nothing_else_invalid():
    data = "企业名称\r\n新疆镕信".encode("gbk") + b"\x80\r\n"
    assert read_table(data, encoding="gbk").rows == [["新疆镕信€"]]
    error = refused("企业名称\r\n".encode("gbk") + b"\xff\xff\r\n", "decode_error", encoding="gbk")
    assert "第2行" in error.message
