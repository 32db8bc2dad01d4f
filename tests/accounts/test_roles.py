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


def all_permissions():
    from django.contrib.auth.models import Permission

    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }


@pytest.mark.parametrize("code", list(ROLES))
def test_each_role_has_exactly_its_listed_permissions(db, code):
    role = ROLES[code]
    # Every listed permission must exist: a typo or a renamed model would
    # otherwise be skipped silently by sync_roles and the role would lack it.
    assert set(role.permissions) - all_permissions() == set()
    assert perms_of(role.group_name) == set(role.permissions)


CONTENT_MODELS = ("pages.page", "news.pressrelease", "enterprises.enterprise", "enterprises.platform")
PUBLISHING = (
    "editorial.publish_content", "editorial.urgent_publish", "editorial.withdraw_content",
    "editorial.archive_content",
)
CONTENT_WRITE = tuple(
    f"{model.split('.')[0]}.{action}_{model.split('.')[1]}"
    for model in CONTENT_MODELS
    for action in ("add", "change", "delete")
)
USERS_AND_GROUPS = (
    "accounts.add_user", "accounts.change_user", "accounts.delete_user",
    "auth.add_group", "auth.change_group", "auth.delete_group",
    "auth.add_permission", "auth.change_permission",
)


def test_an_editor_writes_but_can_neither_publish_nor_approve(make_user):
    editor = make_user("editor", roles=["editor"])
    assert editor.has_perm("news.change_pressrelease") and editor.has_perm("media.add_image")
    for perm in PUBLISHING + ("editorial.approve_retrospectively", "editorial.break_lock"):
        assert not editor.has_perm(perm), perm
    for model in CONTENT_MODELS:  # taking content down is a publisher's decision
        assert not editor.has_perm(f"{model.split('.')[0]}.delete_{model.split('.')[1]}"), model


def test_a_reviewer_reads_content_but_cannot_change_or_publish_it(make_user):
    reviewer = make_user("reviewer", roles=["reviewer"])
    assert reviewer.has_perm("news.view_pressrelease")
    for perm in CONTENT_WRITE + PUBLISHING + ("media.add_image", "media.change_image"):
        assert not reviewer.has_perm(perm), perm


def test_a_publisher_publishes_but_does_not_write_content(make_user):
    publisher = make_user("publisher", roles=["publisher"])
    for perm in PUBLISHING:
        assert publisher.has_perm(perm), perm
    for perm in CONTENT_WRITE + ("media.add_image",):
        assert not publisher.has_perm(perm), perm


@pytest.mark.parametrize("code", ["service_agent", "service_supervisor"])
def test_service_staff_neither_write_nor_publish_content(make_user, code):
    user = make_user(code, roles=[code])
    for perm in CONTENT_WRITE + PUBLISHING:
        assert not user.has_perm(perm), perm


@pytest.mark.parametrize("code", [code for code in ROLES if code != SITE_ADMIN])
def test_only_the_site_admin_manages_users_and_settings(make_user, code):
    user = make_user(code, roles=[code])
    for perm in USERS_AND_GROUPS + ("core.change_sitesettings", "django_celery_beat.change_periodictask"):
        assert not user.has_perm(perm), perm


def test_the_site_admin_runs_the_site_but_does_not_publish_or_promote(make_user):
    admin = make_user("siteadmin", roles=[SITE_ADMIN])
    assert admin.has_perm("accounts.change_user") and admin.has_perm("core.change_industrycluster")
    for perm in CONTENT_WRITE + PUBLISHING + ("auth.change_group", "auth.change_permission",
                                               "accounts.delete_user"):
        assert not admin.has_perm(perm), perm


@pytest.mark.parametrize("code", list(ROLES))
def test_no_role_may_edit_or_delete_the_audit_trail(make_user, code):
    user = make_user(code, roles=[code])
    assert not user.has_perm("core.change_auditentry")
    assert not user.has_perm("core.delete_auditentry")
    assert not user.has_perm("core.add_auditentry")  # written by audit() only


def test_enterprise_users_have_no_admin_permissions(make_user):
    firm = make_user("firm2", roles=["enterprise"])
    assert ROLES["enterprise"].is_staff is False
    assert not firm.is_staff
    assert firm.get_all_permissions() == set()


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
    assert perms_of(ROLES["editor"].group_name) == set(ROLES["editor"].permissions)


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


def proxy_settings():
    """The AXES_IPWARE_* (and IPWARE_*) values production runs with."""
    from parkportal.settings import behind_proxy

    return {name: getattr(behind_proxy, name) for name in dir(behind_proxy) if name.isupper()}


def test_behind_the_proxy_each_forwarded_client_is_locked_out_separately(client, make_user, settings):
    """The proxy is every request's REMOTE_ADDR: the lockout must follow X-Forwarded-For."""
    from axes.models import AccessAttempt
    from django.test import Client

    for name, value in proxy_settings().items():
        setattr(settings, name, value)
    make_user("reviewer3", roles=["reviewer"])
    proxy = "10.0.0.2"
    attacker, colleague = "203.0.113.5", "198.51.100.7"

    def login(c, forwarded_for, password="wrong"):
        return c.post(
            "/admin/login/",
            {"username": "reviewer3", "password": password},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, attacker).status_code == 200
    assert login(client, attacker).status_code == 429
    # A forged prefix does not make the attacker someone else: the proxy's entry counts.
    assert login(client, f"192.0.2.99, {attacker}").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {attacker}

    # The real user, from another address through the same proxy, is not locked out.
    other = Client()
    assert login(other, colleague).status_code == 200
    assert login(other, colleague, password="irrelevant-password-123").status_code == 302
    # ... and the attacker still is.
    assert login(Client(), attacker, password="irrelevant-password-123").status_code == 429
