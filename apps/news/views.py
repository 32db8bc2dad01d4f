"""Public pages of the newsroom. Every read goes through PressRelease.objects
(published() for lists, public_item() for a detail page), in a constant number
of queries whatever the number of releases, pictures or clusters."""

from functools import lru_cache

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Max, Min, Value
from django.db.models.expressions import RawSQL
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from apps.core.models import IndustryCluster
from apps.editorial.public import public_item
from apps.media.models import Attachment, Image, Rendition
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


def _for_display(releases) -> list:
    """Give each release (a list row, a neighbour, a related one) ``url``, ``published_iso``
    and ``published_day``: what the templates showed with ``get_absolute_url``,
    ``|date:'c'`` and ``|date:"Y-m-d"``, byte for byte, without a reverse() (~30 µs) and
    two date filters (~40 µs together) per row. The URL is formatted from the detail
    route's prefix, found once per call and checked against reverse() itself."""
    releases = [r for r in releases if r is not None]
    if not releases:
        return releases
    base = reverse("news:index")
    probe = {"year": 2000, "month": "01", "pk": 1}
    fast = reverse("news:detail", kwargs=probe) == f"{base}2000/01/1/"
    for release in releases:
        if fast and release.created_at is not None:
            created = timezone.localtime(release.created_at)
            release.url = f"{base}{created.year}/{created.month:02d}/{release.pk}/"
        else:
            release.url = release.get_absolute_url()
        published = release.first_published_at
        if published is None:
            release.published_iso = release.published_day = ""
        else:
            local = timezone.localtime(published)
            release.published_iso = local.isoformat()
            release.published_day = f"{local.year:04d}-{local.month:02d}-{local.day:02d}"
    return releases


LIST_FIELDS = ("id", "title", "summary", "source", "created_at", "first_published_at", "cover_image")
COVER_FIELDS = ("id", "alt_text", "status", "width", "height")


def _columns(model, names) -> list[str]:
    """Those of ``names`` in the model's field order (what Model.from_db() expects)."""
    return [f.attname for f in model._meta.concrete_fields if f.name in names or f.attname in names]


def _years_sql() -> list[int]:
    """_years() as one hand-written statement (PostgreSQL: no converters needed)."""
    table = PressRelease._meta.db_table
    published, params = _published_condition()
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT MIN("{table}"."first_published_at"), MAX("{table}"."first_published_at") '
            f'FROM "{table}" WHERE {published}', params,
        )
        first, last = cursor.fetchone()
    if first is None:
        return []
    first, last = timezone.localtime(first).year, timezone.localtime(last).year
    return list(range(last, first - 1, -1))


class _ListRows:
    """The list's releases for the Paginator on PostgreSQL: ``count()`` and a slice (the
    page's rows, its ids an index-only subquery) as hand-written SQL with the condition of
    ``published()``, ``in_cluster()`` and ``in_year()``; the rows are what ``list_rows()``
    reads. Compiling the same querysets through the ORM cost ~3 ms of Python a page,
    more than the queries. Same statements' results as the ORM path used on SQLite."""

    def __init__(self, cluster, year):
        table = PressRelease._meta.db_table
        published, params = _published_condition()
        where, params = [published], list(params)
        if cluster is not None:
            through = PressRelease.clusters.through._meta.db_table
            where.append(
                f'EXISTS (SELECT 1 FROM "{through}" U0 WHERE U0."industrycluster_id" = %s '
                f'AND U0."pressrelease_id" = "{table}"."id")'
            )
            params.append(cluster.pk)
        if year is not None:
            where.append(f'"{table}"."first_published_at" BETWEEN %s AND %s')
            params += connection.ops.year_lookup_bounds_for_datetime_field(year)
        self.table, self.where, self.params = table, " AND ".join(where), params

    def count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COUNT(*) FROM "{self.table}" WHERE {self.where}', self.params)
            return cursor.fetchone()[0]

    def __getitem__(self, window: slice) -> list:
        start, stop = window.start or 0, window.stop
        if stop is not None and stop <= start:
            return []
        table, cover = self.table, Image._meta.db_table
        names, cover_names = _columns(PressRelease, LIST_FIELDS), _columns(Image, COVER_FIELDS)
        columns = ", ".join([f'"{table}"."{n}"' for n in names] + [f'"{cover}"."{n}"' for n in cover_names])
        order = f'"{table}"."first_published_at" DESC, "{table}"."id" DESC'
        sql = (
            f'SELECT {columns} FROM "{table}" LEFT OUTER JOIN "{cover}" ON ("{table}"."cover_image_id" = "{cover}"."id") '
            f'WHERE "{table}"."id" IN (SELECT "{table}"."id" FROM "{table}" WHERE {self.where} '
            f"ORDER BY {order} LIMIT %s OFFSET %s) ORDER BY {order}"
        )
        rows = []
        with connection.cursor() as cursor:
            cursor.execute(sql, [*self.params, stop - start, start])
            for values in cursor.fetchall():
                release = PressRelease.from_db(connection.alias, names, values[:len(names)])
                image = None
                if release.cover_image_id is not None:
                    image = Image.from_db(connection.alias, cover_names, values[len(names):])
                release.cover_image = image
                rows.append(release)
        return rows


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
    if connection.vendor == "postgresql":
        years = _years_sql()
        page = Paginator(_ListRows(cluster, year), PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = _for_display(page.object_list)
    else:
        years = _years()
        # The page's ids (an index-only scan, cheap even 500 pages deep) as a subquery
        # of the statement that reads the page's rows: one round trip.
        page = Paginator(releases.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = _for_display(
            PressRelease.objects.published().filter(pk__in=page.object_list).list_rows().newest_first()
        )
    # The covers' square crops, as plain rows in one query.
    attach_renditions([r.cover_image for r in page.object_list], kind=Rendition.Kind.CROP)
    query = "&".join(
        part for part in (cluster and f"cluster={cluster.slug}", year and f"year={year}") if part
    )
    return render(request, "news/index.html", {
        "page": page, "releases": page.object_list, "clusters": clusters, "cluster": cluster,
        "years": years, "year": year, "filter_query": query, "active_column": "news",
    })


def _detail_queryset():
    """The release with its cover, and whether it has any videos or attachments: two
    EXISTS written as SQL (the ORM's Exists() costs ~0.5 ms of Python to compile here)."""
    table = PressRelease._meta.db_table

    def any_in(field):
        through = PressRelease._meta.get_field(field).remote_field.through._meta.db_table
        return RawSQL(f'EXISTS (SELECT 1 FROM "{through}" WHERE "{through}"."pressrelease_id" = "{table}"."id")', ())

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
    return render_release(request, release)


NEIGHBOUR_FIELDS = ("id", "title", "created_at", "first_published_at")


def _neighbour_columns() -> list[str]:
    """NEIGHBOUR_FIELDS in the model's field order, which Model.from_db() expects."""
    return [f.attname for f in PressRelease._meta.concrete_fields if f.attname in NEIGHBOUR_FIELDS]


@lru_cache(maxsize=1)
def _published_condition() -> tuple[str, tuple]:
    """The SQL condition of ``PressRelease.objects.published()``, compiled by the ORM
    once per process: the hand-written UNION below stays defined by it."""
    query = PressRelease.objects.published().query
    sql, params = query.where.as_sql(query.get_compiler(connection=connection), connection)
    return sql, tuple(params)


def _neighbours_sql(release, clusters) -> tuple[str, list]:
    """The three parts as one PostgreSQL statement. Written out because compiling the
    same UNION ALL through the ORM (three querysets, annotations, slices) cost ~1.5 ms
    of Python per page, three times the query itself."""
    table = PressRelease._meta.db_table
    through = PressRelease.clusters.through._meta.db_table
    published, published_params = _published_condition()
    columns = ", ".join(f'"{table}"."{name}"' for name in _neighbour_columns())
    newest_first = f'"{table}"."first_published_at" DESC, "{table}"."id" DESC'
    oldest_first = f'"{table}"."first_published_at" ASC, "{table}"."id" ASC'
    parts, params = [], []
    if release.first_published_at is not None:
        for slot, op, order in (("older", "<", newest_first), ("newer", ">", oldest_first)):
            parts.append(
                f"(SELECT %s, {columns} FROM \"{table}\" WHERE {published} "
                f'AND "{table}"."first_published_at" {op} %s ORDER BY {order} LIMIT 1)'
            )
            params += [slot, *published_params, release.first_published_at]
    if clusters:
        parts.append(
            f"(SELECT %s, {columns} FROM \"{table}\" WHERE {published} AND \"{table}\".\"id\" <> %s "
            f'AND "{table}"."id" IN (SELECT "pressrelease_id" FROM "{through}" WHERE "industrycluster_id" = ANY(%s)) '
            f"ORDER BY {newest_first} LIMIT %s)"
        )
        params += ["related", *published_params, release.pk, [c.pk for c in clusters], RELATED_COUNT]
    return " UNION ALL ".join(parts), params


def _neighbours_and_related(release, clusters):
    """The older and newer release and up to four related ones (sharing a cluster): on
    PostgreSQL one UNION ALL of three index walks, each stopping at its limit; elsewhere
    (SQLite allows no LIMIT inside a compound statement) one ORM query each."""
    if connection.vendor == "postgresql":
        sql, params = _neighbours_sql(release, clusters)
        if not sql:
            return None, None, []
        names = _neighbour_columns()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = []
            for slot, *values in cursor.fetchall():
                row = PressRelease.from_db(connection.alias, names, values)
                row.slot = slot
                rows.append(row)
    else:
        published = PressRelease.objects.published().only(*NEIGHBOUR_FIELDS)
        parts = []
        if release.first_published_at is not None:
            parts.append(published.filter(first_published_at__lt=release.first_published_at).newest_first()
                         .annotate(slot=Value("older"))[:1])
            parts.append(published.filter(first_published_at__gt=release.first_published_at)
                         .order_by("first_published_at", "pk").annotate(slot=Value("newer"))[:1])
        if clusters:
            parts.append(published.related_to(release, clusters).annotate(slot=Value("related"))[:RELATED_COUNT])
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
    clusters = list(release.clusters.ordered())
    older, newer, related = _neighbours_and_related(release, clusters)
    _for_display([older, newer, *related])
    return render(request, "news/detail.html", {
        "release": release, "gallery": gallery, "videos": videos, "attachments": attachments,
        "clusters": clusters, "older": older, "newer": newer, "related": related, "preview": preview,
        "active_column": "news",
    })


@require_safe
def attachment(request, pk: int, attachment_id: int):
    """A release's attachment, to anyone who may read the release (staff: any)."""
    found = Attachment.objects.filter(pk=attachment_id).first()
    if found is None:
        raise Http404
    public = PressRelease.objects.viewable().filter(pk=pk, attachments=found).exists()
    if not public and not request.user.has_perm("media.view_attachment"):
        raise Http404
    return attachment_response(found)
