"""Demo API keys: one for the demo enterprise account, one for a partner system.
The plaintext keys are not kept (a real key is shown once, when issued in the admin)."""

from django.contrib.auth import get_user_model

from . import actions
from .models import ApiKey, KeyKind


def load(*, by) -> None:
    supervisor = get_user_model().objects.filter(username="supervisor").first()
    enterprise = get_user_model().objects.filter(username="enterprise").first()
    if supervisor is None or ApiKey.objects.exists():
        return
    actions.issue_key(by=supervisor, name="市民服务热线系统对接（演示）", kind=KeyKind.PARTNER,
                      partner="12345 政务服务便民热线", rate_per_hour=1200)
    if enterprise is not None and hasattr(enterprise, "enterprise_membership"):
        actions.issue_key(by=supervisor, name="企业办公系统对接（演示）", kind=KeyKind.ENTERPRISE, account=enterprise)
