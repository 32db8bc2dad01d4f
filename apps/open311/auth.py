"""``api_key`` authentication and the per-key (or, without a key, per-address) rate limit."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.throttling import SimpleRateThrottle

from apps.core.ratelimit import client_address

from .actions import touch
from .models import ApiKey


def raw_key(request) -> str:
    value = request.query_params.get("api_key", "")
    if not value and request.method == "POST":
        value = request.data.get("api_key", "") if hasattr(request.data, "get") else ""
    return str(value or "")


class ApiKeyAuthentication(BaseAuthentication):
    """(enterprise account or AnonymousUser, ApiKey) for a valid key; None without one; 403 for a bad one."""

    def authenticate(self, request):
        raw = raw_key(request)
        if not raw:
            return None
        key = ApiKey.objects.matching(raw)
        if key is None or (key.account is not None and not key.account.is_active):
            raise AuthenticationFailed(_("api_key 无效或已被撤销。"))
        touch(key)
        return (key.account or AnonymousUser(), key)


class KeyRateThrottle(SimpleRateThrottle):
    """A key's own hourly limit; without a key, ``PARKPORTAL_OPEN311_ANONYMOUS_RATE`` per client address."""

    scope = "open311"

    def __init__(self):  # the rate depends on the request (the key): set in allow_request
        pass

    def allow_request(self, request, view):
        key = request.auth
        if key is not None:
            self.rate = f"{key.rate_per_hour}/hour"
        else:
            self.rate = getattr(settings, "PARKPORTAL_OPEN311_ANONYMOUS_RATE", "300/hour")
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        key = request.auth
        ident = f"key-{key.pk}" if key is not None else f"addr-{self.get_ident(request)}"
        return f"open311:throttle:{ident}"

    def get_ident(self, request):
        """The client address by the project's one rule (as the login lockout), not DRF's,
        which without ``NUM_PROXIES`` trusts whatever X-Forwarded-For the client sends."""
        return client_address(request)
