"""Two staff accepting one request at once: the row lock lets one through; the
other gets InvalidTransition (a 409 in the admin) with a Chinese message."""

import pytest

from apps.core.errors import InvalidTransition
from apps.services import actions
from apps.services.models import RequestEvent, ServiceRequest, State
from tests.editorial.test_concurrency import postgresql, run_at_once  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_accept_lets_exactly_one_through(postgresql, desk, requests_):  # noqa: F811
    request = requests_.submitted()
    outcomes = run_at_once(
        lambda: actions.accept(ServiceRequest.objects.get(pk=request.pk), by=desk.agent),
        lambda: actions.accept(ServiceRequest.objects.get(pk=request.pk), by=desk.supervisor),
    )
    assert outcomes.count("ok") == 1, outcomes
    loser = next(o for o in outcomes if o != "ok")
    assert isinstance(loser, InvalidTransition) and "已被他人受理" in loser.message
    assert ServiceRequest.objects.get(pk=request.pk).state == State.ACCEPTED
    assert RequestEvent.objects.filter(request_id=request.pk, kind="accept").count() == 1


def test_two_accounts_rating_at_once_make_one_rating_and_one_case(postgresql, desk, requests_):  # noqa: F811
    from apps.services.models import Rating, Rectification

    request = requests_.resolved()
    outcomes = run_at_once(
        lambda: actions.rate(ServiceRequest.objects.get(pk=request.pk), by=desk.user, score=1),
        lambda: actions.rate(ServiceRequest.objects.get(pk=request.pk), by=desk.colleague, score=2),
    )
    assert outcomes.count("ok") == 1, outcomes
    loser = next(o for o in outcomes if o != "ok")
    assert isinstance(loser, InvalidTransition) and "只能评价一次" in loser.message
    assert Rating.objects.count() == 1 and Rectification.objects.count() == 1
