"""Export from the admin: CSV and XLSX with the import's Chinese headers, the
changelist's current filters and search honoured, formula injection escaped,
and an exported file re-imports unchanged."""

import io

import openpyxl
import pytest

from apps.core.spreadsheets import read_table
from apps.enterprises.models import ImportJob

EXPORT_URL = "/admin/enterprises/enterprise/export/"


@pytest.fixture
def staff_client(client, people):
    client.force_login(people.editor)
    return client


def test_export_honours_the_changelists_filters_and_search(staff_client, enterprises, kinds):
    enterprises.draft(name="新疆甲材料有限公司", cluster=kinds.materials)
    enterprises.draft(name="新疆乙材料有限公司", cluster=kinds.materials)
    enterprises.draft(name="新疆丙软件有限公司", cluster=kinds.it)
    response = staff_client.get(f"{EXPORT_URL}?cluster__id__exact={kinds.materials.pk}&_format=csv")
    assert response.status_code == 200 and "attachment;" in response["Content-Disposition"]
    table = read_table(response.content)
    names = [row[0] for row in table.rows]
    assert sorted(names) == ["新疆乙材料有限公司", "新疆甲材料有限公司"]
    response = staff_client.get(f"{EXPORT_URL}?q=丙软件&_format=csv")
    assert [row[0] for row in read_table(response.content).rows] == ["新疆丙软件有限公司"]


def test_export_uses_the_chinese_headers_in_directory_order(staff_client, enterprises):
    enterprises.draft(name="中信科技有限公司")
    enterprises.draft(name="阿勒泰科技有限公司")
    table = read_table(staff_client.get(f"{EXPORT_URL}?_format=csv").content)
    assert table.headers[:5] == ["企业名称", "企业简称", "统一社会信用代码", "所属产业", "资质"]
    assert [row[0] for row in table.rows] == ["阿勒泰科技有限公司", "中信科技有限公司"]


def test_export_escapes_formula_injection_in_csv_and_xlsx(staff_client, enterprises):
    enterprises.draft(name="=HYPERLINK(\"http://evil.example\",\"点击\")", main_products="+1-2", short_name="@SUM(A1)")
    csv_text = staff_client.get(f"{EXPORT_URL}?_format=csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'+1-2" in csv_text and "'@SUM(A1)" in csv_text
    response = staff_client.get(f"{EXPORT_URL}?_format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for cell in sheet[2]]
    assert values[0].startswith("'=") and "'@SUM(A1)" in values


def test_an_exported_file_reimports_unchanged(staff_client, enterprises, kinds):
    import datetime as dt
    from decimal import Decimal

    enterprises.draft(
        name="新疆天山新材料有限公司", qualifications=[{"kind": kinds.high_tech}, {"kind": kinds.gazelle}],
        founded_on=dt.date(2008, 5, 20), registered_capital=Decimal("1200.5"), headcount="100-299",
        website="https://www.example.com.cn", phone="0991-1234567", description="第一行\n第二行", main_products="青贮包膜",
    )
    for file_format, name in (("csv", "export.csv"), ("xlsx", "export.xlsx")):
        exported = staff_client.get(f"{EXPORT_URL}?_format={file_format}").content
        upload = io.BytesIO(exported)
        upload.name = name
        response = staff_client.post("/admin/enterprises/enterprise/import/", {"file": upload, "encoding": "auto"})
        job = ImportJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
        assert job.counts["unchanged"] == 1 and job.counts["invalid"] == 0, job.errors


def test_platform_export_gives_the_host_credit_code(staff_client, enterprises, platforms, kinds):
    host = enterprises.draft()
    platforms.draft(name="示例博士后科研工作站", kind=kinds.postdoc, host=host, level="national")
    table = read_table(staff_client.get("/admin/enterprises/platform/export/?_format=csv").content)
    assert table.headers[:4] == ["平台名称", "平台类型", "级别", "依托企业统一社会信用代码"]
    assert table.rows[0][:4] == ["示例博士后科研工作站", "博士后科研工作站", "国家级", host.credit_code]


def test_export_needs_the_view_permission(client, make_user, enterprises):
    client.force_login(make_user("clerk", roles=["service_agent"]))
    assert client.get(f"{EXPORT_URL}?_format=csv").status_code == 403


@pytest.mark.parametrize("url", [EXPORT_URL, "/admin/enterprises/platform/export/"])
def test_export_with_an_unknown_filter_is_a_400_with_a_chinese_message(staff_client, url):
    response = staff_client.get(f"{url}?no_such_field=1&_format=csv")
    assert response.status_code == 400
    assert "导出条件无效" in response.content.decode()
    assert not ImportJob.objects.exists()
