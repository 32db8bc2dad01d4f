import pytest

from apps.open311 import actions
from apps.open311.models import KeyKind
from tests.editorial.conftest import people, refresh  # noqa: F401
from tests.enterprises.conftest import enterprises, kinds  # noqa: F401
from tests.services.conftest import catalogue, desk, requests_  # noqa: F401


@pytest.fixture
def keys(desk):
    class Keys:
        own, own_plain = actions.issue_key(by=desk.supervisor, name="企业办公系统", kind=KeyKind.ENTERPRISE,
                                           account=desk.user)
        other, other_plain = actions.issue_key(by=desk.supervisor, name="另一企业", kind=KeyKind.ENTERPRISE,
                                               account=desk.other_user)
        partner, partner_plain = actions.issue_key(by=desk.supervisor, name="12345 热线", kind=KeyKind.PARTNER,
                                                   partner="市民服务热线系统")

    return Keys
