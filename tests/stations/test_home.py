"""The home page lists the rounds open now (closing soonest first) and the stations
open now, computed at the request's moment, in a constant number of queries."""


import pytest
import time_machine

from tests.talent.conftest import programmes, round_row  # noqa: F401  (fixture)

from .conftest import T, beijing

pytestmark = pytest.mark.django_db
NOW = beijing(2026, 12, 7, 10, 0)  # Monday morning


def _content(programmes, stations, i=0):  # noqa: F811
    programmes.published(name=f"即将截止项目{i}", rounds=[round_row(opens=beijing(2026, 12, 1), closes=beijing(2026, 12, 9, 18))])
    programmes.published(name=f"未开始项目{i}", rounds=[round_row(opens=beijing(2027, 1, 1), closes=beijing(2027, 2, 1))])
    stations.published(name=f"开放的服务站{i}")
    stations.published(name=f"下午开放的服务站{i}", hours=[{"weekday": 0, "opens": T(14, 0), "closes": T(18, 0)}])


def test_the_home_page_lists_open_rounds_and_open_stations(programmes, stations, client):  # noqa: F811
    _content(programmes, stations)
    with time_machine.travel(NOW, tick=False):
        body = client.get("/").content.decode()
    assert "即将截止项目0" in body and "2026年12月9日 18:00 截止" in body
    assert "未开始项目0" not in body
    assert "开放的服务站0" in body and "开放至 12月7日 13:30" in body
    assert "下午开放的服务站0" not in body
    with time_machine.travel(beijing(2026, 12, 7, 14, 0), tick=False):
        body = client.get("/").content.decode()
    assert "下午开放的服务站0" in body and "开放的服务站0" not in body.replace("下午开放的服务站0", "")


HOME_QUERIES = 12  # site settings cached; clusters, latest news, pages, rounds, stations + hours, exceptions, stops, services, calendar; policies, consultations


def test_the_home_page_queries_stay_constant_as_content_grows(programmes, stations, client, django_assert_num_queries, settings):  # noqa: F811
    settings.PARKPORTAL_PAGECACHE_ENABLED = False  # the render's queries, not a page cache hit
    _content(programmes, stations)
    with time_machine.travel(NOW, tick=False):
        client.get("/")
        with django_assert_num_queries(HOME_QUERIES):
            client.get("/")
        for i in range(1, 10):
            _content(programmes, stations, i)
        with django_assert_num_queries(HOME_QUERIES):
            client.get("/")
