"""Each bad input gets a clear Chinese error and saves nothing (no request, no event,
no material, no file)."""

import pytest
from django.core.exceptions import ValidationError

from apps.services import actions
from apps.services.models import RequestEvent, RequestMaterial, ServiceRequest
from tests.services.conftest import pdf, valid_submission

pytestmark = pytest.mark.django_db


def refused(desk, service=None, **over):
    with pytest.raises(ValidationError) as info:
        actions.submit_request(service or desk.service, by=desk.user, **valid_submission(desk, **over))
    assert ServiceRequest.objects.count() == 0
    assert RequestEvent.objects.count() == 0 and RequestMaterial.objects.count() == 0
    return info.value.message_dict


def attrs(**over):
    base = {"employees": "35", "kind": "有限责任公司", "scopes": ["地址"], "start": "2026-03-01", "foreign": "no"}
    base.update(over)
    return base


def test_unknown_service(desk):
    errors = refused(desk, service="no-such-service")
    assert "没有编码" in errors["service"][0]


def test_service_closed_for_online_requests(desk, catalogue):
    closed = catalogue("offline-only", online=False)
    assert "可在线办理" in refused(desk, service=closed)["service"][0]


def test_unpublished_service(desk, catalogue):
    draft = catalogue("draft-only", publish_it=False)
    assert "service" in refused(desk, service=draft)


def test_required_attribute_missing(desk):
    assert refused(desk, attributes=attrs(employees=""))["attr_employees"] == ["“员工人数”为必填项。"]


@pytest.mark.parametrize("field,value,expected", [
    ("employees", "三十五", "须填写数字"),
    ("employees", "1e400", "须填写数字"),
    ("start", "2026/13/45", "须填写日期"),
    ("foreign", "maybe", "请选择“是”或“否”"),
])
def test_wrong_type(desk, field, value, expected):
    assert expected in refused(desk, attributes=attrs(**{field: value}))[f"attr_{field}"][0]


def test_a_choice_not_offered(desk):
    assert "没有选项“合伙企业”" in refused(desk, attributes=attrs(kind="合伙企业"))["attr_kind"][0]
    assert "没有选项“法人”" in refused(desk, attributes=attrs(scopes=["地址", "法人"]))["attr_scopes"][0]


def test_html_in_the_description(desk):
    assert "HTML" in refused(desk, description="请看<a href='http://x'>这里</a>")["description"][0]


def test_a_5000_character_description(desk):
    assert "不能超过 4000 个字" in refused(desk, description="字" * 5000)["description"][0]


def test_a_missing_required_material(desk):
    key = f"material_{desk.service.materials.get().pk}"
    assert refused(desk, materials={})[key] == ["请上传“营业执照副本”。"]


def test_a_disguised_file(desk):
    key = desk.service.materials.get().pk
    html = pdf("执照.pdf", b"<html><script>alert(1)</script></html>")
    assert "不支持的附件类型" in refused(desk, materials={key: [html]})[f"material_{key}"][0]
    fake_image = pdf("执照.jpg", b"<html>not an image</html>")
    assert f"material_{key}" in refused(desk, materials={key: [fake_image]})


def test_an_oversized_file(desk, settings):
    settings.PARKPORTAL_SERVICES_FILE_MAX_BYTES = 1024
    key = desk.service.materials.get().pk
    big = pdf("大文件.pdf", b"%PDF-1.4\n" + b"0" * 4096 + b"\n%%EOF\n")
    assert "过大" in refused(desk, materials={key: [big]})[f"material_{key}"][0]


def test_bad_contact(desk):
    errors = refused(desk, contact_name="", contact_phone="abc")
    assert errors["contact_name"] and "联系电话" in errors["contact_phone"][0]


def test_every_error_is_reported_at_once(desk):
    errors = refused(desk, description="", attributes=attrs(employees="x", kind="y"))
    assert {"description", "attr_employees", "attr_kind"} <= set(errors)


def test_supplement_with_html_or_a_bad_file_saves_nothing(desk, requests_):
    from apps.services.models import State

    request = requests_.waiting()
    before = RequestEvent.objects.count()
    with pytest.raises(ValidationError):
        actions.answer_supplement(request, by=desk.user, text="<b>补正</b>")
    with pytest.raises(ValidationError):
        actions.answer_supplement(request, by=desk.user, text="补正", files=[pdf("x.pdf", b"MZ\x90\x00")])
    assert RequestEvent.objects.count() == before
    assert ServiceRequest.objects.get(pk=request.pk).state == State.WAITING
