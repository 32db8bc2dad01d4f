"""Enterprise accounts: an invitation with a one-time set-password link, password
reset, and the same login lockout as staff."""

import re

import pytest
from django.urls import reverse

from apps.accounts import enterprise_accounts
from apps.core.errors import NotAllowed
from apps.core.models import AuditEntry
from apps.enterprises.models import EnterpriseMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(make_user):
    return make_user("siteadmin", roles=["site_admin"], email="admin@example.gov.cn")


def link_in(mail) -> str:
    return re.search(r"https?://[^\s]+/account/set-password/[^\s]+/", mail.body).group(0).split("://", 1)[1].split("/", 1)[1]


def test_invitation_mails_a_one_time_link(client, desk, admin_user, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = enterprise_accounts.invite(by=admin_user, enterprise=desk.enterprise, email="New@Example.com",
                                          display_name="李会计")
    assert not user.has_usable_password() and not user.is_staff and user.has_role("enterprise")
    assert EnterpriseMembership.objects.get(user=user).enterprise == desk.enterprise
    assert AuditEntry.objects.filter(action="accounts.invite_enterprise_user", object_id=str(user.pk)).exists()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["new@example.com"]
    path = "/" + link_in(mailoutbox[0])
    page = client.get(path, follow=True)
    assert page.status_code == 200 and page.context["validlink"]
    done = client.post(page.redirect_chain[-1][0], {"new_password1": "Tianshan-2026-ok", "new_password2": "Tianshan-2026-ok"})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Tianshan-2026-ok")
    # The link works once.
    again = client.get(path, follow=True)
    assert not again.context["validlink"]


def test_only_site_admins_invite(client, desk):
    for person in (desk.editor, desk.supervisor, desk.user):
        with pytest.raises(NotAllowed):
            enterprise_accounts.invite(by=person, enterprise=desk.enterprise, email="x@example.com")
    client.force_login(desk.editor)
    assert client.get(reverse("accounts:enterprise_invite")).status_code == 403


def test_invite_page(client, desk, admin_user, mailoutbox):
    client.force_login(admin_user)
    url = reverse("accounts:enterprise_invite")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"credit_code": "91650106MA0000000X", "email": "a@example.com"})
    assert bad.status_code == 400 and "没有统一社会信用代码" in bad.content.decode()
    dup = client.post(url, {"credit_code": desk.enterprise.credit_code, "email": "ent@example.com"})
    assert dup.status_code == 400 and "已有账号" in dup.content.decode()
    ok = client.post(url, {"credit_code": desk.enterprise.credit_code, "email": "b@example.com"})
    assert ok.status_code == 302


def test_password_reset_for_enterprise_accounts_only(client, desk, mailoutbox):
    desk.user.set_password("Old-password-2026")
    desk.user.save()
    desk.agent.set_password("Old-password-2026")
    desk.agent.save()
    url = reverse("accounts:enterprise_password_reset")
    assert client.post(url, {"email": "ent@example.com"}).status_code == 302
    assert client.post(url, {"email": "agent1@example.gov.cn"}).status_code == 302
    assert [m.to for m in mailoutbox] == [["ent@example.com"]]
    assert "/account/set-password/" in mailoutbox[0].body


def test_enterprise_login_locks_out_like_staff(client, desk):
    desk.user.set_password("Right-password-2026")
    desk.user.save()
    url = reverse("enterprises:login")
    for _ in range(5):
        client.post(url, {"username": "ent", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    locked = client.post(url, {"username": "ent", "password": "Right-password-2026"}, REMOTE_ADDR="10.0.0.9")
    assert locked.status_code == 429 and "锁定" in locked.content.decode()
