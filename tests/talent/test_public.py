"""The public talent pages: list (filters, open now first, days left), detail (rounds,
archive, materials), the round's calendar file, feeds, sitemap, Traditional script,
and a constant number of queries at ten times the demo data."""

import datetime as dt

import pytest
import time_machine
from icalendar import Calendar

from apps.editorial import actions as editorial
from apps.talent.models import ApplicationRound

from .conftest import beijing, round_row

pytestmark = pytest.mark.django_db

NOW = beijing(2026, 6, 10, 10, 0)
OPEN = round_row("2026年度第一批", opens=beijing(2026, 6, 1, 9), closes=beijing(2026, 6, 14, 18), quota=30)
UPCOMING = round_row("2026年度第二批", opens=beijing(2026, 9, 1, 9), closes=beijing(2026, 9, 30, 18))
CLOSED = round_row("2025年度第一批", opens=beijing(2025, 6, 1, 9), closes=beijing(2025, 6, 30, 18))


@pytest.fixture
def at_now():
    with time_machine.travel(NOW, tick=False):
        yield


def _demo_like(programmes, n=1):
    """The demo's shape: one programme with an open, an upcoming and a closed round,
    one with only an upcoming round, one closed, one always open; ``n`` times."""
    made = []
    for i in range(n):
        made += [
            programmes.published(name=f"天山火炬之星{i}", category="青年", rounds=[OPEN, UPCOMING, CLOSED],
                                 materials=[{"position": 0, "name": "申报书"}, {"position": 1, "name": "身份证明"}]),
            programmes.published(name=f"十百千{i}", rounds=[UPCOMING]),
            programmes.published(name=f"团队项目{i}", category="团队", rounds=[CLOSED]),
            programmes.published(name=f"常年项目{i}", category="培育", rounds=[round_row("常年受理", always_open=True)]),
        ]
    return made


def test_the_list_shows_open_programmes_first_with_days_left(programmes, client, at_now):
    _demo_like(programmes)
    body = client.get("/talent/").content.decode()
    order = [body.index(name) for name in ("天山火炬之星0", "常年项目0", "十百千0", "团队项目0")]
    assert order == sorted(order)
    assert "还剩4天" in body and "即将截止" in body
    assert "2026年9月1日 09:00 开始申报" in body


@pytest.mark.parametrize(("state", "shown", "hidden"), [
    ("open", ["天山火炬之星0", "常年项目0"], ["十百千0", "团队项目0"]),
    ("upcoming", ["十百千0"], ["天山火炬之星0", "团队项目0"]),
    ("closed", ["团队项目0"], ["天山火炬之星0", "十百千0"]),
    ("nonsense", ["天山火炬之星0", "十百千0", "团队项目0"], []),
])
def test_the_list_filters_by_round_state(programmes, client, at_now, state, shown, hidden):
    _demo_like(programmes)
    response = client.get(f"/talent/?state={state}")
    assert response.status_code == 200
    body = response.content.decode()
    assert all(name in body for name in shown)
    assert not any(name in body for name in hidden)


def test_the_list_filters_by_category_and_ignores_garbage(programmes, client, at_now):
    from apps.talent.models import ProgrammeCategory

    _demo_like(programmes)
    youth = ProgrammeCategory.objects.get(name="青年")
    body = client.get(f"/talent/?category={youth.pk}").content.decode()
    assert "天山火炬之星0" in body and "十百千0" not in body
    assert client.get("/talent/?category=abc&state=-1").status_code == 200
    assert client.get("/talent/?state=%00").status_code == 400  # a NUL is refused site-wide (apps.core.middleware)


def test_the_detail_page_shows_rounds_the_archive_and_materials(programmes, client, at_now, people):
    programme = _demo_like(programmes)[0]
    body = client.get(programme.get_absolute_url()).content.decode()
    assert body.index("2026年度第一批") < body.index("2026年度第二批") < body.index("往期批次") < body.index("2025年度第一批")
    assert "名额：30 名" in body
    assert "申报书" in body and "身份证明" in body
    assert body.count("/talent/rounds/") == 2  # the open and the upcoming round; the archive has none


def test_a_material_template_downloads_only_for_a_public_programme(programmes, client, people, media_storage):
    from apps.media import actions as media
    from tests.media import samples

    template = media.upload_attachment(samples.upload(samples.pdf_bytes(), "form.pdf"), by=people.editor, title="申报书模板")
    draft = programmes.draft(materials=[{"position": 0, "name": "申报书", "template": template}])
    url = f"/talent/{draft.pk}/materials/{template.pk}/"
    assert client.get(url).status_code == 404
    live = programmes.published(materials=[{"position": 0, "name": "申报书", "template": template}])
    assert "申报书模板" in client.get(live.get_absolute_url()).content.decode()
    response = client.get(f"/talent/{live.pk}/materials/{template.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert client.get(f"/talent/{live.pk}/materials/999999/").status_code == 404


def test_a_material_template_downloads_under_its_reviewed_title(programmes, client, people, media_storage):
    from urllib.parse import unquote

    from apps.media import actions as media
    from tests.media import samples

    template = media.upload_attachment(samples.upload(samples.pdf_bytes(), "form.pdf"), by=people.editor, title="申报书模板")
    live = programmes.published(materials=[{"position": 0, "name": "申报书", "template": template}])
    template.refresh_from_db()
    media.update_attachment(template, by=people.editor2, title="未审核的模板标题")

    disposition = unquote(client.get(f"/talent/{live.pk}/materials/{template.pk}/")["Content-Disposition"])
    assert "申报书模板" in disposition and "未审核" not in disposition


def test_the_round_calendar_has_the_opening_and_the_deadline_in_beijing_time(programmes, client, at_now):
    _demo_like(programmes)
    round_ = ApplicationRound.objects.get(title="2026年度第一批")
    response = client.get(f"/talent/rounds/{round_.pk}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [str(e["summary"]) for e in events] == ["天山火炬之星0 2026年度第一批 开始申报", "天山火炬之星0 2026年度第一批 申报截止"]
    assert events[0].decoded("dtstart") == beijing(2026, 6, 1, 9)
    assert events[1].decoded("dtend") == beijing(2026, 6, 14, 18)
    assert "Asia/Shanghai" in response.content.decode()
    assert client.get("/talent/rounds/999999.ics").status_code == 404


def test_the_feed_lists_rounds_that_have_opened_newest_first(programmes, client, at_now):
    _demo_like(programmes)
    for url in ("/talent/feed/rss/", "/talent/feed/atom/"):
        body = client.get(url).content.decode()
        assert "天山火炬之星0 2026年度第一批" in body
        assert "2026年度第二批" not in body  # not open yet
        assert body.index("2026年度第一批") < body.index("2025年度第一批")


def test_the_sitemap_lists_published_programmes_only(programmes, client):
    live = programmes.published()
    draft = programmes.draft()
    body = client.get("/sitemap.xml").content.decode()
    assert live.get_absolute_url() in body
    assert draft.get_absolute_url() not in body


def test_the_traditional_pages_are_converted(programmes, client, at_now):
    programme = _demo_like(programmes)[0]
    for path in ("/zh-hant/talent/", f"/zh-hant{programme.get_absolute_url()}"):
        response = client.get(path)
        assert response.status_code == 200
        body = response.content.decode()
        assert "人才項目" in body and "申報" in body


LIST_QUERIES = 3
DETAIL_QUERIES = 6


def test_list_and_detail_queries_stay_constant_at_ten_times_the_demo(programmes, client, at_now, django_assert_num_queries, settings):
    settings.PARKPORTAL_PAGECACHE_ENABLED = False  # the render's queries, not a page cache hit
    first = _demo_like(programmes)[0]
    # Warm the per-process caches (site settings, content types) as a running site has.
    client.get("/talent/"), client.get(first.get_absolute_url())
    with django_assert_num_queries(LIST_QUERIES):
        client.get("/talent/")
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get(first.get_absolute_url())
    _demo_like(programmes, n=9)
    with django_assert_num_queries(LIST_QUERIES):
        client.get("/talent/")
    with django_assert_num_queries(LIST_QUERIES):
        client.get("/talent/?state=open&category=1")
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get(first.get_absolute_url())
