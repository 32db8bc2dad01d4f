"""Messages per state, built through the real actions."""

import time

import pytest

from apps.core.models import SiteSettings
from apps.editorial import actions as editorial
from apps.interaction import actions, antispam
from apps.interaction.models import Consultation
from tests.editorial.conftest import people  # noqa: F401  (fixture)

PERSONAL = {"name": "艾尔肯·买买提", "phone": "13912345678", "email": "private.person@example.com"}


def form_data(**over) -> dict:
    """A valid form post, rendered 30 seconds ago."""
    data = {"kind": "question", "subject": "人才公寓什么时候开放申请？", "text": "请问今年的人才公寓申请何时开始？",
            "publish_consent": "on", "started": antispam.new_form_token(time.time() - 30), "website": "", **PERSONAL}
    data.update(over)
    return data


@pytest.fixture(autouse=True)
def site(db):
    return SiteSettings.objects.update_or_create(pk=1, defaults={
        "site_name": "测试高新区门户", "site_domain": "www.test-park.gov.cn", "sponsor": "测试高新区管委会"})[0]


@pytest.fixture
def desk(people):  # noqa: F811
    class Desk:
        agent = people.outsider  # the service agent holds the consultation desk's permission

        @staticmethod
        def submitted(**over):
            data = form_data(**over)
            data["publish_consent"] = bool(data.get("publish_consent"))
            return actions.submit_message(data)

        @classmethod
        def accepted(cls, department="高新区人才办", **over):
            return actions.accept(cls.submitted(**over), by=cls.agent, department=department)

        @classmethod
        def replied(cls, reply="<p>人才公寓将于下月开放申请。</p>", **over):
            """Accepted, reply drafted by the agent, reviewed and published."""
            message = cls.accepted(**over)
            consultation = actions.draft_reply(message, by=cls.agent, reply=reply)
            editorial.submit(consultation, by=cls.agent)
            editorial.approve(consultation, by=people.reviewer)
            editorial.approve(consultation, by=people.publisher, publish=False)
            editorial.publish(consultation, by=people.publisher2)
            return Consultation._base_manager.get(pk=consultation.pk)

    return Desk
