"""The demo talent programmes and stations: through the workflow, idempotent, with the
round states and stations the issue asks for."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.core.models import AuditEntry
from apps.stations.models import ServiceStation
from apps.talent.models import ApplicationRound, RoundState, TalentProgramme

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_programmes_and_stations_through_the_workflow_idempotently(settings, tmp_path, media_storage, client):
    settings.VAR_DIR = tmp_path
    call_command("load_demo")
    assert TalentProgramme.objects.published().count() == 3
    assert ServiceStation.objects.published().count() == 4
    now = timezone.now()
    torch = TalentProgramme.objects.get(short_name="天山火炬之星")
    states = sorted(r.state_at(now) for r in torch.rounds.all())
    assert states == sorted([RoundState.OPEN, RoundState.UPCOMING, RoundState.CLOSED])
    assert ApplicationRound.objects.public().closing_soon_at(now).exists()
    assert ApplicationRound.objects.public().filter(always_open=True).exists()
    assert ServiceStation.objects.filter(is_mobile=True, stops__isnull=False).exists()
    publishers = set(AuditEntry.objects.filter(
        action="editorial.publish", content_type__model__in=["talentprogramme", "servicestation"]
    ).values_list("actor__username", flat=True))
    assert publishers == {"publisher"}  # 签发: the signer's approval publishes
    counts = (TalentProgramme.objects.count(), ApplicationRound.objects.count(), ServiceStation.objects.count())
    call_command("load_demo")
    assert (TalentProgramme.objects.count(), ApplicationRound.objects.count(), ServiceStation.objects.count()) == counts
    for url in ("/talent/", torch.get_absolute_url(), "/stations/", ServiceStation.objects.first().get_absolute_url()):
        assert client.get(url).status_code == 200
    # The material templates download.
    material = torch.materials.exclude(template=None).first()
    response = client.get(f"/talent/{torch.pk}/materials/{material.template_id}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_demo_press_releases_link_to_the_real_talent_and_station_pages(settings, tmp_path, media_storage, client):
    import re

    from apps.news.models import PressRelease

    settings.VAR_DIR = tmp_path
    call_command("load_demo")
    links = set()
    for release in PressRelease.objects.published():
        links.update(re.findall(r'href="(/[^"]*)"', release.body))
    assert {"/talent/", "/stations/"} <= links
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert "本栏目正在建设中" not in response.content.decode(), link
