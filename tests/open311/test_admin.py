"""The key admin's hand-built issue form cleans pasted text like every other admin form."""

import pytest
from django.urls import reverse

from apps.open311.models import ApiKey, KeyKind

pytestmark = pytest.mark.django_db


def test_issued_key_name_loses_pinyin_annotations(client, desk):
    client.force_login(desk.supervisor)
    response = client.post(reverse("admin:open311_apikey_add"), {
        "name": "园区(yuán qū)热线", "kind": KeyKind.PARTNER, "partner": "热线(rè xiàn)系统", "rate_per_hour": "60",
    })
    assert response.status_code == 200 and "plaintext" in response.context, response.content.decode()[:2000]
    key = ApiKey.objects.get()
    assert (key.name, key.partner) == ("园区热线", "热线系统")
