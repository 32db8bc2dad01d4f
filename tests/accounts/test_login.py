"""Logging in: where it lands (issue 10 #8)."""

import pytest


@pytest.mark.parametrize("next_url", [
    "https://evil.example/", "//evil.example/", "javascript:alert(1)", "/\\evil.example", "",
])
def test_a_refused_next_after_admin_login_lands_on_the_admin_home(client, make_user, next_url):
    make_user("editor", roles=["editor"])
    response = client.post(
        "/admin/login/", {"username": "editor", "password": "irrelevant-password-123", "next": next_url},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200


def test_a_safe_next_is_followed(client, make_user):
    make_user("editor", roles=["editor"])
    response = client.post(
        "/admin/login/", {"username": "editor", "password": "irrelevant-password-123", "next": "/admin/pages/page/"},
    )
    assert response["Location"] == "/admin/pages/page/"
