"""Public pages of the newsroom. Every read goes through PressRelease.objects
(published() for lists, public_item() for a detail page), in a constant number
of queries whatever the number of releases, pictures or clusters."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, Max, Min, OuterRef, Value
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from apps.core import viewcounts
from apps.core.models import IndustryCluster
from apps.editorial.media_text import show_reviewed_text
from apps.editorial.public import public_item
from apps.media.models import Attachment, Rendition
from apps.media.templatetags.media_tags import attach_renditions
from apps.media.views import attachment_response

from .models import PressRelease

PAGE_SIZE = getattr(settings, "PARKPORTAL_NEWS_PAGE_SIZE", 20)
RELATED_COUNT = 4


def _year(value):
    """A year filter from the query string; anything else (garbage, year 0, a
    number past what a date can hold) is no filter, never a 500."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 1949 <= year <= 9999 else None


def _years() -> list[int]:
    """Years to filter by: from the newest release back to the oldest (two index lookups,
    where DISTINCT over every row's year would read the whole table)."""
    span = PressRelease.objects.published().aggregate(first=Min("first_published_at"), last=Max("first_published_at"))
    if span["first"] is None:
        return []
    first, last = timezone.localtime(span["first"]).year, timezone.localtime(span["last"]).year
    return list(range(last, first - 1, -1))


@require_safe
def index(request):
    releases = PressRelease.objects.published().newest_first()
    clusters = list(IndustryCluster.objects.ordered())
    cluster = next((c for c in clusters if c.slug == request.GET.get("cluster")), None)
    year = _year(request.GET.get("year"))
    if cluster is not None:
        releases = releases.in_cluster(cluster)
    if year is not None:
        releases = releases.in_year(year)
    years = _years()
    # The page's ids (an index-only scan, cheap even 500 pages deep) as a subquery
    # of the statement that reads the page's rows: one round trip.
    page = Paginator(releases.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(
        PressRelease.objects.published().filter(pk__in=page.object_list).list_rows().newest_first()
    )
    # The covers' square crops, as plain rows in one query.
    attach_renditions([r.cover_image for r in page.object_list], kind=Rendition.Kind.CROP)
    for release in page.object_list:
        show_reviewed_text(release, release.cover_image)
    query = "&".join(
        part for part in (cluster and f"cluster={cluster.slug}", year and f"year={year}") if part
    )
    return render(request, "news/index.html", {
        "page": page, "releases": page.object_list, "clusters": clusters, "cluster": cluster,
        "years": years, "year": year, "filter_query": query, "active_column": "news",
    })


def _detail_queryset():
    """The release with its cover, and whether it has any videos or attachments (two
    EXISTS, so a release without them costs no query for them)."""

    def any_in(field):
        through = PressRelease._meta.get_field(field).remote_field.through
        return Exists(through.objects.filter(pressrelease_id=OuterRef("pk")))

    return PressRelease.objects.select_related("cover_image").annotate(
        has_videos=any_in("videos"), has_attachments=any_in("attachments")
    )


@require_safe
def detail(request, year: int, month: int, pk: int):
    release, gone = public_item(request, _detail_queryset(), pk=pk)
    if gone is not None:
        return gone
    created = timezone.localtime(release.created_at)
    if (created.year, created.month) != (year, month):
        return HttpResponsePermanentRedirect(release.get_absolute_url())
    return viewcounts.mark(render_release(request, release), release)


NEIGHBOUR_FIELDS = ("pk", "title", "created_at", "first_published_at")


def _neighbours_and_related(release, clusters):
    """The older and newer release and up to four related ones (sharing a cluster): one
    UNION ALL of three index walks, each stopping at its limit, where the database
    allows a LIMIT inside a compound statement (PostgreSQL); else one query each (SQLite)."""
    published = PressRelease.objects.published().only(*NEIGHBOUR_FIELDS)
    parts = []
    if release.first_published_at is not None:
        parts.append(
            published.filter(first_published_at__lt=release.first_published_at).newest_first()
            .annotate(slot=Value("older"))[:1]
        )
        parts.append(
            published.filter(first_published_at__gt=release.first_published_at)
            .order_by("first_published_at", "pk").annotate(slot=Value("newer"))[:1]
        )
    if clusters:
        parts.append(published.related_to(release, clusters).annotate(slot=Value("related"))[:RELATED_COUNT])
    if not parts:
        return None, None, []
    if len(parts) > 1 and connection.features.supports_slicing_ordering_in_compound:
        rows = list(parts[0].union(*parts[1:], all=True))
    else:
        rows = [row for part in parts for row in part]
    found = {"older": None, "newer": None}
    related = []
    for row in rows:
        if row.slot == "related":
            related.append(row)
        else:
            found[row.slot] = row
    related.sort(key=lambda r: (r.first_published_at, r.pk), reverse=True)  # newest first, as queried
    return found["older"], found["newer"], related


def render_release(request, release, *, preview: bool = False):
    """The public page; also renders any revision for staff preview (same template)."""
    gallery = list(release.gallery_items.select_related("image"))
    # One renditions query for the cover and every gallery picture (their width renditions).
    attach_renditions([release.cover_image, *(item.image for item in gallery)], kind=Rendition.Kind.WIDTH)
    # The public detail query says whether there are any videos or attachments
    # (EXISTS): none, no query. A preview's release is read without it: ask.
    videos = list(release.videos.order_by("pk")) if getattr(release, "has_videos", True) else []
    attachments = list(release.attachments.order_by("pk")) if getattr(release, "has_attachments", True) else []
    # The alt text, captions and titles the reviewed version carries, not the library's.
    show_reviewed_text(release, release.cover_image, [item.image for item in gallery], videos, attachments)
    clusters = list(release.clusters.ordered())
    older, newer, related = _neighbours_and_related(release, clusters)
    return render(request, "news/detail.html", {
        "release": release, "gallery": gallery, "videos": videos, "attachments": attachments,
        "clusters": clusters, "older": older, "newer": newer, "related": related, "preview": preview,
        "active_column": "news", "views": viewcounts.count_of(release),
    })


@require_safe
def attachment(request, pk: int, attachment_id: int):
    """A release's attachment, to anyone who may read the release (staff: any)."""
    found = Attachment.objects.filter(pk=attachment_id).first()
    if found is None:
        raise Http404
    release = PressRelease.objects.viewable().filter(pk=pk, attachments=found).only("pk", "media_text").first()
    if release is None and not request.user.has_perm("media.view_attachment"):
        raise Http404
    if release is not None:
        show_reviewed_text(release, found)  # the download name is the reviewed title
    return attachment_response(found)
