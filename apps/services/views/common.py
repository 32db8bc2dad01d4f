"""What the enterprise pages share: sign-in, no caching, errors as 4xx."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache

from .. import rules

LOGIN_URL = reverse_lazy("enterprises:login")


def enterprise_page(view):
    """Signed-in enterprise accounts only; never cached (the page cache keeps anonymous pages only)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if rules.enterprise_id_of(request.user) is None:
            raise PermissionDenied("您的账号没有关联企业。请联系园区工作人员为您的账号关联企业后再办理。")
        return view(request, *args, **kwargs)

    return never_cache(login_required(wrapper, login_url=LOGIN_URL))


def status_of(exc) -> int:
    from django.core.exceptions import ValidationError

    from apps.core.errors import InvalidTransition

    if isinstance(exc, InvalidTransition):
        return 409
    if isinstance(exc, ValidationError):
        return 400
    return 403
