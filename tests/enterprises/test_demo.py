"""The demo directory loads through the real workflow, twice without duplicates."""

from django.core.management import call_command

from apps.core.credit_code import is_valid
from apps.enterprises.models import Enterprise, EnterpriseMembership, Platform


def test_demo_directory_is_published_and_loading_it_twice_changes_nothing(db, settings, tmp_path, client):
    settings.VAR_DIR = tmp_path
    call_command("load_demo")
    counts = (Enterprise.objects.count(), Platform.objects.count(), EnterpriseMembership.objects.count())
    call_command("load_demo")
    assert (Enterprise.objects.count(), Platform.objects.count(), EnterpriseMembership.objects.count()) == counts
    assert counts[0] >= 5 and counts[1] == 3
    assert Enterprise.objects.listed().count() == counts[0]
    assert Platform.objects.published().count() == 3
    assert all(is_valid(code) for code in Enterprise.objects.values_list("credit_code", flat=True))
    films = Enterprise.objects.get(short_name="绿洲膜业")
    assert "青贮包膜" in films.main_products and "五层共挤" in films.main_products
    assert films.created_by.username == "editor"
    station = Platform.objects.get(kind__name="博士后科研工作站")
    assert station.host.short_name == "天山清能" and station.level == "national"
    assert EnterpriseMembership.objects.get(user__username="enterprise").enterprise == films
    energy = Enterprise.objects.get(short_name="天山清能")
    assert energy.is_key_project and energy.service_liaison.username == "agent"
    html = client.get("/enterprises/").content.decode()
    assert "新疆绿洲膜业新材料有限公司" in html
