"""Anyone with a tracking number and the submitter's phone number sees the public
status of that one request (nothing else). Rate-limited per client address."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from apps.core import ratelimit
from apps.core.tracking import phone_matches

from ..forms import LookupForm
from ..models import ServiceRequest
from ..tracking import normalise
from .guide import COLUMN


def _over_limit(request) -> bool:
    """Count this attempt; True past ``PARKPORTAL_SERVICES_LOOKUP_LIMIT`` per window."""
    return ratelimit.over_limit(
        request, "services:lookup",
        limit=getattr(settings, "PARKPORTAL_SERVICES_LOOKUP_LIMIT", 10),
        window=getattr(settings, "PARKPORTAL_SERVICES_LOOKUP_WINDOW", 600),
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def track(request):
    form = LookupForm(request.POST or None)
    item, timeline, status = None, [], 200
    if request.method == "POST":
        if _over_limit(request):
            form.is_valid()
            form.add_error(None, _("查询过于频繁，请 10 分钟后再试。"))
            status = 429
        elif form.is_valid():
            found = (ServiceRequest.objects.select_related("service")
                     .only("pk", "tracking_number", "state", "submitted_at", "updated_at", "due_date", "contact_phone",
                           "service__name", "service__code")
                     .filter(tracking_number=normalise(form.cleaned_data["tracking_number"])).first())
            if found is not None and phone_matches(found.contact_phone, form.cleaned_data["phone"]):
                item, timeline = found, list(found.events.public())
            else:
                form.add_error(None, _("没有找到与该受理编号和联系电话相符的诉求，请核对后重试。"))
                status = 404
        else:
            status = 400
    return render(request, "services/track.html", {
        "form": form, "item": item, "timeline": timeline, "column": COLUMN, "active_column": "services",
    }, status=status)
