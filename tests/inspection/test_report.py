"""Each indicator at pass, warn and fail, at the exact thresholds (Beijing time);
the report in a constant number of queries; the page, printable page and XLSX."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from apps.core.audit import audit
from apps.editorial import actions as editorial
from apps.inspection import builtin, linkcheck, livescan
from apps.inspection.indicators import FAIL, PASS, WARN, compute_all, oldest_open, period_start
from apps.inspection.models import LinkKind, Severity
from apps.services.models import Service
from tests.editorial.conftest import refresh
from tests.policies.conftest import documents  # noqa: F401  (fixture)
from tests.services.conftest import catalogue, publish  # noqa: F401  (fixture)

BEIJING = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 1, 15, 10, 0, tzinfo=BEIJING)
SECOND = timedelta(seconds=1)
REPORT_QUERIES = 19  # pinned (13 + the consultations indicator's 2 + one per column model of policies in the two column indicators): a new query in the report must be deliberate


def at(moment, fn, *args, **kw):
    with time_machine.travel(moment, tick=False):
        return fn(*args, **kw)


@pytest.fixture
def published_page(pages):
    def make(moment, **fields):
        return at(moment, pages.published, **fields)
    return make


# --- home page: 2 weeks -----------------------------------------------------------------------

@pytest.mark.parametrize("age, status", [
    (timedelta(days=14), FAIL),
    (timedelta(days=14) - SECOND, WARN),
    (timedelta(days=14) * 0.8, WARN),
    (timedelta(days=14) * 0.8 - SECOND, PASS),
])
def test_home_page_freshness_at_the_thresholds(releases, age, status):
    at(T0, releases.published)
    assert builtin.home(T0 + age).status == status


def test_a_home_page_with_nothing_published_fails(db):
    assert builtin.home(T0).status == FAIL


# --- columns: news 2 weeks, policy 6 months (Beijing calendar) ---------------------------------

def test_a_policy_column_fails_exactly_six_calendar_months_later(published_page):
    published_page(T0, column_type="政策文件")
    fail_at = datetime(2026, 7, 15, 10, 0, tzinfo=BEIJING)
    assert period_start(fail_at, ("months", 6)) == T0
    assert builtin.columns(fail_at).status == FAIL
    assert builtin.columns(fail_at - SECOND).status == WARN
    assert builtin.columns(T0 + timedelta(days=150)).status == WARN  # past 80 % of 181 days
    assert builtin.columns(T0 + timedelta(days=100)).status == PASS


def test_month_arithmetic_is_in_beijing_time():
    # 1 August 00:30 in Beijing is still 31 July in UTC: six months before is 1 February.
    now = datetime(2026, 8, 1, 0, 30, tzinfo=BEIJING)
    assert period_start(now, ("months", 6)) == datetime(2026, 2, 1, 0, 30, tzinfo=BEIJING)
    assert period_start(datetime(2026, 8, 31, 9, 0, tzinfo=BEIJING), ("months", 6)) == datetime(
        2026, 2, 28, 9, 0, tzinfo=BEIJING)


@pytest.mark.parametrize("age, status", [
    (timedelta(days=14), FAIL), (timedelta(days=14) - SECOND, WARN), (timedelta(days=11), PASS)])
def test_the_news_column_counts_press_releases(releases, age, status):
    at(T0, releases.published)
    result = builtin.columns(T0 + age)
    assert result.status == status
    if status != PASS:
        assert result.rows[0].label == "工作动态" and result.rows[0].fix_url == "/admin/news/pressrelease/"


def test_policy_documents_are_the_policy_column_and_count_beside_its_pages(documents, published_page):
    """A policy document is a publication of 政策文件 as a page of that type is: the
    column is graded by the newer of the two, its fix link opens the documents."""
    at(T0, documents.published)
    seven_months = datetime(2026, 8, 20, 10, 0, tzinfo=BEIJING)
    result = builtin.columns(seven_months)
    assert result.status == FAIL
    assert [(r.label, r.fix_url) for r in result.rows] == [("政策文件", "/admin/policies/policydocument/")]
    published_page(seven_months - timedelta(days=30), column_type="政策文件")  # a page of the column, newer
    assert builtin.columns(seven_months).status == PASS
    assert builtin.empty_columns(seven_months).rows == []


def test_a_column_type_without_a_rule_is_not_graded(published_page):
    published_page(T0, column_type="概况信息")
    assert builtin.columns(T0 + timedelta(days=400)).status == PASS


# --- empty columns: 5 fail, 4 warn ------------------------------------------------------------------

@pytest.mark.parametrize("empty, status", [(3, PASS), (4, WARN), (5, FAIL)])
def test_empty_columns(pages, published_page, empty, status):
    published_page(T0, column_type="工作动态")  # a column with content
    types = ["政策文件", "政策解读", "回应关切", "数据发布", "专题专栏"]
    for column_type in types[:empty - 1]:
        pages.draft(column_type=column_type)  # a column never published
    published_page(T0, column_type="机构职能", body="")  # a published page with nothing in it
    result = builtin.empty_columns(T0)
    assert len(result.rows) == empty
    assert result.status == status


# --- service guides: every key element -----------------------------------------------------------

COMPLETE = {"legal_basis": "《行政许可法》", "eligibility": "园区内企业", "venue": "政务服务中心 3 号窗口",
            "office_hours": "工作日 9:30-13:30、15:30-19:30", "phone": "0991-1234567", "procedure": "申请、受理、审核、办结"}


def test_a_complete_guide_passes_and_a_missing_element_fails(catalogue, people):
    service = catalogue("complete", publish_it=False)
    editorial.save_draft(refresh(service), by=people.editor, fields=COMPLETE)
    publish(refresh(service), people)
    assert builtin.guides(T0).status == PASS
    catalogue("incomplete")
    result = builtin.guides(T0)
    assert result.status == FAIL
    assert result.rows[0].label == "事项incomplete"
    assert "设定依据" in result.rows[0].detail and "办理地点" in result.rows[0].detail
    assert "办理材料" not in result.rows[0].detail
    assert result.rows[0].fix_url.endswith(f"/services/service/{Service.objects.get(code='incomplete').pk}/change/")


def test_no_published_guide_fails(db):
    assert builtin.guides(T0).status == FAIL


# --- live wording hits ------------------------------------------------------------------------

def test_wording_in_live_content(pages, people, wording):
    assert builtin.wording(T0).status == PASS
    page = pages.published(body="<p>设备按排到位。</p>")
    wording.add("按排", severity=Severity.WARN, suggestion="安排")
    livescan.rescan_live()
    result = builtin.wording(T0)
    assert result.status == WARN
    assert "【按排】" in result.rows[0].detail and "安排" in result.rows[0].detail
    wording.add("到位。", severity=Severity.BLOCK)
    livescan.rescan_item(*_ref(page))
    assert builtin.wording(T0).status == FAIL


def _ref(item):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(item).pk, str(item.pk)


# --- publication dates edited after publication ---------------------------------------------------

def test_edited_publication_dates_fail_with_who_and_when(pages, people):
    page = pages.published()
    assert builtin.dates_edited(T0).status == PASS
    at(T0, audit, page, "editorial.edit_publication_date", by=people.publisher, note="发布时间改为 2025-12-01")
    result = builtin.dates_edited(T0)
    assert result.status == FAIL
    assert result.rows[0].who == str(people.publisher) and result.rows[0].when == T0


# --- dead links: dead on two runs in a row; 5 fail, 4 warn -----------------------------------------

@pytest.mark.parametrize("dead, status", [(3, PASS), (4, WARN), (5, FAIL)])
def test_dead_links(pages, dead, status):
    page = pages.published()
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(page).pk
    targets = [linkcheck.Target(ct, str(page.pk), "页", "/p/", f"https://x.example/{i}", "", LinkKind.EXTERNAL)
               for i in range(dead)]
    results = {t.url: linkcheck.Result(False, 404, "HTTP 状态码 404") for t in targets}
    linkcheck.record(targets, results, now=T0)
    assert builtin.links(T0).status == PASS  # dead once is not reported yet
    linkcheck.record(targets, results, now=T0 + timedelta(days=1))
    result = builtin.links(T0)
    assert result.status == status and len(result.rows) == dead


# --- the registry's helper for other apps (consultations) --------------------------------------------

def test_oldest_open_grades_the_oldest_item(published_page):
    from apps.pages.models import Page

    published_page(T0)
    limit = ("months", 3)
    fail_at = datetime(2026, 4, 15, 10, 0, tzinfo=BEIJING)
    assert oldest_open(Page.objects.all(), date_field="first_published_at", limit=limit, now=fail_at).status == FAIL
    assert oldest_open(Page.objects.all(), date_field="first_published_at", limit=limit,
                       now=fail_at - SECOND).status == WARN
    assert oldest_open(Page.objects.all(), date_field="first_published_at", limit=limit,
                       now=T0 + timedelta(days=30)).status == PASS
    assert oldest_open(Page.objects.none(), date_field="first_published_at", limit=limit, now=T0).status == PASS


# --- the whole report ------------------------------------------------------------------------------

def test_the_report_is_in_the_checklist_order(db):
    keys = [r.key for r in compute_all(T0)]
    assert keys == ["wording", "dates", "home", "columns", "empty_columns", "consultations", "guides", "links"]


def _grow(pages, releases, catalogue, n):
    for i in range(n):
        pages.published(column_type=["政策文件", "工作动态", "机构职能"][i % 3])
        releases.published()
        catalogue(f"svc-{i}-{n}")


def test_the_report_runs_in_a_constant_number_of_queries(pages, releases, catalogue, django_assert_num_queries):
    _grow(pages, releases, catalogue, 1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        compute_all(T0)
    _grow(pages, releases, catalogue, 3)
    assert len(small.captured_queries) == REPORT_QUERIES
    with django_assert_num_queries(REPORT_QUERIES):
        compute_all(T0)


def test_the_admin_report_page_print_and_xlsx(client, site_admin, people, releases):
    releases.published()
    client.force_login(site_admin)
    page = client.get("/admin/inspection/linkcheck/report/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "网站自查报告" in html and "办事指南要素" in html and "不合格" in html
    printable = client.get("/admin/inspection/linkcheck/report/print/")
    assert printable.status_code == 200 and "自查人" in printable.content.decode()
    sheet = client.get("/admin/inspection/linkcheck/report/xlsx/")
    assert sheet.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "检查指标", "结果")
    assert [r[1] for r in rows[1:]] == ["严重表述错误和错敏词", "发布时间被修改", "首页更新", "栏目更新", "空白栏目", "留言咨询答复",
                                        "办事指南要素", "链接和附件可用性"]
    client.force_login(people.editor)
    assert client.get("/admin/inspection/linkcheck/report/").status_code == 403
