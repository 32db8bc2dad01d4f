"""The demo loader is idempotent and prints generated (never fixed) passwords."""

import json
import stat

from django.contrib.auth import authenticate
from django.core.management import call_command

from apps.accounts.demo import DEMO_USERS
from apps.accounts.models import User
from apps.core.models import AuditEntry, IndustryCluster, SiteSettings


def counts():
    return (User.objects.count(), IndustryCluster.objects.count(), SiteSettings.objects.count(),
            AuditEntry.objects.count())


def test_load_demo_twice_duplicates_nothing_and_keeps_passwords(db, settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    call_command("load_demo")
    first_out = capsys.readouterr().out
    first = counts()
    call_command("load_demo")
    second_out = capsys.readouterr().out
    assert counts() == first
    assert first[0] == len(DEMO_USERS)
    # Same logins printed both times: the second run does not reset passwords.
    assert first_out.split("Demo users")[1] == second_out.split("Demo users")[1]


def test_demo_passwords_are_generated_stored_privately_and_work(db, settings, tmp_path, rf):
    settings.VAR_DIR = tmp_path
    call_command("load_demo")
    path = tmp_path / "demo-credentials.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    credentials = json.loads(path.read_text())
    assert set(credentials) == {u[0] for u in DEMO_USERS}
    assert len(set(credentials.values())) == len(credentials)  # no shared password
    for username, password in credentials.items():
        assert len(password) >= 12
        assert authenticate(rf.post("/admin/login/"), username=username, password=password)


def test_passwords_are_generated_anew_when_no_record_of_them_exists(db, settings, tmp_path, rf):
    settings.VAR_DIR = tmp_path / "a"
    call_command("load_demo")
    first = json.loads((tmp_path / "a" / "demo-credentials.json").read_text())
    settings.VAR_DIR = tmp_path / "b"  # another checkout: the old passwords are unknown there
    call_command("load_demo")
    second = json.loads((tmp_path / "b" / "demo-credentials.json").read_text())
    assert all(first[name] != second[name] for name in first)
    assert authenticate(rf.post("/admin/login/"), username="admin", password=second["admin"])
    assert User.objects.filter(username="admin").count() == 1


def test_demo_roles_and_site_settings(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("load_demo")
    assert User.objects.get(username="editor").has_role("editor")
    assert User.objects.get(username="publisher").has_role("publisher")
    assert not User.objects.get(username="enterprise").is_staff
    site = SiteSettings.objects.get()
    assert site.sponsor and site.site_id_code and site.icp_number and site.police_number
    assert site.created_by.username == "admin"
    assert IndustryCluster.objects.filter(role="pillar").get().name == "现代服务业"
    assert IndustryCluster.objects.filter(role="leading").count() == 3
