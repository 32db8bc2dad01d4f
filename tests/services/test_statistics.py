"""The published statistics: figures checked against hand-computed ones, the upheld
appeal left out, the page (SVG beside tables, both scripts, elder mode), the CSV,
the cache and its invalidation, and a pinned query count."""

import csv
import datetime as dt
import io

import pytest
import time_machine

from apps.core import pagecache
from apps.editorial import actions as editorial
from apps.services import actions, statistics
from apps.services.models import Rectification, Service, ServiceGroup
from tests.services.conftest import DEPARTMENT, publish, valid_submission

pytestmark = pytest.mark.django_db

BEIJING = dt.timezone(dt.timedelta(hours=8))


def at(month, day, hour=10):
    return time_machine.travel(dt.datetime(2026, month, day, hour, 0, tzinfo=BEIJING), tick=False)


@pytest.fixture
def fixture_data(desk, people):
    """Two groups, five requests in March and April 2026 (no holiday in March; 4 to 6 April is Qingming).

    Group A (企业开办与变更, desk.service):
      r1 accepted Mon 2 Mar (due 9 Mar), resolved 4 Mar: 2 working days, on time; rated 5 on 5 Mar.
      r2 accepted 2 Mar (due 9 Mar), resolved 12 Mar: 8 working days, late; rated 2 on 13 Mar:
         case due 20 Mar, reported back 18 Mar (on time).
      r3 submitted 20 Mar, still open.
    Group B (人才服务, a second service):
      r4 accepted Tue 3 Mar (due 10 Mar), resolved 5 Mar: 2 working days, on time; rated 1 on 6 Mar:
         case due 13 Mar, never reported; an appeal against it may be upheld.
      r5 accepted 3 Mar (due 10 Mar), resolved 1 Apr: 21 working days, late; rated 1 on 2 Apr:
         case due 10 Apr, not reported by 15 Apr (overdue).
    """
    group_b = ServiceGroup.objects.create(code="talent", name="人才服务", position=2)
    with at(2, 20):
        draft = editorial.create_draft(Service, by=people.editor, fields={
            "code": "talent-card", "name": "人才服务卡", "group": group_b, "description": "说明",
            "department": DEPARTMENT, "deadline_days": 5, "online": True}, children={
            "attribute_definitions": [], "materials": []})
        service_b = publish(draft, people)

    def submit(service, **over):
        data = valid_submission(desk) if service == desk.service else {
            "contact_name": "李经理", "contact_phone": "13900139000", "description": "申请人才服务卡。"}
        data.update(over)
        return actions.submit_request(service, by=desk.user, **data)

    def accept(item):
        return actions.start(actions.accept(item, by=desk.agent), by=desk.agent)

    with at(3, 2):
        r1, r2 = accept(submit(desk.service)), accept(submit(desk.service))
    with at(3, 3):
        r4, r5 = accept(submit(service_b)), accept(submit(service_b))
    with at(3, 4):
        actions.resolve(r1, by=desk.agent, public_note="已办结")
    with at(3, 5):
        actions.resolve(r4, by=desk.agent, public_note="已办结")
        actions.rate(r1, by=desk.user, score=5)
    with at(3, 6):
        bad = actions.rate(r4, by=desk.user, score=1, comment="恶意")
    with at(3, 12):
        actions.resolve(r2, by=desk.agent, public_note="已办结")
    with at(3, 13):
        actions.rate(r2, by=desk.user, score=2)
    with at(3, 18):
        case = Rectification.objects.get(rating__request=r2)
        actions.verify(case, by=desk.supervisor, finding="回访属实")
        actions.report_back(case, by=desk.supervisor, fix="增加窗口", report="已整改")
    with at(3, 20):
        submit(desk.service)
    with at(4, 1):
        actions.resolve(r5, by=desk.agent, public_note="已办结")
    with at(4, 2):
        actions.rate(r5, by=desk.user, score=1)
    return bad


def _cells(stats):
    return {(f"{r.month:%Y-%m}", r.group): r for r in stats.rows}


def _figures(r):
    return (r.accepted, r.completed, r.on_time_percent, r.average_days, r.ratings, r.satisfaction_percent,
            r.rectified_percent)


def test_sitemap_lists_the_statistics_page(client):
    assert "/services/statistics/" in client.get("/sitemap.xml").content.decode()


def test_figures_match_the_hand_computed_ones_with_an_upheld_appeal(desk, fixture_data):
    appeal = actions.file_appeal(fixture_data, by=desk.agent, reason="与办理无关")
    actions.decide_appeal(appeal, by=desk.supervisor, upheld=True, reason="属恶意评价")
    cells = _cells(statistics.compute(dt.date(2026, 4, 15)))
    assert set(cells) == {("2026-03", "企业开办与变更"), ("2026-03", "人才服务"), ("2026-04", "人才服务")}
    assert _figures(cells["2026-03", "企业开办与变更"]) == (2, 2, 50.0, 5.0, 2, 50.0, 100.0)
    assert _figures(cells["2026-03", "人才服务"]) == (2, 1, 100.0, 2.0, 0, None, None)
    assert _figures(cells["2026-04", "人才服务"]) == (0, 1, 0.0, 21.0, 1, 0.0, 0.0)


def test_without_the_appeal_the_bad_rating_counts(fixture_data):
    stats = statistics.compute(dt.date(2026, 4, 15))
    cells = _cells(stats)
    assert _figures(cells["2026-03", "人才服务"]) == (2, 1, 100.0, 2.0, 1, 0.0, 0.0)
    march = next(t for t in stats.totals if t.month == dt.date(2026, 3, 1))
    assert (march.accepted, march.completed, march.ratings, march.satisfaction_percent) == (4, 3, 3, 33.3)
    assert len(stats.totals) == 12 and stats.totals[-1].month == dt.date(2026, 4, 1)


def test_accepted_counts_acceptances_in_their_month_not_submissions(desk, fixture_data):
    """受理件数: r3 (submitted 20 March) counts in April, when it is accepted; a
    submission refused before acceptance (不予受理) never counts."""
    from apps.services.models import ServiceRequest

    with at(3, 25):
        refused = actions.submit_request(desk.service, by=desk.user, **valid_submission(desk))
        actions.reject(refused, by=desk.agent, public_note="不属于本事项的受理范围。")
    with at(4, 7):
        actions.accept(ServiceRequest.objects.get(state="submitted"), by=desk.agent)
    cells = _cells(statistics.compute(dt.date(2026, 4, 15)))
    assert cells["2026-03", "企业开办与变更"].accepted == 2
    assert cells["2026-04", "企业开办与变更"].accepted == 1


def test_a_case_not_yet_due_is_not_counted_as_settled(fixture_data):
    cells = _cells(statistics.compute(dt.date(2026, 4, 8)))
    assert cells["2026-04", "人才服务"].rectified_percent is None


@pytest.fixture
def anonymous(client):
    client.cookies.clear()
    return client


def test_page_shows_svg_charts_beside_tables(fixture_data, anonymous):
    with at(4, 15):
        response = anonymous.get("/services/statistics/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg class=\"chart\"") == 2 and html.count("<table class=\"figures\"") == 3
    assert "每月受理与办结件数" in html and "2026年3月" in html and "企业开办与变更" in html
    assert "<script" not in html.split("</header>")[-1]


def test_page_in_traditional_script_and_elder_mode(fixture_data, anonymous, settings):
    with at(4, 15):
        hant = anonymous.get("/zh-hant/services/statistics/")
        anonymous.cookies[settings.PARKPORTAL_ELDER_COOKIE] = "1"
        elder = anonymous.get("/services/statistics/")
    assert "辦事服務統計" in hant.content.decode()
    assert 'class="elder"' in elder.content.decode()


def test_csv_download(fixture_data, client):
    with at(4, 15):
        response = client.get("/services/statistics/statistics.csv")
        hant = client.get("/zh-hant/services/statistics/statistics.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["月份", "事项分组", "受理件数"]
    assert ["2026-04", "人才服务", "0", "1", "0.0", "21.0", "1", "0.0", "0.0"] in rows
    assert ["2026-03", "企业开办与变更", "2", "2", "50.0", "5.0", "2", "50.0", "100.0"] in rows
    assert "事項分組" in hant.content.decode("utf-8-sig")


def test_page_is_cached_and_invalidated_by_a_rating(desk, fixture_data, anonymous, requests_):
    with at(4, 15):
        item = requests_.resolved()
        first = anonymous.get("/services/statistics/")
        assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
        again = anonymous.get("/services/statistics/")
        assert again["X-Page-Cache"] == "hit" and again.content == first.content
        for path in ("/zh-hant/services/statistics/", "/services/", "/"):
            assert anonymous.get(path).status_code == 200
            assert anonymous.get(path)["X-Page-Cache"] == "hit", path
        g0 = pagecache.generation()
        actions.rate(item, by=desk.user, score=5)
        assert pagecache.generation() == g0
        after = anonymous.get("/services/statistics/")
        assert after["X-Page-Cache"] == "miss" and after.content != first.content
        assert anonymous.get("/zh-hant/services/statistics/")["X-Page-Cache"] == "miss"
        # The statistics are a page cache area of their own: a rating (or a request
        # submitted) leaves the rest of the site cached.
        assert anonymous.get("/services/")["X-Page-Cache"] == "hit"
        assert anonymous.get("/")["X-Page-Cache"] == "hit"
        # A site-wide change still makes the statistics page stale too.
        pagecache.bump()
        assert anonymous.get("/services/statistics/")["X-Page-Cache"] == "miss"


def test_an_acceptance_makes_the_statistics_page_stale_and_a_submission_does_not(desk, fixture_data, anonymous):
    with at(4, 15):
        first = anonymous.get("/services/statistics/")
        assert anonymous.get("/services/statistics/")["X-Page-Cache"] == "hit"
        submitted = actions.submit_request(desk.service, by=desk.user, **valid_submission(desk))
        assert anonymous.get("/services/statistics/")["X-Page-Cache"] == "hit"
        actions.accept(submitted, by=desk.agent)
        after = anonymous.get("/services/statistics/")
        assert after["X-Page-Cache"] == "miss" and after.content != first.content
    cells = _cells(statistics.compute(dt.date(2026, 4, 15)))
    assert cells["2026-04", "企业开办与变更"].accepted == 1


STATISTICS_QUERIES = 5  # four aggregates and the groups; the shell reads what it reads on every page


def test_query_count_is_constant_as_data_grows(desk, fixture_data, anonymous, requests_, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PARKPORTAL_PAGECACHE_ENABLED = False

    def count():
        anonymous.get("/services/statistics/")  # warm the shell's caches (site settings)
        pagecache.bump(statistics.AREA)  # what statistics_changed() does after commit: the figures are stale
        with CaptureQueriesContext(connection) as miss:
            anonymous.get("/services/statistics/")
        with CaptureQueriesContext(connection) as hit:
            anonymous.get("/services/statistics/")
        return len(miss), len(hit)

    with at(4, 15):
        small = count()
        for score in (5, 4, 1, 2, 3, 5):
            actions.rate(requests_.resolved(), by=desk.user, score=score)
        grown = count()
    assert small == grown
    assert small[0] - small[1] == STATISTICS_QUERIES  # the figures are cached: the aggregates run once
