"""Benchmark the newsroom's public pages on PostgreSQL with 10,000 published releases.

A scratch database (``parkportal_bench_pages_<pid>``) is created, migrated,
filled fast with bulk inserts (10,000 live releases over three years, each with
a cover image whose 15 rendition rows exist, three clusters, a gallery of two),
measured and dropped. Pages are requested through Django's test client with the
whole middleware stack (script conversion included), uncached:

    list     /news/ page 1, a page deep in the list, and filtered by cluster and year
    detail   a different release each time (gallery, related by cluster, prev/next)
    ref      a trivial view (HttpResponse("ok")) through the same stack: the floor
    shell    an empty page extending base.html (header, navigation, 47号 footer): the
             site shell every public page pays for

It reports the SQL query count of every page (it must be the same on every
URL of a kind: constant, not growing with the data), counted in an untimed pass,
and p50/p99 render time with the ratio to the reference measured in the same run.
The timed requests run without query capture (Django's debug cursor formats and
logs every statement) and with the warmed-up heap frozen out of the garbage
collector (``gc.freeze()``), as a long-running worker's steady state.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/pages/run.py [--releases 10000]

The last line is machine-readable:

    BENCH pages releases=10000 list_queries=<n> detail_queries=<n> list_p50_ms=.. list_p99_ms=..
          detail_p50_ms=.. detail_p99_ms=.. ref_p99_ms=.. target=p99<=15ms,constant_queries PASS|FAIL
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TARGET_P99_MS = 15.0


def scratch_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def admin_connect(base: str):
    import psycopg

    return psycopg.connect(scratch_url(base, "postgres"), autocommit=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=400, help="timed requests per page kind")
    args = parser.parse_args(argv)

    base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    if not base.startswith(("postgres://", "postgresql://")):
        print("bench/pages/run.py needs a PostgreSQL DATABASE_URL")
        return 2
    name = f"parkportal_bench_pages_{os.getpid()}"
    with admin_connect(base) as conn:
        conn.execute(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0')
    os.environ["DATABASE_URL"] = scratch_url(base, name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkportal.settings.test")
    try:
        return run(args.releases, args.requests)
    finally:
        from django.db import connections

        connections.close_all()
        with admin_connect(base) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- data ----------------------------------------------------------------------------------

BODY = (
    "<p>乌鲁木齐高新区（新市区）以现代服务业为支柱，培育生物医药与大健康、新一代信息技术和新材料三大主导产业。</p>"
    "<h2>项目进展</h2><p>园区服务专员全程跟进项目建设，协调解决用电、用工和融资等问题。</p>" * 6
)


def fill(count: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.core.models import IndustryCluster
    from apps.editorial.models import Status, Visibility
    from apps.media.models import Image, Rendition
    from apps.media.models import Status as MediaStatus
    from apps.news.models import GalleryItem, PressRelease

    rnd = random.Random(42)
    editor = User.objects.create_user("bench-editor", password="x", is_staff=True)
    clusters = list(IndustryCluster.objects.all())
    now = timezone.now()
    with transaction.atomic():
        images = Image.objects.bulk_create([
            Image(title=f"图片{i}", alt_text=f"园区图片{i}", caption="说明", content_hash=f"{i:064x}",
                  original=f"originals/images/{i:02x}/{i:064x}.jpg", format="jpeg", width=1600, height=1000,
                  status=MediaStatus.READY, created_by=editor, updated_by=editor)
            for i in range(200)
        ])
        Rendition.objects.bulk_create([
            Rendition(image=image, kind=kind, size=size, format=fmt, width=w, height=h,
                      file=f"renditions/{image.content_hash[:2]}/{image.content_hash[:16]}/{kind[0]}{size}.{fmt}",
                      size_bytes=1000)
            for image in images
            for kind, size, w, h in (("width", 320, 320, 200), ("width", 640, 640, 400),
                                     ("width", 1280, 1280, 800), ("crop", 400, 400, 400))
            for fmt in ("avif", "webp", "jpeg")
        ])
        releases = []
        for i in range(count):
            published = now - timedelta(minutes=150 * (count - i)) - timedelta(seconds=rnd.randrange(60))
            releases.append(PressRelease(
                title=f"园区新闻第{i}条：新材料企业扩大产能", subtitle="副标题", summary="一条园区新闻的摘要。",
                body=BODY, cover_image=images[i % len(images)], source="高新区管委会", authors="宣传科",
                responsible_editor="李编辑", keywords="新材料,园区", status=Status.PUBLISHED,
                visibility=Visibility.LIVE, first_published_at=published, public_updated_at=published,
                created_by=editor, updated_by=editor,
            ))
        releases = PressRelease.objects.bulk_create(releases, batch_size=2000)
        through = PressRelease.clusters.through
        through.objects.bulk_create([
            through(pressrelease_id=r.pk, industrycluster_id=clusters[(i + k) % len(clusters)].pk)
            for i, r in enumerate(releases) for k in range(min(3, len(clusters)))
        ], batch_size=5000)
        GalleryItem.objects.bulk_create([
            GalleryItem(release=r, position=k, image=images[(i + k + 1) % len(images)], caption=f"组图{k}")
            for i, r in enumerate(releases) for k in range(2)
        ], batch_size=5000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # the steady state autovacuum keeps a live database in


# --- measuring ---------------------------------------------------------------------------------

def percentile(values, q):
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def measure(client, urls, n):
    """Query counts in an untimed pass over every URL (capturing turns on Django's debug
    cursor, which formats and logs every statement: it must not be in the timed loop), then
    n timed requests with the garbage collector's long-lived objects frozen after warm-up
    (a full collection over the whole Django heap is not the page's work)."""
    import gc

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    for url in urls[:20]:  # warm up: templates, connections, site settings
        client.get(url)
    queries = set()
    for url in urls:
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        queries.add(len(ctx.captured_queries))
    gc.collect()
    gc.freeze()
    times = []
    try:
        for i in range(n):
            url = urls[i % len(urls)]
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, (url, response.status_code)
            times.append(elapsed * 1000)
    finally:
        gc.unfreeze()
    return times, queries


def run(count: int, n: int) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"scratch database migrated in {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    fill(count)
    print(f"{count} published releases created in {time.perf_counter() - started:.1f}s")

    from apps.core.models import IndustryCluster
    from apps.news.models import PressRelease

    rnd = random.Random(7)
    pks = list(PressRelease.objects.published().values_list("pk", flat=True))
    details = [PressRelease.objects.get(pk=pk).get_absolute_url() for pk in rnd.sample(pks, min(200, len(pks)))]
    cluster = IndustryCluster.objects.first()
    year = PressRelease.objects.published().latest("first_published_at").first_published_at.year
    pages = count // 20
    lists = ["/news/", f"/news/?page={max(1, pages // 2)}", f"/news/?page={pages}",
             f"/news/?cluster={cluster.slug}", f"/news/?year={year}", f"/news/?cluster={cluster.slug}&year={year}&page=3"]

    client = Client()
    with override_settings(ROOT_URLCONF="bench.pages.urls", DEBUG=False):
        ref_times, _ = measure(client, ["/bench-trivial/"], n)
        shell_times, _ = measure(client, ["/bench-shell/"], n)
        list_times, list_queries = measure(client, lists, n)
        detail_times, detail_queries = measure(client, details, n)
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
          f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}, {n} requests per kind")
    print(f"{'page':<8}{'queries':>10}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}{'p99/ref':>10}")
    ref_p99 = percentile(ref_times, 0.99)
    rows = (("ref", {0}, ref_times), ("shell", {0}, shell_times), ("list", list_queries, list_times), ("detail", detail_queries, detail_times))
    for label, queries, times in rows:
        print(f"{label:<8}{'/'.join(map(str, sorted(queries))):>10}{statistics.median(times):>10.2f}"
              f"{percentile(times, 0.99):>10.2f}{max(times):>10.2f}{percentile(times, 0.99) / ref_p99:>10.1f}")
    constant = len(list_queries) == 1 and len(detail_queries) == 1
    list_p99, detail_p99 = percentile(list_times, 0.99), percentile(detail_times, 0.99)
    ok = constant and list_p99 <= TARGET_P99_MS and detail_p99 <= TARGET_P99_MS
    print(
        f"BENCH pages releases={count} list_queries={'/'.join(map(str, sorted(list_queries)))} "
        f"detail_queries={'/'.join(map(str, sorted(detail_queries)))} "
        f"list_p50_ms={statistics.median(list_times):.2f} list_p99_ms={list_p99:.2f} "
        f"detail_p50_ms={statistics.median(detail_times):.2f} detail_p99_ms={detail_p99:.2f} "
        f"ref_p99_ms={ref_p99:.2f} shell_p99_ms={percentile(shell_times, 0.99):.2f} target=p99<={TARGET_P99_MS:g}ms,constant_queries {'PASS' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
