"""A client written by others: the published ``georeport`` library (PyPI) reads the API
of a live server over real HTTP, in JSON and XML. georeport does not file requests,
so the POST goes through ``requests``, the HTTP library georeport itself uses."""

import pytest
import requests
from georeport import GeoReport

from apps.services import actions as services

pytestmark = pytest.mark.django_db(transaction=True)

INTERNAL = "内部：已电话回访"


@pytest.fixture
def park_visit(catalogue):
    return catalogue("park-visit", materials=[], attributes=[
        {"position": 0, "code": "visitors", "label": "来访人数", "datatype": "number", "required": True},
    ])


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_services_definitions_and_requests(live_server, desk, requests_, park_visit, fmt):
    done = requests_.resolved()
    client = GeoReport(f"{live_server.url}/open311/v2", output_format=fmt)

    services_list = client.get_service_list()
    codes = {s["service_code"] for s in services_list}
    assert codes == {"address-change", "park-visit"}

    definition = client.get_service_definition("park-visit")
    attribute = definition["attributes"][0] if fmt == "json" else definition["attributes"]["attribute"]
    assert attribute["code"] == "visitors" and attribute["datatype"] == "number"

    listing = client.get_service_requests(status="closed")
    row = listing[0] if isinstance(listing, list) else listing  # xmltodict: a dict for a single item
    assert row["service_request_id"] == done.tracking_number and row["status"] == "closed"
    assert row["status_notes"] == "已办结"

    one = client.get_service_request(done.tracking_number)
    assert one["service_request_id"] == done.tracking_number
    assert INTERNAL not in str(one) and INTERNAL not in str(listing)

    with pytest.raises(requests.HTTPError) as caught:
        client.get_service_definition("no-such-service")
    assert caught.value.response.status_code == 404


def test_a_post_then_the_client_reads_it_back(live_server, desk, park_visit):
    from apps.open311 import actions
    from apps.open311.models import KeyKind

    _key, plain = actions.issue_key(by=desk.supervisor, name="ERP", kind=KeyKind.ENTERPRISE, account=desk.user)
    base = f"{live_server.url}/open311/v2"
    response = requests.post(f"{base}/requests.json", data={
        "api_key": plain, "service_code": "park-visit", "last_name": "王", "first_name": "经理",
        "phone": "13800138000", "description": "参观产业园", "attribute[visitors]": "5"}, timeout=10)
    assert response.status_code == 201, response.text
    number = response.json()[0]["service_request_id"]
    item = services_request(number)
    services.add_internal_note(item, by=desk.agent, internal_note=INTERNAL)

    client = GeoReport(base, api_key=plain)
    found = client.get_service_request(number)
    assert found["status"] == "open" and INTERNAL not in str(found)

    refused = requests.post(f"{base}/requests.json", data={"service_code": "park-visit"}, timeout=10)
    assert refused.status_code == 403 and refused.json()[0]["code"] == 403


def services_request(number):
    from apps.services.models import ServiceRequest

    return ServiceRequest.objects.get(tracking_number=number)
