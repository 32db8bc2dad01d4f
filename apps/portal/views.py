from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.urls import reverse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from django.utils import timezone

from apps.core.models import IndustryCluster
from apps.interaction.models import Consultation
from apps.policies.models import PolicyDocument
from apps.news.models import PressRelease
from apps.pages.models import Page
from apps.stations.hours import open_now
from apps.talent.models import ApplicationRound

from .navigation import COLUMNS_BY_KEY, MAIN_NAVIGATION


HOME_NEWS = 8
HOME_ROUNDS = 6
HOME_STATIONS = 6
HOME_POLICIES = 5
HOME_CONSULTATIONS = 5


@require_safe
def home(request):
    now = timezone.now()
    return render(
        request,
        "portal/home.html",
        {
            "clusters": list(IndustryCluster.objects.ordered()),
            # Latest news (the inspection's "home page updated within two weeks"): one query.
            "news": list(PressRelease.objects.published().newest_first()
                         .only("pk", "title", "created_at", "first_published_at")[:HOME_NEWS]),
            "pages": list(Page.objects.published().filter(parent__isnull=True).in_menu_order()[:8]),
            "columns": MAIN_NAVIGATION,
            # Computed at the request's moment; the page cache expires them at the next
            # opening or closing (the talent and stations next-change providers).
            "rounds": ApplicationRound.objects.public().open_at(now).select_related("programme")
            .soonest_closing_first()[:HOME_ROUNDS],
            "stations": open_now(now, limit=HOME_STATIONS),
            "policies": list(PolicyDocument.objects.published().list_rows().newest_first()[:HOME_POLICIES]),
            "consultations": list(Consultation.objects.published().newest_first()
                                  .only("pk", "subject", "department", "first_published_at")[:HOME_CONSULTATIONS]),
            "now": now,
        },
    )


#: Crawlers keep out of the admin, previews and the enterprise accounts.
ROBOTS_DISALLOW = ("/admin/", "/preview/", "/zh-hant/preview/", "/account/", "/zh-hant/account/")


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW),
             f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request):
    """/favicon.ico, which browsers ask for whatever the page links: the static file."""
    path = finders.find("favicon.ico")
    if path is None:
        raise Http404
    response = FileResponse(open(path, "rb"), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def coming_soon(request, key: str):
    column = COLUMNS_BY_KEY.get(key)
    if column is None:
        raise Http404
    return render(request, "portal/coming_soon.html", {"column": column, "active_column": column.key})


def _from_this_site(request) -> bool:
    """The form was posted from one of our pages: Origin, else Referer, names this host
    (a browser that sends neither is let through: the worst a forged post can do is
    change the text size)."""
    source = request.META.get("HTTP_ORIGIN") or request.META.get("HTTP_REFERER")
    if not source:
        return True
    parsed = urlsplit(source)  # "null" (a sandboxed frame) has no host: refused
    return parsed.scheme in ("http", "https") and parsed.netloc == request.get_host()


@csrf_exempt
@require_POST
def set_elder_mode(request):
    """Turn elder mode (适老化) on or off; remembered in a cookie, works without JS.

    Exempt from the CSRF token so that the toggle on every page carries no per-reader
    token and the page can be cached whole (docs/ARCHITECTURE.md, "Page cache"); a
    post from another site is refused by its Origin or Referer instead.
    """
    if not _from_this_site(request):
        return HttpResponseForbidden(gettext("请从本网站页面切换长者模式。"))
    turn_on = request.POST.get("on") == "1"
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if turn_on:
        response.set_cookie(
            settings.PARKPORTAL_ELDER_COOKIE,
            "1",
            max_age=settings.PARKPORTAL_ELDER_COOKIE_MAX_AGE,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
    else:
        response.delete_cookie(settings.PARKPORTAL_ELDER_COOKIE, samesite="Lax")
    return response
