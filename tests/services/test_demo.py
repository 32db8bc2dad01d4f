import pytest
from django.core.management import call_command

from apps.services.models import Service, ServiceGroup, ServiceRequest, State

pytestmark = pytest.mark.django_db


def test_demo_has_a_dozen_services_and_requests_in_every_state_and_is_idempotent(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", stdout=open(tmp_path / "out.txt", "w"))
    assert Service.objects.published().count() == 12
    assert set(ServiceGroup.objects.values_list("name", flat=True)) == {"企业开办与变更", "人才与社保", "科技创新与政策兑现"}
    states = set(ServiceRequest.objects.values_list("state", flat=True))
    assert states == set(State.values)
    assert ServiceRequest.objects.filter(state=State.WAITING).count() == 1
    from apps.services.deadlines import today
    assert ServiceRequest.objects.overdue(today()).count() == 1
    before = ServiceRequest.objects.count(), Service.objects.count()
    call_command("load_demo", stdout=open(tmp_path / "out2.txt", "w"))
    assert (ServiceRequest.objects.count(), Service.objects.count()) == before
