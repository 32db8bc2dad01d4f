"""Every Open311 endpoint in JSON and XML through Django's test client, each error case,
who reads what, and internal notes absent from every response."""

import json
import xml.etree.ElementTree as ET

import pytest

from apps.core.audit import history_of
from apps.open311 import actions
from apps.open311.models import ApiKey, ApiSubmission, KeyKind
from apps.services import actions as services
from apps.services.models import ServiceRequest

pytestmark = pytest.mark.django_db

BASE = "/open311/v2/"
INTERNAL = "内部：已电话回访"  # the internal note of requests_.resolved()


def get(client, path, **params):
    return client.get(BASE + path, params)


def parse(response):
    if response["Content-Type"].startswith("application/json"):
        return json.loads(response.content)
    return ET.fromstring(response.content)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_discovery(client, fmt):
    response = get(client, f"discovery.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        endpoint = parse(response)["endpoints"][0]
        assert endpoint["url"].endswith("/open311/v2/") and "application/json" in endpoint["formats"]
    else:
        root = parse(response)
        assert root.tag == "discovery" and root.find("endpoints/endpoint/formats/format").text == "text/xml"


def test_services_in_json_and_xml(client, desk):
    data = parse(get(client, "services.json"))
    assert data == [{"service_code": "address-change", "service_name": "事项address-change", "description": "说明",
                     "metadata": True, "type": "realtime", "keywords": "", "group": "企业开办与变更"}]
    root = parse(get(client, "services.xml"))
    assert root.tag == "services" and root.find("service/service_code").text == "address-change"
    assert root.find("service/metadata").text == "true"


def test_service_definition_from_the_typed_attributes(client, desk):
    data = parse(get(client, "services/address-change.json"))
    by_code = {a["code"]: a for a in data["attributes"]}
    assert by_code["employees"]["datatype"] == "number" and by_code["employees"]["required"] is True
    assert by_code["kind"]["datatype"] == "singlevaluelist"
    assert by_code["kind"]["values"] == [{"key": "有限责任公司", "name": "有限责任公司"},
                                        {"key": "股份有限公司", "name": "股份有限公司"}]
    assert by_code["scopes"]["datatype"] == "multivaluelist" and by_code["start"]["datatype"] == "datetime"
    assert [a["order"] for a in data["attributes"]] == [1, 2, 3, 4, 5]
    root = parse(get(client, "services/address-change.xml"))
    assert root.tag == "service_definition"
    assert [v.text for v in root.findall("attributes/attribute/values/value/key")][:2] == ["有限责任公司", "股份有限公司"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_is_a_404_error_list(client, desk, fmt):
    response = get(client, f"services/nothing.{fmt}")
    assert response.status_code == 404
    if fmt == "json":
        assert parse(response)[0]["code"] == 404 and "nothing" in parse(response)[0]["description"]
    else:
        root = parse(response)
        assert root.tag == "errors" and root.find("error/code").text == "404"


@pytest.fixture
def no_material_service(catalogue):
    return catalogue("park-visit", materials=[], attributes=[
        {"position": 0, "code": "visitors", "label": "来访人数", "datatype": "number", "required": True},
        {"position": 1, "code": "topics", "label": "关注事项", "datatype": "multiple", "choices": "政策\n场地\n人才"},
    ])


def post_request(client, key, **over):
    data = {"api_key": key, "service_code": "park-visit", "last_name": "王", "first_name": "经理",
            "phone": "13800138000", "description": "希望参观生物医药产业园。", "attribute[visitors]": "8",
            "attribute[topics][]": ["政策", "场地"], "address_string": "高新区北京南路", "lat": "43.8256",
            "long": "87.6168"}
    data.update(over)
    return client.post(BASE + "requests.json", data)


def test_post_request_files_through_the_services_action(client, desk, keys, no_material_service):
    response = post_request(client, keys.own_plain)
    assert response.status_code == 201, response.content
    body = parse(response)[0]
    item = ServiceRequest.objects.get(tracking_number=body["service_request_id"])
    assert item.enterprise == desk.enterprise and item.submitted_by == desk.user
    assert item.contact_name == "王经理" and item.attributes == {"visitors": "8", "topics": ["政策", "场地"]}
    assert str(item.lat) == "43.825600" and item.address == "高新区北京南路"
    assert ApiSubmission.objects.get().token == body["token"]
    assert history_of(keys.own).first().action == "open311.file_request"
    token = parse(get(client, f"tokens/{body['token']}.xml"))
    assert token.tag == "service_requests" and token.find("request/service_request_id").text == item.tracking_number
    assert parse(get(client, f"tokens/{body['token']}.json")) == [
        {"service_request_id": item.tracking_number, "token": body["token"]}]
    assert get(client, "tokens/nope.json").status_code == 404


def test_post_in_xml(client, desk, keys, no_material_service):
    data = {"api_key": keys.own_plain, "service_code": "park-visit", "last_name": "王", "phone": "13800138000",
            "description": "参观", "attribute[visitors]": "3"}
    root = parse(client.post(BASE + "requests.xml", data))
    assert root.tag == "service_requests" and root.find("request/service_request_id").text.startswith("GX")


@pytest.mark.parametrize("over, code, words", [
    ({"api_key": ""}, 403, "api_key"),
    ({"api_key": "abc.def"}, 403, "api_key"),
    ({"service_code": ""}, 400, "service_code"),
    ({"service_code": "nothing"}, 400, "nothing"),
    ({"description": ""}, 400, "description"),
    ({"phone": "12"}, 400, "contact_phone"),
    ({"attribute[visitors]": "很多"}, 400, "visitors"),
    ({"lat": "200"}, 400, "lat"),
    ({"description": "<b>x</b>" * 1000}, 400, "description"),
])
def test_post_errors(client, desk, keys, no_material_service, over, code, words):
    response = post_request(client, keys.own_plain, **over)
    assert response.status_code == code, response.content
    errors = parse(response)
    assert all(e["code"] == code for e in errors) and words in " ".join(e["description"] for e in errors)
    assert not ServiceRequest.objects.exists()


def test_partner_and_revoked_keys_cannot_file(client, desk, keys, no_material_service):
    response = post_request(client, keys.partner_plain)
    assert response.status_code == 403 and "合作系统" in parse(response)[0]["description"]
    actions.revoke_key(keys.own, by=desk.supervisor, reason="企业申请停用")
    response = post_request(client, keys.own_plain)
    assert response.status_code == 403
    assert not ServiceRequest.objects.exists()
    assert [e.action for e in history_of(keys.own)] == ["open311.revoke_key", "open311.issue_key"]


def test_key_is_hashed_at_rest(keys):
    stored = ApiKey.objects.get(pk=keys.own.pk)
    secret = keys.own_plain.split(".", 1)[1]
    assert secret not in (stored.key_hash, stored.prefix) and len(stored.key_hash) == 64


def test_issue_key_rules(desk):
    from django.core.exceptions import ValidationError

    from apps.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        actions.issue_key(by=desk.agent, name="x", kind=KeyKind.PARTNER, partner="p")
    with pytest.raises(ValidationError) as caught:
        actions.issue_key(by=desk.supervisor, name="", kind=KeyKind.ENTERPRISE, account=desk.agent)
    assert set(caught.value.message_dict) == {"name", "account"}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_enterprise_key_reads_its_own_requests_in_full(client, desk, keys, requests_, fmt):
    mine = requests_.resolved()
    response = get(client, f"requests/{mine.tracking_number}.{fmt}", api_key=keys.own_plain)
    assert response.status_code == 200
    text = response.content.decode()
    assert INTERNAL not in text and "材料齐全" not in text
    if fmt == "json":
        row = parse(response)[0]
        assert row["status"] == "closed" and row["status_notes"] == "已办结"
        assert row["description"] == mine.description and row["agency_responsible"] == mine.department
    else:
        assert parse(response).find("request/status_notes").text == "已办结"


def test_enterprise_key_reading_anothers_request_is_refused(client, desk, keys, requests_):
    mine = requests_.submitted()
    response = get(client, f"requests/{mine.tracking_number}.json", api_key=keys.other_plain)
    assert response.status_code == 403
    assert parse(response) == [{"code": 403, "description": "此密钥只能读取本企业的诉求。"}]
    listing = parse(get(client, "requests.json", api_key=keys.other_plain))
    assert listing == []


def test_public_reads_show_public_fields_only(client, desk, keys, requests_):
    item = requests_.resolved()
    withdrawn = services.withdraw(requests_.submitted(), by=desk.user)
    for params in ({}, {"api_key": keys.partner_plain}):
        rows = parse(get(client, "requests.json", **params))
        assert [r["service_request_id"] for r in rows] == [item.tracking_number]
        assert "description" not in rows[0] and "address" not in rows[0] and rows[0]["status_notes"] == "已办结"
        detail = get(client, f"requests/{item.tracking_number}.json", **params)
        assert INTERNAL not in detail.content.decode() and item.contact_phone not in detail.content.decode()
    assert get(client, f"requests/{withdrawn.tracking_number}.json").status_code == 404


def test_no_internal_note_in_any_response(client, desk, keys, requests_, no_material_service):
    item = requests_.resolved()
    services.add_internal_note(item, by=desk.agent, internal_note=INTERNAL)
    for fmt in ("json", "xml"):
        for path in (f"requests.{fmt}", f"requests/{item.tracking_number}.{fmt}", f"services.{fmt}",
                     f"services/address-change.{fmt}", f"discovery.{fmt}"):
            for params in ({}, {"api_key": keys.own_plain}, {"api_key": keys.partner_plain}):
                response = get(client, path, **params)
                assert response.status_code == 200, path
                assert INTERNAL not in response.content.decode()


def test_request_filters(client, desk, keys, requests_, no_material_service):
    done = requests_.resolved()
    waiting = requests_.waiting()

    def ids(**params):
        return [r["service_request_id"] for r in parse(get(client, "requests.json", **params))]

    assert ids(status="open") == [waiting.tracking_number]
    assert ids(status="closed") == [done.tracking_number]
    assert set(ids(service_request_id=f"{done.tracking_number},{waiting.tracking_number}")) == {
        done.tracking_number, waiting.tracking_number}
    assert ids(service_code="park-visit") == []
    assert set(ids(service_code="address-change")) == {done.tracking_number, waiting.tracking_number}
    assert ids(start_date="2000-01-01T00:00:00Z", end_date="2000-02-01T00:00:00Z") == []
    assert len(ids(start_date=done.submitted_at.isoformat())) == 2


def test_typed_numbers_are_read_as_stored(client, desk, keys, requests_):
    done = requests_.resolved()
    typed = f" {done.tracking_number.lower().replace('-', '－')} "
    rows = parse(get(client, "requests.json", service_request_id=typed))
    assert [r["service_request_id"] for r in rows] == [done.tracking_number]
    response = get(client, f"requests/{done.tracking_number.lower()}.json")
    assert response.status_code == 200 and parse(response)[0]["service_request_id"] == done.tracking_number


@pytest.mark.parametrize("params, words", [
    ({"status": "pending"}, "status"),
    ({"start_date": "yesterday"}, "start_date"),
    ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "90"),
    ({"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "end_date"),
])
def test_request_filter_errors(client, params, words):
    response = get(client, "requests.xml", **params)
    assert response.status_code == 400
    root = parse(response)
    assert root.tag == "errors" and words in root.find("error/description").text


def test_unknown_request_and_unknown_paths(client):
    assert get(client, "requests/GX2026-AAAA-AA.json").status_code == 404
    response = get(client, "requests.csv")
    assert response.status_code == 404 and parse(response)[0]["code"] == 404
    assert client.delete(BASE + "requests.json").status_code == 405


def test_rate_limit_per_key(client, desk, settings):
    key, plain = actions.issue_key(by=desk.supervisor, name="限流", kind=KeyKind.PARTNER, partner="p",
                                   rate_per_hour=3)
    codes = [get(client, "services.json", api_key=plain).status_code for _i in range(4)]
    assert codes == [200, 200, 200, 429]
    response = get(client, "services.json", api_key=plain)
    assert parse(response)[0]["code"] == 429 and response["Retry-After"]
    assert get(client, "services.json").status_code == 200  # the address's own budget


def test_forged_forwarded_for_gets_no_fresh_allowance(client, settings):
    settings.PARKPORTAL_OPEN311_ANONYMOUS_RATE = "2/hour"
    codes = [client.get(BASE + "services.json", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
             for i in range(3)]
    assert codes == [200, 200, 429]


def test_openapi_description_loads(client):
    response = client.get(BASE + "openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    from drf_spectacular.validation import validate_schema

    validate_schema(schema)  # against the OpenAPI 3 JSON schema that drf-spectacular ships
    assert schema["components"]["securitySchemes"]["api_key"]["in"] == "query"
    paths = set(schema["paths"])
    assert {"/open311/v2/requests.json", "/open311/v2/requests.xml", "/open311/v2/discovery.xml",
            "/open311/v2/services/{service_code}.json", "/open311/v2/tokens/{token}.json"} <= paths
    assert set(schema["paths"]["/open311/v2/requests.json"]) == {"get", "post"}


def test_query_counts_do_not_grow_with_requests(client, desk, keys, requests_, django_assert_max_num_queries):
    for _i in range(3):
        requests_.resolved()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    get(client, "requests.json", api_key=keys.own_plain)  # the key's first use is recorded once
    with CaptureQueriesContext(connection) as small:
        get(client, "requests.json", api_key=keys.own_plain)
    for _i in range(10):
        requests_.resolved()
    with CaptureQueriesContext(connection) as grown:
        rows = parse(get(client, "requests.json", api_key=keys.own_plain))
    assert len(rows) == 13 and len(grown) == len(small)
