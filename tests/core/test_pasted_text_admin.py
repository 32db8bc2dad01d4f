"""Pinyin annotations pasted into any admin form are cleaned (issue 15): not only
the editorial and media forms, but every admin the project's site registers, and
the action pages that read fields from the request."""

from django.contrib import admin
from django.urls import reverse

from apps.core.models import IndustryCluster
from apps.core.textclean import PastedTextAdminMixin


def test_every_registered_admin_cleans_pasted_text():
    unwrapped = [
        type(model_admin).__name__ for model_admin in admin.site._registry.values()
        if not isinstance(model_admin, PastedTextAdminMixin)
    ]
    assert unwrapped == []


def test_a_plain_admin_form_loses_pinyin_annotations(client, make_user):
    client.force_login(make_user("root", superuser=True))
    response = client.post(reverse("admin:core_industrycluster_add"), {
        "name": "低空经济(dī kōng)", "slug": "low-altitude-test", "role": "leading", "position": "1",
        "description": "园区(yuán qū)新材料产业",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    cluster = IndustryCluster.objects.get(slug="low-altitude-test")
    assert (cluster.name, cluster.description) == ("低空经济", "园区新材料产业")


def test_a_password_is_never_changed_by_the_cleaning(client, make_user, django_user_model):
    client.force_login(make_user("root", superuser=True))
    password = "高(gāo)强度口令-2026"
    response = client.post(reverse("admin:accounts_user_add"), {
        "username": "newcomer", "password1": password, "password2": password, "usable_password": "true",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert django_user_model.objects.get(username="newcomer").check_password(password)

