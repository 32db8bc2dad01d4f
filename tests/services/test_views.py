"""The enterprise pages: apply → confirm → tracking number, 我的诉求, 补正, withdraw,
materials and the anonymous lookup; bad input is a 400 with the Chinese message."""

import pytest
from django.urls import reverse

from apps.services import actions
from apps.services.models import RequestMaterial, ServiceRequest, State
from tests.services.conftest import PDF, pdf

pytestmark = pytest.mark.django_db


def form_data(desk, **over):
    data = {"contact_name": "王经理", "contact_phone": "13800138000", "description": "拟变更注册地址。",
            "attr_employees": "35", "attr_kind": "有限责任公司", "attr_scopes": ["地址"], "attr_start": "2026-03-01",
            "attr_foreign": "no", f"material_{desk.service.materials.get().pk}": pdf()}
    data.update(over)
    return data


def test_guide_lists_published_services_with_online_link(client, desk, catalogue):
    catalogue("draft-one", publish_it=False)
    response = client.get(reverse("services:index"))
    assert response.status_code == 200
    assert desk.service.name in response.content.decode() and "事项draft-one" not in response.content.decode()
    detail = client.get(reverse("services:guide_detail", kwargs={"code": desk.service.code}))
    assert "在线办理" in detail.content.decode() and "营业执照副本" in detail.content.decode()
    assert client.get(reverse("services:guide_detail", kwargs={"code": "draft-one"})).status_code == 404


def test_apply_confirm_and_tracking_number(client, desk, mailoutbox, django_capture_on_commit_callbacks, monkeypatch):
    from celery import current_app

    import apps.services.tasks  # noqa: F401
    monkeypatch.setattr(current_app, "send_task", lambda name, args=(), **kw: current_app.tasks[name](*args))
    client.force_login(desk.user)
    url = reverse("services:apply", kwargs={"code": desk.service.code})
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(desk))
    assert response.status_code == 200 and "确认提交" in response.content.decode()
    assert ServiceRequest.objects.count() == 0
    token = response.context["token"]
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("services:confirm", kwargs={"code": desk.service.code}), {"token": token}, follow=True)
    request = ServiceRequest.objects.get()
    assert request.tracking_number in done.content.decode()
    assert request.materials.get().file.read() == PDF
    assert request.attributes == {"employees": "35", "kind": "有限责任公司", "scopes": ["地址"], "start": "2026-03-01",
                                  "foreign": False}
    assert any(request.tracking_number in m.body for m in mailoutbox)
    # The confirmation cannot be replayed.
    again = client.post(reverse("services:confirm", kwargs={"code": desk.service.code}), {"token": token})
    assert again.status_code == 302 and ServiceRequest.objects.count() == 1


@pytest.mark.parametrize("over,field,message", [
    ({"attr_employees": ""}, "attr_employees", "为必填项"),
    ({"attr_employees": "很多"}, "attr_employees", "须填写数字"),
    ({"attr_kind": "个体户"}, "attr_kind", "没有选项"),
    ({"description": "<p>hi</p>"}, "description", "HTML"),
    ({"description": "长" * 5000}, "description", "4000"),
])
def test_bad_input_is_a_400_with_the_message_and_nothing_saved(client, desk, over, field, message):
    client.force_login(desk.user)
    response = client.post(reverse("services:apply", kwargs={"code": desk.service.code}), form_data(desk, **over))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert ServiceRequest.objects.count() == 0


def test_disguised_file_is_refused_on_the_form(client, desk):
    client.force_login(desk.user)
    key = f"material_{desk.service.materials.get().pk}"
    response = client.post(reverse("services:apply", kwargs={"code": desk.service.code}),
                           form_data(desk, **{key: pdf("x.pdf", b"<html></html>")}))
    assert response.status_code == 400 and "不支持的附件类型" in response.content.decode()


def test_unknown_service_is_a_404(client, desk):
    client.force_login(desk.user)
    assert client.get(reverse("services:apply", kwargs={"code": "nope"})).status_code == 404


def test_pages_of_signed_in_users_are_never_cached(client, desk, requests_):
    request = requests_.submitted()
    client.force_login(desk.user)
    for url in (reverse("services:my_list"), reverse("services:my_detail", kwargs={"number": request.tracking_number})):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_detail_shows_public_timeline_without_internal_notes(client, desk, requests_):
    request = requests_.resolved()
    actions.add_internal_note(request, by=desk.agent, internal_note="内部：机密")
    client.force_login(desk.colleague)
    page = client.get(reverse("services:my_detail", kwargs={"number": request.tracking_number})).content.decode()
    assert "已办结" in page and "已受理" in page
    assert "内部" not in page and "材料齐全" not in page


def test_supplement_and_withdraw_pages(client, desk, requests_):
    waiting = requests_.waiting()
    client.force_login(desk.user)
    url = reverse("services:supplement", kwargs={"number": waiting.tracking_number})
    bad = client.post(url, {"text": ""})
    assert bad.status_code == 400 and "请填写补正说明" in bad.content.decode()
    ok = client.post(url, {"text": "已补充", "files": pdf("租赁合同.pdf")})
    assert ok.status_code == 302
    assert ServiceRequest.objects.get(pk=waiting.pk).state == State.IN_PROGRESS
    assert waiting.materials.count() == 2
    submitted = requests_.submitted()
    assert client.post(reverse("services:withdraw", kwargs={"number": waiting.tracking_number})).status_code == 409
    assert client.post(reverse("services:withdraw", kwargs={"number": submitted.tracking_number})).status_code == 302
    assert ServiceRequest.objects.get(pk=submitted.pk).state == State.WITHDRAWN


def test_anonymous_lookup_needs_the_phone_and_is_rate_limited(client, desk, requests_, settings):
    request = requests_.resolved()
    url = reverse("services:track")
    assert client.get(url).status_code == 200
    wrong = client.post(url, {"tracking_number": request.tracking_number, "phone": "13900000000"})
    assert wrong.status_code == 404 and "已办结" not in wrong.content.decode()
    right = client.post(url, {"tracking_number": request.tracking_number.lower(), "phone": "138 0013 8000"})
    page = right.content.decode()
    assert right.status_code == 200 and "已办结" in page and "内部" not in page and "王经理" not in page
    settings.PARKPORTAL_SERVICES_LOOKUP_LIMIT = 2
    assert client.post(url, {"tracking_number": request.tracking_number, "phone": "13800138000"}).status_code == 429


def test_material_download_only_to_the_enterprise_and_its_handlers(client, desk, requests_):
    request = requests_.submitted()
    material = RequestMaterial.objects.get(request=request)
    url = reverse("services:material", kwargs={"pk": material.pk})
    assert client.get(url).status_code == 302  # anonymous: sign in first
    expected = {"user": 200, "colleague": 200, "agent": 200, "supervisor": 200,
                "other_user": 404, "other_agent": 404, "editor": 404}
    for who, status in expected.items():
        client.force_login(getattr(desk, who))
        response = client.get(url)
        assert response.status_code == status, who
        if status == 200:
            assert b"".join(response.streaming_content) == PDF
            assert response["Content-Security-Policy"]


def test_sitemap_lists_published_services_only(client, desk, catalogue):
    catalogue("draft-two", publish_it=False)
    body = client.get("/sitemap.xml").content.decode()
    assert f"/services/guide/{desk.service.code}/" in body and "draft-two" not in body


def test_guide_pages_are_public_and_unpublishing_takes_them_down(client, desk, people):
    from apps.editorial import actions as editorial

    url = reverse("services:guide_detail", kwargs={"code": desk.service.code})
    assert client.get(url).status_code == 200
    editorial.unpublish(desk.service, by=people.publisher)
    assert client.get(url).status_code == 410
    assert desk.service.name not in client.get(reverse("services:index")).content.decode()
