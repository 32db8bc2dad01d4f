"""Enterprise users propose edits to their own entry: a draft version
(kind=proposal) submitted for review like any other; never another enterprise."""

import pytest
from django.core.exceptions import ValidationError

from apps.core.errors import NotAllowed
from apps.core.models import AuditEntry
from apps.editorial import actions as editorial
from apps.editorial.models import RevisionKind, Status
from apps.enterprises import actions
from apps.enterprises.models import Enterprise

from .conftest import refresh

PASSWORD = "irrelevant-password-123"


@pytest.fixture
def firm(make_user, people, enterprises):
    user = make_user("firm", roles=["enterprise"])
    item = enterprises.published(name="新疆示例薄膜有限公司", address="长春中路1号", phone="0991-1111111")
    actions.link_enterprise_user(user, item, by=people.superuser)
    user.enterprise = item
    return user


def test_enterprise_user_proposes_an_edit_that_staff_review_and_publish(client, firm, people):
    client.force_login(firm)
    page = client.get("/enterprises/my/")
    assert page.status_code == 200 and "新疆示例薄膜有限公司" in page.content.decode()
    assert 'value="长春中路1号"' in page.content.decode()
    response = client.post("/enterprises/my/", {
        "name": "新疆示例薄膜有限公司", "address": "高新街88号", "phone": "0991-1111111", "note": "公司已搬迁",
    })
    assert response.status_code == 302
    item = refresh(firm.enterprise)
    assert item.status == Status.IN_REVIEW
    assert item.latest_revision.kind == RevisionKind.PROPOSAL and item.latest_revision.created_by == firm
    assert item.latest_revision.snapshot["fields"]["address"] == "高新街88号"
    assert item.address == "长春中路1号"  # the public keeps the published version meanwhile
    assert AuditEntry.objects.filter(action="enterprises.propose_edit", actor=firm).exists()
    assert "长春中路1号" in client.get(item.get_absolute_url()).content.decode()

    editorial.approve(item, by=people.reviewer)
    editorial.approve(item, by=people.publisher, publish=False)
    editorial.publish(item, by=people.publisher2, major=False)
    assert "高新街88号" in client.get(item.get_absolute_url()).content.decode()


def test_a_second_proposal_waits_for_the_first_review(client, firm):
    client.force_login(firm)
    client.post("/enterprises/my/", {"name": "新疆示例薄膜有限公司", "address": "高新街88号"})
    response = client.post("/enterprises/my/", {"name": "新疆示例薄膜有限公司", "address": "高新街99号"})
    assert response.status_code == 409
    assert "正在审核中" in response.content.decode()


def test_an_enterprise_user_can_never_edit_another_enterprise(firm, enterprises, people):
    other = enterprises.published(name="别家企业有限公司")
    with pytest.raises(NotAllowed) as caught:
        actions.propose_edit(other, by=firm, fields={"address": "篡改"})
    assert "只能申请修改本企业" in str(caught.value)
    with pytest.raises(NotAllowed):
        editorial.save_draft(other, by=firm, fields={"address": "篡改"})
    assert other.can_be_edited_by(firm) is None and firm.enterprise.can_be_edited_by(firm) is True
    assert firm.enterprise.can_be_edited_by(people.editor) is None


def test_curated_fields_cannot_be_proposed(firm):
    with pytest.raises(ValidationError):
        actions.propose_edit(firm.enterprise, by=firm, fields={"credit_code": "91110000600037341L"})
    with pytest.raises(ValidationError):
        actions.propose_edit(firm.enterprise, by=firm, fields={"is_key_project": True})


def test_a_user_without_a_linked_enterprise_gets_403_with_a_message(client, make_user, kinds):
    client.force_login(make_user("loner", roles=["enterprise"]))
    response = client.get("/enterprises/my/")
    assert response.status_code == 403


def test_staff_cannot_use_the_enterprise_page(client, people):
    client.force_login(people.editor)
    assert client.get("/enterprises/my/").status_code == 403


def test_anonymous_visitors_are_sent_to_the_enterprise_login(client, kinds):
    response = client.get("/enterprises/my/")
    assert response.status_code == 302 and response["Location"].startswith("/enterprises/account/login/")


def test_enterprise_login_leads_to_the_proposal_page(client, firm):
    page = client.get("/enterprises/account/login/")
    assert page.status_code == 200 and 'for="id_username"' in page.content.decode()
    response = client.post("/enterprises/account/login/", {"username": "firm", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/enterprises/my/"


def test_only_site_admins_link_enterprise_accounts(firm, people, enterprises):
    with pytest.raises(NotAllowed):
        actions.link_enterprise_user(firm, enterprises.draft(), by=people.editor)
    with pytest.raises(ValidationError):
        actions.link_enterprise_user(people.editor, firm.enterprise, by=people.superuser)
    assert Enterprise.objects.get(memberships__user=firm) == firm.enterprise
