"""The role × action table: the enterprise's own account and a colleague, another
enterprise's account, anonymous, 服务专员 of the department and of another, 督办,
and an editor — on every request page and action."""

import pytest
from django.urls import reverse

from apps.services.models import ServiceRequest, State

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "user", "colleague", "other_user", "agent", "other_agent", "supervisor", "editor")


def as_(client, desk, who):
    client.logout()
    if who != "anonymous":
        client.force_login(getattr(desk, who))
    return client


def statuses(client, desk, call):
    return {who: call(as_(client, desk, who)).status_code for who in ROLES}


def test_my_pages(client, desk, requests_):
    request = requests_.accepted()
    detail = reverse("services:my_detail", kwargs={"number": request.tracking_number})
    assert statuses(client, desk, lambda c: c.get(detail)) == {
        "anonymous": 302, "user": 200, "colleague": 200, "other_user": 404,
        "agent": 403, "other_agent": 403, "supervisor": 403, "editor": 403,
    }
    listing = reverse("services:my_list")
    got = statuses(client, desk, lambda c: c.get(listing))
    assert got == {"anonymous": 302, "user": 200, "colleague": 200, "other_user": 200,
                   "agent": 403, "other_agent": 403, "supervisor": 403, "editor": 403}
    as_(client, desk, "other_user")
    assert request.tracking_number not in client.get(listing).content.decode()


def test_withdraw_and_supplement_actions(client, desk, requests_):
    def fresh_submitted():
        return requests_.submitted()

    outcomes = {}
    for who in ROLES:
        request = fresh_submitted()
        response = as_(client, desk, who).post(reverse("services:withdraw", kwargs={"number": request.tracking_number}))
        outcomes[who] = (response.status_code, ServiceRequest.objects.get(pk=request.pk).state)
    assert outcomes == {
        "anonymous": (302, State.SUBMITTED), "user": (302, State.WITHDRAWN), "colleague": (302, State.WITHDRAWN),
        "other_user": (404, State.SUBMITTED), "agent": (403, State.SUBMITTED), "other_agent": (403, State.SUBMITTED),
        "supervisor": (403, State.SUBMITTED), "editor": (403, State.SUBMITTED),
    }
    outcomes = {}
    for who in ROLES:
        request = requests_.waiting()
        response = as_(client, desk, who).post(
            reverse("services:supplement", kwargs={"number": request.tracking_number}), {"text": "补充说明"})
        outcomes[who] = (response.status_code, ServiceRequest.objects.get(pk=request.pk).state)
    assert {w: o[1] for w, o in outcomes.items()} == {
        w: State.IN_PROGRESS if w in ("user", "colleague") else State.WAITING for w in ROLES}
    assert outcomes["other_user"][0] == 404 and outcomes["anonymous"][0] == 302


def test_staff_request_page(client, desk, requests_):
    request = requests_.waiting()
    url = reverse("admin:services_servicerequest_change", args=[request.pk])
    got = statuses(client, desk, lambda c: c.get(url))
    assert got == {"anonymous": 302, "user": 302, "colleague": 302, "other_user": 302,
                   "agent": 200, "other_agent": 404, "supervisor": 200, "editor": 404}
    as_(client, desk, "agent")
    page = client.get(url).content.decode()
    assert "内部：核实房产证" in page and "内部备注（企业不可见）" in page and "公开说明（企业可见" in page


def test_staff_queue(client, desk, requests_):
    request = requests_.submitted()
    url = reverse("admin:services_servicerequest_changelist")
    got = statuses(client, desk, lambda c: c.get(url))
    assert got["agent"] == got["supervisor"] == got["other_agent"] == 200
    assert got["editor"] == 403 and got["user"] == 302 and got["anonymous"] == 302
    as_(client, desk, "other_agent")
    assert request.tracking_number not in client.get(url).content.decode()
    as_(client, desk, "agent")
    page = client.get(url).content.decode()
    assert request.tracking_number in page and "未分派" in page


@pytest.mark.parametrize("action,extra,ready,expected_state", [
    ("accept", {}, "submitted", State.ACCEPTED),
    ("start", {}, "accepted", State.IN_PROGRESS),
    ("request_supplement", {"public_note": "请补充"}, "in_progress", State.WAITING),
    ("resolve", {"public_note": "已办结"}, "in_progress", State.RESOLVED),
    ("reject", {"public_note": "不符合条件"}, "submitted", State.REJECTED),
    ("refer", {"department": "市场监督管理局"}, "submitted", State.REFERRED),
])
def test_staff_actions_by_role(client, desk, requests_, action, extra, ready, expected_state):
    outcomes = {}
    for who in ROLES:
        request = getattr(requests_, ready)()
        url = reverse("admin:services_servicerequest_act", args=[request.pk])
        response = as_(client, desk, who).post(url, {"action": action, **extra})
        outcomes[who] = ServiceRequest.objects.get(pk=request.pk).state == expected_state
        if who in ("other_agent", "editor"):
            assert response.status_code == 404
    assert outcomes == {w: w in ("agent", "supervisor") for w in ROLES}


def test_assignment_by_role_and_stale_accept_is_409(client, desk, requests_):
    request = requests_.submitted()
    url = reverse("admin:services_servicerequest_act", args=[request.pk])
    as_(client, desk, "agent")
    assert client.post(url, {"action": "assign", "assignee": desk.agent.pk}).status_code == 403
    as_(client, desk, "supervisor")
    assert client.post(url, {"action": "assign", "assignee": desk.other_agent.pk}).status_code == 302
    assert ServiceRequest.objects.get(pk=request.pk).assignee == desk.other_agent
    as_(client, desk, "other_agent")
    assert client.post(url, {"action": "accept"}).status_code == 302
    as_(client, desk, "supervisor")
    again = client.post(url, {"action": "accept"})
    assert again.status_code == 409 and "已被他人受理" in again.content.decode()
