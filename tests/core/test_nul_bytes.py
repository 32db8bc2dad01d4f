"""NUL characters and oversized sign-in names are a 400 or a form error, never a 500
(PostgreSQL cannot hold or compare a NUL; the lockout's records cap names at 255)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/news/?q=a%00b", "/enterprises/?page=1%00", "/services/?q=%00", "/talent/?%00=1"])
def test_a_nul_in_a_query_parameter_is_a_400_with_a_chinese_message(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "无效字符" in response.content.decode()


@pytest.mark.parametrize("url", ["/admin/login/", "/enterprises/account/login/"])
def test_a_nul_in_a_sign_in_form_is_a_400(client, url):
    response = client.post(url, {"username": "editor\x00", "password": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize("url", ["/admin/login/", "/enterprises/account/login/"])
def test_an_oversized_sign_in_name_is_a_form_error_not_a_database_error(client, url):
    from axes.models import AccessAttempt

    response = client.post(url, {"username": "9" * 5000, "password": "whatever-password"})
    assert response.status_code == 200
    assert "150" in response.content.decode()  # Django's "at most 150 characters", in Chinese
    assert not AccessAttempt.objects.exists()  # it never reached authenticate()
