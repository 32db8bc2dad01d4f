"""Login hardening beyond axes' per-username count (issue 10 #6): password spraying
from one address locks it, a forged X-Forwarded-For is ignored unless a proxy is
trusted, staff sessions end when idle, anonymous bodies are size-limited."""

import json
import time

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.middleware import LAST_SEEN_KEY
from tests.conftest import run_django

PASSWORD = "irrelevant-password-123"


def login(client, username, password="Spring2026!", **extra):
    return client.post("/admin/login/", {"username": username, "password": password}, **extra)


def test_spraying_one_password_over_many_usernames_locks_the_address(client, make_user, settings):
    for i in range(30):
        make_user(f"staff{i}", roles=["editor"])
    statuses = [login(client, f"staff{i}").status_code for i in range(30)]
    assert 429 in statuses
    first_lock = statuses.index(429)
    assert first_lock == settings.PARKPORTAL_LOGIN_ADDRESS_FAILURE_LIMIT - 1
    assert set(statuses[first_lock:]) == {429}
    # The address is locked even for a right password; another address is not.
    assert login(client, "staff0", PASSWORD).status_code == 429
    assert login(Client(), "staff0", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_a_few_mistakes_by_colleagues_behind_one_address_do_not_lock_it(client, make_user, settings):
    for i in range(5):
        make_user(f"colleague{i}", roles=["editor"])
    for i in range(5):
        for _ in range(settings.AXES_FAILURE_LIMIT - 2):
            assert login(client, f"colleague{i}").status_code == 200
    assert login(client, "colleague0", PASSWORD).status_code == 302


def test_without_a_trusted_proxy_a_rotating_forwarded_for_header_is_ignored(client, make_user, settings):
    assert settings.PARKPORTAL_TRUSTED_PROXIES == 0
    make_user("reviewer1", roles=["reviewer"])
    codes = [
        login(client, "reviewer1", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
        for i in range(settings.AXES_FAILURE_LIMIT + 2)
    ]
    assert codes[settings.AXES_FAILURE_LIMIT - 1:] == [429] * 3


@pytest.mark.parametrize("value,count,order", [
    (None, None, ["REMOTE_ADDR"]), ("0", None, ["REMOTE_ADDR"]),
    ("1", 0, ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]), ("2", 1, ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]),
])
def test_the_number_of_trusted_proxies_comes_from_the_environment(value, count, order):
    result = run_django(
        "import json; from django.conf import settings as s\n"
        "print(json.dumps([s.PARKPORTAL_TRUSTED_PROXIES, s.AXES_IPWARE_PROXY_COUNT, s.AXES_IPWARE_META_PRECEDENCE_ORDER]))",
        env={"PARKPORTAL_TRUSTED_PROXIES": value},
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [int(value or 0), count, order]


def test_an_idle_staff_session_ends(client, make_user, settings):
    editor = make_user("editor", roles=["editor"])
    client.force_login(editor)
    assert client.get(reverse("admin:index")).status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time() - settings.PARKPORTAL_STAFF_SESSION_IDLE_TIMEOUT.total_seconds() - 5)
    session.save()
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_active_staff_session_continues(client, make_user, settings):
    editor = make_user("editor", roles=["editor"])
    client.force_login(editor)
    client.get(reverse("admin:index"))
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time() - settings.PARKPORTAL_STAFF_SESSION_IDLE_TIMEOUT.total_seconds() + 60)
    session.save()
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_idle_timeout_is_a_setting_of_thirty_minutes(settings):
    assert settings.PARKPORTAL_STAFF_SESSION_IDLE_TIMEOUT.total_seconds() == 30 * 60


def test_large_bodies_from_anonymous_visitors_are_refused_before_being_read(client, settings):
    big = "x" * (settings.PARKPORTAL_ANONYMOUS_MAX_BODY_BYTES + 1)
    response = client.post("/admin/login/", {"username": "a", "password": big})
    assert response.status_code == 413
    assert "提交的内容过大" in response.content.decode()
    response = client.post("/", data=big, content_type="text/plain")
    assert response.status_code == 413


def test_logged_in_staff_may_send_larger_bodies(client, make_user, settings):
    client.force_login(make_user("editor", roles=["editor"]))
    big = "x" * (settings.PARKPORTAL_ANONYMOUS_MAX_BODY_BYTES + 1)
    response = client.post(reverse("admin:pages_page_changelist"), {"q": big})
    assert response.status_code != 413
