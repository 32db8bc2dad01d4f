from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from apps.core.ratelimit import client_ip

from . import actions
from .public import render_revision


@never_cache
@require_safe
def shared_preview(request, token: str):
    """A draft opened by an outside fact-checker through a share link. Every use is logged."""
    try:
        link = actions.use_preview_link(
            token,
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
    except actions.PreviewLinkInvalid as exc:
        return render(request, "editorial/preview_invalid.html", {"message": exc.message}, status=410)
    item = link.get_item()
    return render_revision(request, item, link.revision)


def render_batch(request, batch, *, preview: bool = False):
    """A review batch shown as the reviewer's diff (staff preview and share links)."""
    return render(request, "editorial/batch_preview.html", {"batch": batch, "preview": preview})
