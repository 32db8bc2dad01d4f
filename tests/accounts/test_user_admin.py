"""The 站点管理员 role manages accounts without being able to raise anyone's powers,
its own included (issue 10, defect 1)."""

import json
import re
from html import unescape

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from apps.accounts import actions
from apps.accounts.roles import ROLES, SITE_ADMIN
from apps.core.errors import NotAllowed
from apps.core.models import AuditEntry


def group(code):
    return Group.objects.get(name=ROLES[code].group_name)


def change_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def form_data(user, **overrides):
    data = {
        "username": user.username, "first_name": "", "last_name": "", "email": "",
        "display_name": user.display_name, "phone": "", "department": "",
        "is_active": "on", "is_staff": "on",
        "groups": [g.pk for g in user.groups.all()],
        "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def site_admin(make_user):
    return make_user("siteadmin", roles=[SITE_ADMIN])


def test_the_site_admins_user_form_has_no_superuser_flag_nor_raw_permissions(client, site_admin, make_user):
    agent = make_user("agent", roles=["service_agent"])
    client.force_login(site_admin)
    html = client.get(change_url(agent)).content.decode()
    assert 'name="is_superuser"' not in html
    assert 'name="user_permissions"' not in html
    assert 'name="groups"' in html


def test_the_site_admin_cannot_make_itself_superuser_by_posting_the_flag(client, site_admin):
    client.force_login(site_admin)
    superuser_perm = Permission.objects.get(codename="delete_user")
    client.post(change_url(site_admin), form_data(
        site_admin, is_superuser="on", user_permissions=[superuser_perm.pk],
        groups=[group(SITE_ADMIN).pk, group("editor").pk, group("publisher").pk],
    ))
    site_admin.refresh_from_db()
    assert not site_admin.is_superuser
    assert not site_admin.user_permissions.exists()
    assert set(site_admin.groups.values_list("name", flat=True)) == {ROLES[SITE_ADMIN].group_name}


def test_the_site_admin_is_not_offered_roles_it_does_not_hold(client, site_admin, make_user):
    agent = make_user("agent", roles=["service_agent"])
    client.force_login(site_admin)
    html = client.get(change_url(agent)).content.decode()
    groups_select = re.search(r'<select name="groups".*?</select>', html, re.S).group(0)
    for code in ("editor", "reviewer", "publisher"):
        assert ROLES[code].group_name not in groups_select
    assert ROLES["enterprise"].group_name in groups_select


def test_the_site_admin_cannot_change_or_reset_the_password_of_a_superuser(client, site_admin, make_user):
    root = make_user("root", superuser=True)
    client.force_login(site_admin)
    old_hash = root.password
    response = client.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {"password1": "A-new-password-9876", "password2": "A-new-password-9876", "set_usable_password": "true"},
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.password == old_hash
    response = client.post(change_url(root), form_data(root, is_active=None))
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.is_active


def test_the_site_admin_cannot_take_over_an_editor_account(client, site_admin, make_user):
    """An editor holds permissions the site admin lacks: resetting its password would
    let the site admin write and publish alone."""
    editor = make_user("editor", roles=["editor"])
    client.force_login(site_admin)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[editor.pk]),
        {"password1": "A-new-password-9876", "password2": "A-new-password-9876", "set_usable_password": "true"},
    )
    assert response.status_code == 403
    assert client.get(change_url(editor)).status_code == 200  # it may still look


def test_the_site_admin_resets_an_enterprise_users_password_and_it_is_audited(client, site_admin, make_user):
    firm = make_user("firm", roles=["enterprise"])
    client.force_login(site_admin)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[firm.pk]),
        {"password1": "A-new-password-9876", "password2": "A-new-password-9876", "set_usable_password": "true"},
    )
    assert response.status_code == 302
    firm.refresh_from_db()
    assert firm.check_password("A-new-password-9876")
    entry = AuditEntry.objects.get(action="accounts.set_password", object_id=str(firm.pk))
    assert entry.actor == site_admin
    assert "A-new-password" not in str(entry.data)


def test_the_site_admin_grants_a_service_role_through_an_audited_action(client, site_admin, make_user):
    user = make_user("newcomer")
    client.force_login(site_admin)
    response = client.post(change_url(user), form_data(user, groups=[group("service_agent").pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert user.has_role("service_agent")
    entry = AuditEntry.objects.get(action="accounts.set_roles", object_id=str(user.pk))
    assert entry.actor == site_admin and entry.data["added"] == [ROLES["service_agent"].group_name]


def test_role_grants_refuse_roles_the_grantor_does_not_hold(site_admin, make_user):
    user = make_user("someone")
    with pytest.raises(NotAllowed):
        actions.set_roles(site_admin, [group(SITE_ADMIN), group("editor")], by=site_admin)
    with pytest.raises(NotAllowed):
        actions.set_roles(user, [group("publisher")], by=site_admin)
    assert not user.groups.exists()


def test_only_superusers_grant_superuser_status_and_raw_permissions(site_admin, make_user):
    root = make_user("root", superuser=True)
    user = make_user("someone")
    perm = Permission.objects.get(codename="publish_content")
    with pytest.raises(NotAllowed):
        actions.set_superuser(site_admin, True, by=site_admin)
    with pytest.raises(NotAllowed):
        actions.set_permissions(site_admin, [perm], by=site_admin)
    actions.set_superuser(user, True, by=root)
    user.refresh_from_db()
    assert user.is_superuser
    assert AuditEntry.objects.filter(action="accounts.set_superuser", object_id=str(user.pk), actor=root).exists()


def test_a_superuser_still_edits_everything_in_the_admin(client, make_user):
    root = make_user("root", superuser=True)
    user = make_user("someone")
    client.force_login(root)
    perm = Permission.objects.get(codename="publish_content")
    response = client.post(change_url(user), form_data(
        user, is_superuser="on", user_permissions=[perm.pk], groups=[group("editor").pk]))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_superuser and user.has_role("editor")
    assert list(user.user_permissions.all()) == [perm]


@pytest.mark.parametrize("who", ["siteadmin", "root"])
def test_the_user_pages_show_no_english(client, site_admin, make_user, who):
    root = make_user("root", superuser=True)
    agent = make_user("agent", roles=["service_agent"])
    client.force_login(site_admin if who == "siteadmin" else root)
    for url in (change_url(agent), reverse("admin:accounts_user_add"), reverse("admin:accounts_user_changelist"),
                reverse("admin:auth_user_password_change", args=[agent.pk])):
        html = client.get(url).content.decode()
        text = unescape(re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", html, flags=re.S))
        # Key names inside Django's Chinese help text ("按住 Control，或者Mac上的 Command") are fine.
        allowed = {"siteadmin", "root", "agent", "Control", "Command"}
        words = set(re.findall(r"\b[A-Za-z]{4,}\b", text)) - allowed
        assert not words, (url, sorted(words))
    catalog = client.get(reverse("admin:jsi18n")).content.decode()
    # The group picker's own words (SelectFilter2: "Available %s") are in Chinese.
    assert json.dumps("可用 %s") in catalog
