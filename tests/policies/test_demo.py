"""The demo policy documents and consultations: through the workflow, idempotent, every
validity shown, and personal data of the demo messages never public."""

import pytest

from apps.core.models import AuditEntry, SiteSettings
from apps.interaction import demo as interaction_demo
from apps.interaction.models import Consultation, Message
from apps.policies import demo as policies_demo
from apps.policies.models import PolicyDocument, PolicyInterpretation, Validity
from tests.editorial.conftest import people  # noqa: F401  (fixture)
from tests.media.conftest import media_storage  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_the_demo_goes_through_the_workflow_and_runs_twice_without_change(people, media_storage, client):  # noqa: F811
    SiteSettings.objects.update_or_create(pk=1, defaults={"site_name": "门户", "site_domain": "x.gov.cn", "sponsor": "管委会"})
    for _ in range(2):
        policies_demo.load(by=people.superuser)
        interaction_demo.load(by=people.superuser)
    assert PolicyDocument.objects.published().count() == 6
    assert set(PolicyDocument.objects.values_list("validity", flat=True)) == set(Validity.values)
    repealed = PolicyDocument.objects.get(validity=Validity.REPEALED)
    assert repealed.superseded_by.validity == Validity.VALID
    assert PolicyInterpretation.objects.published().count() == 2
    assert Message.objects.count() == 3 and Consultation.objects.published().count() == 1
    assert set(AuditEntry.objects.filter(action="editorial.publish").values_list("actor__username", flat=True)) == {"publisher"}  # 签发
    html = client.get("/interaction/").content.decode() + client.get(Consultation.objects.get().get_absolute_url()).content.decode()
    for message in Message.objects.all():
        assert message.phone not in html and message.name not in html
