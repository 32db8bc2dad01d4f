"""Roles are groups with exactly their permissions; admin login is hardened by axes."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from apps.accounts.roles import ROLES, SITE_ADMIN, sync_roles


def perms_of(group_name):
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_every_role_group_exists_after_migrate(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert {"编辑", "审核", "签发", "服务专员", "服务主管", "站点管理员", "企业用户"} <= names


def existing(perms):
    from django.contrib.auth.models import Permission

    found = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }
    return {p for p in perms if p in found}


@pytest.mark.parametrize("code", list(ROLES))
def test_each_role_has_exactly_its_listed_permissions(db, code):
    role = ROLES[code]
    # Listed permissions of apps whose models have not landed yet are skipped.
    assert perms_of(role.group_name) == existing(role.permissions)
    assert len(existing(role.permissions)) >= len(role.permissions) // 2


def test_site_admin_may_change_site_settings_and_editor_may_not(make_user):
    admin = make_user("siteadmin", roles=[SITE_ADMIN])
    editor = make_user("editor", roles=["editor"])
    assert admin.has_perm("core.change_sitesettings")
    assert not editor.has_perm("core.change_sitesettings")
    assert editor.has_perm("core.view_industrycluster")


def test_enterprise_users_are_not_staff(make_user):
    user = make_user("firm", roles=["enterprise"])
    assert not user.is_staff
    assert user.has_role("enterprise")
    assert not user.has_role("editor")


def test_sync_roles_is_idempotent_and_repairs_drift(db):
    group = Group.objects.get(name=ROLES["editor"].group_name)
    group.permissions.clear()
    Group.objects.filter(name=ROLES["service_agent"].group_name).delete()
    sync_roles()
    sync_roles()
    assert Group.objects.filter(name=ROLES["service_agent"].group_name).count() == 1
    assert perms_of(ROLES["editor"].group_name) == existing(ROLES["editor"].permissions)


def test_setup_roles_command_reports_each_role(db, capsys):
    call_command("setup_roles")
    out = capsys.readouterr().out
    for role in ROLES.values():
        assert role.group_name in out


def test_deleting_a_user_who_wrote_an_audit_row_is_refused(make_user):
    from django.db.models import ProtectedError

    from apps.core.audit import audit

    user = make_user("writer", roles=["editor"])
    audit(None, "core.test", by=user)
    with pytest.raises(ProtectedError):
        user.delete()


def test_audit_requires_an_acting_user(db):
    from apps.core.audit import audit

    with pytest.raises(ValueError):
        audit(None, "core.test", by=None)


# --- Login hardening (django-axes) ---------------------------------------------------

def test_admin_login_locks_out_after_repeated_failures_with_a_clear_message(client, make_user, settings):
    make_user("reviewer1", roles=["reviewer"])
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/admin/login/", {"username": "reviewer1", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/admin/login/", {"username": "reviewer1", "password": "wrong"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "登录已被暂时锁定" in html and "30 分钟后重试" in html
    # Even the right password is refused while locked out.
    response = client.post("/admin/login/", {"username": "reviewer1", "password": "irrelevant-password-123"})
    assert response.status_code == 429


def test_admin_login_succeeds_with_the_right_password(client, make_user):
    make_user("reviewer2", roles=["reviewer"])
    response = client.post("/admin/login/", {"username": "reviewer2", "password": "irrelevant-password-123"})
    assert response.status_code == 302
