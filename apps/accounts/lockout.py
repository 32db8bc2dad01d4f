"""django-axes with a second limit: failures from one address across usernames.

axes counts failures per (username, address) and locks at AXES_FAILURE_LIMIT. Spraying
one password over many usernames never reaches it, so this handler also sums the
failures of every username from the same address within the cool-off period and locks
the address at PARKPORTAL_LOGIN_ADDRESS_FAILURE_LIMIT (AXES_HANDLER points here).
"""

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt


def address_failures(ip_address, request=None) -> int:
    if not ip_address:
        return 0
    since = timezone.now() - get_cool_off(request)
    total = AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start"))["n"]
    return total or 0


class AddressLimitHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        per_username = super().get_failures(request, credentials)
        limit = settings.PARKPORTAL_LOGIN_ADDRESS_FAILURE_LIMIT
        from_address = address_failures(getattr(request, "axes_ip_address", None), request)
        # Report at least axes' own limit once the address is over its limit, so that
        # axes' "failures >= AXES_FAILURE_LIMIT" locks it (the address limit is larger).
        if from_address >= limit:
            return max(per_username, from_address, settings.AXES_FAILURE_LIMIT)
        return per_username
