"""Serving editorial items to the public: the one place that decides between
the page, its withdrawal notice, 410 Gone, a redirect, and 404."""

from django.db import transaction
from django.db.models import Min, Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils.module_loading import import_string
from django.utils.translation import get_language

from apps.core.scripts import public_text

from .models import Status, Visibility, editorial_models
from .snapshots import materialize


def public_item(request, queryset, **lookup):
    """Return (item, None) for a viewable item, or (None, response) for one taken down."""
    item = queryset.filter(visibility__in=[Visibility.LIVE, Visibility.WITHDRAWN, Visibility.GONE], **lookup).first()
    if item is None:
        raise Http404
    if item.visibility == Visibility.GONE:
        if item.redirect_url:
            return None, HttpResponsePermanentRedirect(item.redirect_url)
        response = render(request, "editorial/gone.html", {"item": item}, status=410)
        return None, response
    return item, None


def render_revision(request, item, revision, *, extra_headers=None):
    """Render a revision with the item's public template, without publishing it.

    The revision is written into the database inside a transaction that is
    always rolled back, so the template reads exactly what the revision holds
    (fields, many-to-many, child rows) and nothing changes.
    """
    renderer = import_string(item.public_renderer)
    with transaction.atomic():
        fresh = type(item)._base_manager.get(pk=item.pk)
        materialize(fresh, revision.snapshot)
        response = renderer(request, fresh, preview=True)
        if isinstance(response, TemplateResponse):
            response.render()
        transaction.set_rollback(True)
    if not response.streaming and response.get("Content-Type", "").startswith("text/html"):
        # The admin preview is not cleaned by the public middleware: clean it here
        # with the same function, so it shows exactly what the public page will.
        charset = response.charset or "utf-8"
        html = response.content.decode(charset)
        cleaned = public_text(html, traditional=get_language() == "zh-hant")
        if cleaned is not html:
            response.content = cleaned.encode(charset)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    for key, value in (extra_headers or {}).items():
        response[key] = value
    return response


def next_scheduled_change(now):
    """For the page cache (registered in EditorialConfig.ready): the earliest time
    after ``now`` at which a scheduled item goes live or a live item expires; one
    query per content type."""
    times = []
    for model in editorial_models():
        row = model._base_manager.aggregate(
            go_live=Min("go_live_at", filter=Q(status=Status.SCHEDULED, go_live_at__gt=now)),
            expiry=Min("expire_at", filter=Q(visibility=Visibility.LIVE, expire_at__gt=now)),
        )
        times += [t for t in row.values() if t is not None]
    return min(times, default=None)
