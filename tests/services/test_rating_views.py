"""The rating form on the enterprise's request page and the 好差评 admin pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.services import actions
from apps.services.models import Appeal, Rating, Rectification

pytestmark = pytest.mark.django_db

DETAIL_QUERIES = 10


def detail(item):
    return reverse("services:my_detail", kwargs={"number": item.tracking_number})


def rate_url(item):
    return reverse("services:rate", kwargs={"number": item.tracking_number})


def test_rating_form_shows_on_a_resolved_request_and_rates_once(client, desk, requests_):
    item = requests_.resolved()
    client.force_login(desk.user)
    page = client.get(detail(item)).content.decode()
    assert "评价本次服务" in page and 'name="score"' in page and "<legend>总体评价（必填）</legend>" in page
    response = client.post(rate_url(item), {"score": "4", "attitude": "5", "comment": "很好"})
    assert response.status_code == 302
    assert Rating.objects.get().score == 4
    page = client.get(detail(item)).content.decode()
    assert "我的评价" in page and 'name="score"' not in page
    again = client.post(rate_url(item), {"score": "1"})
    assert again.status_code == 409 and "只能评价一次" in again.content.decode()
    assert Rating.objects.get().score == 4


def test_bad_input_is_a_400_beside_the_field(client, desk, requests_):
    item = requests_.resolved()
    client.force_login(desk.user)
    response = client.post(rate_url(item), {"score": "9", "comment": "x" * 501})
    assert response.status_code == 400
    body = response.content.decode()
    assert "只能是 1 到 5" in body and "500" in body
    assert not Rating.objects.exists()


def test_no_form_before_resolution_and_another_enterprise_gets_404(client, desk, requests_):
    item = requests_.in_progress()
    client.force_login(desk.user)
    assert 'name="score"' not in client.get(detail(item)).content.decode()
    assert client.post(rate_url(item), {"score": "5"}).status_code == 409
    resolved = requests_.resolved()
    client.force_login(desk.other_user)
    assert client.post(rate_url(resolved), {"score": "1"}).status_code == 404
    assert not Rating.objects.exists()


def test_detail_query_count_is_pinned(client, desk, requests_):
    item = requests_.resolved()
    client.force_login(desk.user)
    client.get(detail(item))
    with CaptureQueriesContext(connection) as before:
        client.get(detail(item))
    actions.rate(item, by=desk.user, score=2, comment="慢")
    with CaptureQueriesContext(connection) as after:
        client.get(detail(item))
    assert len(before) == DETAIL_QUERIES
    assert len(after) == DETAIL_QUERIES - 1  # no "may rate" check once rated


def test_admin_hides_the_rater_from_the_agent_and_shows_the_supervisor(client, desk, requests_):
    item = requests_.resolved()
    rating = actions.rate(item, by=desk.user, score=2, comment="等待太久")
    url = reverse("admin:services_rating_change", args=[rating.pk])
    client.force_login(desk.agent)
    page = client.get(url).content.decode()
    rater = f"<dt>评价人</dt><dd>{desk.user}</dd>"
    assert "等待太久" in page and rater not in page and "仅督办可见" in page
    listing = client.get(reverse("admin:services_rating_changelist")).content.decode()
    assert "column-rater" not in listing
    client.force_login(desk.supervisor)
    assert rater in client.get(url).content.decode()
    assert "column-rater" in client.get(reverse("admin:services_rating_changelist")).content.decode()
    client.force_login(desk.other_agent)
    assert client.get(url).status_code == 404


def test_admin_appeal_and_decision_and_rectification_forms(client, desk, requests_):
    item = requests_.resolved()
    rating = actions.rate(item, by=desk.user, score=1)
    client.force_login(desk.agent)
    act = reverse("admin:services_rating_act", args=[rating.pk])
    empty = client.post(act, {"action": "appeal", "reason": ""})  # bad input: a 400 with the message, nothing saved
    assert empty.status_code == 400 and not Appeal.objects.exists()
    assert client.post(act, {"action": "appeal", "reason": "辱骂工作人员"}).status_code == 302
    again = client.post(act, {"action": "appeal", "reason": "再次申诉"})  # the state refuses it: a conflict
    assert again.status_code == 409 and Appeal.objects.count() == 1
    appeal = Appeal.objects.get()
    case = Rectification.objects.get()
    assert client.get(reverse("admin:services_rectification_change", args=[case.pk])).status_code == 404
    client.force_login(desk.supervisor)
    case_act = reverse("admin:services_rectification_act", args=[case.pk])
    assert client.post(case_act, {"action": "verify", "finding": "已回访"}).status_code == 302
    decide = reverse("admin:services_appeal_act", args=[appeal.pk])
    assert client.post(decide, {"action": "decide", "decision": "upheld", "decision_reason": "属实"}).status_code == 302
    assert Rating.objects.counted().count() == 0
    page = client.get(reverse("admin:services_appeal_change", args=[appeal.pk])).content.decode()
    assert "申诉成立" in page


def test_the_rectification_report_shows_on_the_enterprise_page(client, desk, requests_):
    item = requests_.resolved()
    rating = actions.rate(item, by=desk.user, score=1, comment="慢")
    actions.verify(rating.rectification, by=desk.supervisor, finding="属实")
    actions.report_back(rating.rectification, by=desk.supervisor, fix="增设窗口", report="已增设专门窗口，感谢监督。")
    client.force_login(desk.user)
    page = client.get(detail(item)).content.decode()
    assert "差评整改反馈" in page and "已增设专门窗口" in page
    assert "增设窗口<" not in page and "属实" not in page  # the fix and the finding stay internal


def test_the_staff_request_page_shows_the_rating_without_the_rater(client, desk, requests_):
    item = requests_.resolved()
    rating = actions.rate(item, by=desk.user, score=2, comment="窗口人少")
    client.force_login(desk.agent)
    page = client.get(reverse("admin:services_servicerequest_change", args=[item.pk])).content.decode()
    assert "不满意：窗口人少" in page and reverse("admin:services_rating_change", args=[rating.pk]) in page


def test_action_page_fields_lose_pasted_pinyin_annotations(client, desk, requests_):
    item = requests_.resolved()
    rating = actions.rate(item, by=desk.user, score=1)
    client.force_login(desk.agent)
    act = reverse("admin:services_rating_act", args=[rating.pk])
    assert client.post(act, {"action": "appeal", "reason": "辱骂(rǔ mà)工作人员"}).status_code == 302
    assert Appeal.objects.get().reason == "辱骂工作人员"
