"""The public station pages and the workflow: list (filters, open now), detail (week
table, JSON-LD, geo link, exceptions), sitemap, Traditional script, permissions, and a
constant number of queries at ten times the demo data."""

import datetime as dt
import json
import re

import pytest
import time_machine
from django.test import Client

from apps.core.errors import NotAllowed
from apps.editorial import actions as editorial
from apps.stations.models import StationKind, StationService

from .conftest import T, beijing

pytestmark = pytest.mark.django_db
NOW = beijing(2026, 12, 7, 10, 0)  # Monday morning


@pytest.fixture
def at_now():
    with time_machine.travel(NOW, tick=False):
        yield


def _demo_like(stations, n=1):
    made = []
    for i in range(n):
        made += [
            stations.published(name=f"创业社区服务站{i}", community="北站社区", services=("创业指导", "政策咨询"),
                               latitude="43.870000", longitude="87.560000",
                               exceptions=[{"date": dt.date(2026, 12, 9), "closed": True, "note": "临时闭馆"}]),
            stations.published(name=f"金融流动服务站{i}", kind="金融流动服务站", is_mobile=True, hours=[],
                               community="南站社区", services=("融资对接",),
                               stops=[{"date": dt.date(2026, 12, 8), "opens": T(10, 0), "closes": T(16, 0), "place": "示例商业综合体"}]),
            stations.published(name=f"人才驿站{i}", kind="人才驿站", services=("人力资源",),
                               hours=[{"weekday": 0, "opens": T(14, 0), "closes": T(18, 0)}]),
        ]
    return made


def test_the_list_shows_open_and_closed_stations_with_times(stations, client, at_now):
    _demo_like(stations)
    body = client.get("/stations/").content.decode()
    assert "创业社区服务站0" in body and "金融流动服务站0" in body and "人才驿站0" in body
    assert "正在开放" in body and "开放至 12月7日 13:30" in body
    assert "下次开放：12月8日（星期二）10:00" in body
    assert "示例商业综合体" in body


@pytest.mark.parametrize(("query", "shown", "hidden"), [
    ("open=1", ["创业社区服务站0"], ["金融流动服务站0", "人才驿站0"]),
    ("community=南站社区", ["金融流动服务站0"], ["创业社区服务站0", "人才驿站0"]),
    ("service=SERVICE", ["金融流动服务站0"], ["创业社区服务站0", "人才驿站0"]),
    ("kind=KIND", ["人才驿站0"], ["创业社区服务站0", "金融流动服务站0"]),
    ("kind=x&service=-1&open=yes", ["创业社区服务站0", "金融流动服务站0", "人才驿站0"], []),
])
def test_the_list_filters(stations, client, at_now, query, shown, hidden):
    _demo_like(stations)
    query = query.replace("SERVICE", str(StationService.objects.get(name="融资对接").pk))
    query = query.replace("KIND", str(StationKind.objects.get(name="人才驿站").pk))
    response = client.get(f"/stations/?{query}")
    assert response.status_code == 200
    body = response.content.decode()
    assert all(name in body for name in shown), query
    assert not any(name in body for name in hidden), query


def test_the_detail_has_the_week_table_json_ld_geo_link_and_exceptions(stations, client, at_now):
    station = _demo_like(stations)[0]
    body = client.get(station.get_absolute_url()).content.decode()
    assert "<table" in body and "星期一" in body and "09:30–13:30、15:30–19:30" in body
    assert "星期日</th><td>休息" in body
    assert "geo:43.87,87.56?q=43.87,87.56(" in body
    assert "2026年12月9日（星期三）：全天闭馆，临时闭馆" in body
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    data = json.loads(found.group(1))
    specs = data["openingHoursSpecification"]
    assert {"@type": "OpeningHoursSpecification", "dayOfWeek": "https://schema.org/Monday",
            "opens": "09:30", "closes": "13:30"} in specs
    assert {"@type": "OpeningHoursSpecification", "validFrom": "2026-12-09", "validThrough": "2026-12-09",
            "opens": "00:00", "closes": "00:00"} in specs
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": "43.87", "longitude": "87.56"}


def test_without_coordinates_the_map_link_carries_the_address(stations, client, at_now):
    station = stations.published(address="示例路 8 号")
    body = client.get(station.get_absolute_url()).content.decode()
    assert "geo:0,0?q=%E7%A4%BA%E4%BE%8B%E8%B7%AF%208%20%E5%8F%B7" in body


def test_a_draft_station_is_not_public_and_the_workflow_takes_it_live(stations, people, client):
    station = stations.draft(name="未发布的服务站")
    assert client.get(station.get_absolute_url()).status_code == 404
    assert "未发布的服务站" not in client.get("/stations/").content.decode()
    assert station.get_absolute_url() not in client.get("/sitemap.xml").content.decode()
    with pytest.raises(NotAllowed):
        editorial.submit(station, by=people.reviewer)
    editorial.submit(station, by=people.editor)
    with pytest.raises(NotAllowed):
        editorial.approve(station, by=people.editor2)
    editorial.approve(station, by=people.reviewer)
    editorial.approve(station, by=people.publisher, publish=False)
    with pytest.raises(NotAllowed):
        editorial.publish(station, by=people.editor)
    editorial.publish(station, by=people.publisher2)
    assert client.get(station.get_absolute_url()).status_code == 200
    assert station.get_absolute_url() in client.get("/sitemap.xml").content.decode()


def test_changed_hours_in_a_draft_are_public_only_once_published(stations, people, client, at_now):
    station = stations.published(name="改时间的服务站")

    def close_mondays(item):
        item.hours.filter(weekday=0).delete()

    editorial.save_draft(station, by=people.editor, write=close_mondays)
    assert "正在开放" in client.get(station.get_absolute_url()).content.decode()


@pytest.mark.parametrize("role", ["reviewer", "publisher", "outsider"])
def test_only_editors_create_stations(stations, people, role):
    with pytest.raises(NotAllowed):
        stations.draft(by=getattr(people, role))


@pytest.mark.parametrize(("role", "allowed"), [
    ("editor", {"add", "change", "view"}), ("reviewer", {"view"}), ("publisher", {"view"}), ("outsider", set()),
])
def test_role_permissions_on_stations(people, role, allowed):
    user = getattr(people, role)
    for action in ("add", "change", "view", "delete"):
        assert user.has_perm(f"stations.{action}_servicestation") == (action in allowed), action


def test_the_admin_change_form_edits_hours_inline(stations, people):
    station = stations.draft()
    client = Client()
    client.force_login(people.editor)
    body = client.get(f"/admin/stations/servicestation/{station.pk}/change/").content.decode()
    assert "hours-0-opens" in body and "exceptions-TOTAL_FORMS" in body and "stops-TOTAL_FORMS" in body


def test_the_traditional_pages_are_converted(stations, client, at_now):
    station = _demo_like(stations)[0]
    for path in ("/zh-hant/stations/", f"/zh-hant{station.get_absolute_url()}"):
        response = client.get(path)
        assert response.status_code == 200
        assert "服務站" in response.content.decode()


LIST_QUERIES = 9
DETAIL_QUERIES = 8


def test_list_and_detail_queries_stay_constant_at_ten_times_the_demo(stations, client, at_now, django_assert_num_queries, settings):
    settings.PARKPORTAL_PAGECACHE_ENABLED = False  # the render's queries, not a page cache hit
    first = _demo_like(stations)[0]
    client.get("/stations/"), client.get(first.get_absolute_url())  # warm per-process caches
    with django_assert_num_queries(LIST_QUERIES):
        client.get("/stations/")
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get(first.get_absolute_url())
    _demo_like(stations, n=9)
    with django_assert_num_queries(LIST_QUERIES):
        client.get("/stations/")
    with django_assert_num_queries(LIST_QUERIES):
        client.get("/stations/?open=1&community=北站社区")
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get(first.get_absolute_url())


def test_staff_preview_shows_draft_hours_without_publishing_them(stations, people, at_now):
    from django.urls import reverse

    station = stations.published()

    def add_exception(item):
        item.exceptions.create(date=dt.date(2026, 12, 10), closed=True, note="草稿中的临时闭馆")

    editorial.save_draft(station, by=people.editor, write=add_exception)
    number = station.__class__._base_manager.get(pk=station.pk).latest_revision.number
    client = Client()
    client.force_login(people.reviewer)
    response = client.get(reverse("admin:stations_servicestation_preview", args=[station.pk, number]))
    assert response.status_code == 200 and "草稿中的临时闭馆" in response.content.decode()
    assert not station.exceptions.exists()
