"""Request guards for accounts: staff sessions end when idle, and anonymous requests
may not send large bodies."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.utils.translation import gettext as _

LAST_SEEN_KEY = "parkportal_last_seen"
# The session is written at most this often (seconds) just to record activity.
_STAMP_EVERY = 60


def _signed_in(request) -> bool:
    """Whether someone is logged in, without touching the session of a reader who has none
    (reading it marks the response ``Vary: Cookie``, and the page cache would not store it)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


class StaffIdleTimeoutMiddleware:
    """Log a staff user out after PARKPORTAL_STAFF_SESSION_IDLE_TIMEOUT without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _signed_in(request) and request.user.is_staff:
            now = int(time.time())
            last = request.session.get(LAST_SEEN_KEY)
            timeout = settings.PARKPORTAL_STAFF_SESSION_IDLE_TIMEOUT.total_seconds()
            if isinstance(last, int) and now - last > timeout:
                logout(request)  # the admin then asks for the password again
            elif not isinstance(last, int) or now - last >= _STAMP_EVERY:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class AnonymousBodyLimitMiddleware:
    """413 for a request body over PARKPORTAL_ANONYMOUS_MAX_BODY_BYTES from someone not
    logged in (login, public forms), before anything reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _signed_in(request):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return HttpResponse(_("请求格式不正确。"), status=400, content_type="text/plain; charset=utf-8")
            if length > settings.PARKPORTAL_ANONYMOUS_MAX_BODY_BYTES:
                return HttpResponse(
                    _("提交的内容过大，请精简后重试。"), status=413, content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)
