"""Two staff accepting the same message at once: the row lock lets exactly one through."""

import pytest

from apps.core.errors import InvalidTransition
from apps.core.models import AuditEntry
from apps.interaction import actions
from apps.interaction.models import Message
from tests.editorial.test_concurrency import postgresql, run_at_once  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_acceptance_lets_exactly_one_through(postgresql, desk, make_user):  # noqa: F811
    other = make_user("supervisor", roles=["service_supervisor"], email="supervisor@example.gov.cn")
    message = desk.submitted()
    outcomes = run_at_once(
        lambda: actions.accept(message, by=desk.agent, department="人才办"),
        lambda: actions.accept(message, by=other, department="经济发展局"),
    )
    assert outcomes.count("ok") == 1, outcomes
    loser = next(o for o in outcomes if o != "ok")
    assert isinstance(loser, InvalidTransition) and "已被他人受理" in str(loser)
    assert Message.objects.get(pk=message.pk).state == "accepted"
    assert AuditEntry.objects.filter(action="interaction.accept").count() == 1
