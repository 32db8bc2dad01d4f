"""Benchmark the newsroom's public pages on PostgreSQL with 10,000 published releases:
uncached render, the page cache against a static file, and publish-to-visible.

A scratch database (``parkportal_bench_pages_<pid>``) is created, migrated, filled
fast with bulk inserts (10,000 live releases over three years, each with a cover
image whose rendition rows exist, three clusters, a gallery of two), measured and
dropped. The cache is Redis (``REDIS_URL``, default ``redis://127.0.0.1:6379/2``;
its database is flushed first).

1. **Uncached** (information): Django's test client through the whole middleware
   stack with the page cache off; the SQL query count of every URL (constant: the
   same on every URL of a kind) and p50/p99 render time.
       list     /news/ page 1, a page deep in the list, filtered by cluster and year
       detail   a different release each time (gallery, related by cluster, prev/next)
2. **Cached req/s**: gunicorn as in the Procfile (2 workers x 2 threads, whitenoise)
   on loopback, and ``wrk`` (Debian: ``apt-get install wrk``) on loopback, for a
   fixed time each, three rounds alternating: a static file (``/static/css/portal.css``
   through whitenoise), the list page and a detail page as an anonymous reader (page
   cache hits). Target: each page's best round >= half the static file's best round.
3. **Publish to visible**: a release taken through the workflow with the engine's
   actions (``apps.editorial.actions.publish`` last), then ``/news/`` polled through
   gunicorn until its title appears. Target <= 2 s. This needs the engine's actions
   to call ``apps.core.pagecache.content_changed()``; without it the cached list is
   stale until its lifetime ends and the line says so.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/pages/run.py [--releases 10000]

The last line is machine-readable:

    BENCH pages releases=10000 list_queries=<n> detail_queries=<n> list_p50_ms=.. list_p99_ms=..
          detail_p50_ms=.. detail_p99_ms=.. static_rps=.. list_cached_rps=.. detail_cached_rps=..
          publish_visible_s=.. target=cached_rps>=0.5*static,publish_visible<=2s PASS|FAIL
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench._common import (  # noqa: E402
    STATIC_PATH, fetch, fill_releases, free_port, percentile, postgres_base_url, scratch_database, start_gunicorn,
)

TARGET_CACHED_RATIO = 0.5
TARGET_VISIBLE_S = 2.0
VISIBLE_GIVE_UP_S = 30.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300, help="uncached timed requests per page kind")
    parser.add_argument("--seconds", type=float, default=4.0, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    args = parser.parse_args(argv)

    base = postgres_base_url("bench/pages/run.py")
    if base is None:
        return 2
    if shutil.which("wrk") is None:
        print("bench/pages/run.py needs wrk on the PATH (Debian: apt-get install wrk)")
        return 2
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/2")
    os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/10")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkportal.settings.test")
    with scratch_database(base, f"parkportal_bench_pages_{os.getpid()}"):
        return run(args)


# --- measuring ---------------------------------------------------------------------------------

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


# --- the server and the load generator ------------------------------------------------------

def wrk(url: str, seconds: float, connections: int) -> float:
    """Requests per second of a fixed-time wrk run; non-2xx answers make it fail."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds:g}s", url], capture_output=True, text=True, check=True
    ).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"wrk saw errors on {url}:\n{out}")
    return float(re.search(r"Requests/sec:\s*([\d.]+)", out).group(1))


# --- publish to visible -------------------------------------------------------------------------

def publish_to_visible(base_url: str) -> float | None:
    """Seconds from publish() returning (committed) until /news/ shows the release,
    or None if it did not within VISIBLE_GIVE_UP_S."""
    from django.contrib.auth.models import Group

    from apps.accounts.models import User
    from apps.accounts.roles import ROLES
    from apps.editorial import actions as editorial
    from apps.news.models import PressRelease

    def person(name, role):
        user = User.objects.create_user(name, password="irrelevant-password-123", is_staff=True,
                                        email=f"{name}@example.gov.cn")
        user.groups.set(Group.objects.filter(name=ROLES[role].group_name))
        return user

    editor, reviewer = person("pv-editor", "editor"), person("pv-reviewer", "reviewer")
    publisher, publisher2 = person("pv-publisher", "publisher"), person("pv-publisher2", "publisher")
    title = f"发布即可见测试稿件{os.getpid()}"
    release = editorial.create_draft(PressRelease, by=editor, fields={
        "title": title, "summary": "基准测试。", "body": "<p>基准测试。</p>", "responsible_editor": "李编辑",
        "source": "高新区管委会",
    })
    editorial.submit(release, by=editor)
    editorial.approve(release, by=reviewer)
    editorial.approve(release, by=publisher, publish=False)  # held: the publish below is what is timed
    status, headers, body = fetch(f"{base_url}/news/")
    assert status == 200 and title not in body.decode()
    assert fetch(f"{base_url}/news/")[1].get("X-Page-Cache") == "hit", "the list page is not cached"
    editorial.publish(release, by=publisher2)
    published = time.perf_counter()
    while time.perf_counter() - published < VISIBLE_GIVE_UP_S:
        if title in fetch(f"{base_url}/news/")[2].decode():
            return time.perf_counter() - published
        time.sleep(0.05)
    return None


def run(args) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    cache.clear()  # this run's Redis database: no page or generation from an earlier run
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"scratch database migrated in {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    fill_releases(args.releases)
    print(f"{args.releases} published releases created in {time.perf_counter() - started:.1f}s")

    from apps.core.models import IndustryCluster
    from apps.news.models import PressRelease

    rnd = random.Random(7)
    pks = list(PressRelease.objects.published().values_list("pk", flat=True))
    details = [PressRelease.objects.get(pk=pk).get_absolute_url() for pk in rnd.sample(pks, min(200, len(pks)))]
    cluster = IndustryCluster.objects.first()
    year = PressRelease.objects.published().latest("first_published_at").first_published_at.year
    pages = args.releases // 20
    lists = ["/news/", f"/news/?page={max(1, pages // 2)}", f"/news/?page={pages}",
             f"/news/?cluster={cluster.slug}", f"/news/?year={year}", f"/news/?cluster={cluster.slug}&year={year}&page=3"]

    # 1. Uncached, in process.
    client = Client()
    with override_settings(PARKPORTAL_PAGECACHE_ENABLED=False, DEBUG=False):
        list_times, list_queries = measure(client, lists, args.requests)
        detail_times, detail_queries = measure(client, details, args.requests)
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
          f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}, "
          f"{args.requests} uncached requests per kind (test client, page cache off)")
    print(f"{'page':<8}{'queries':>10}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for label, queries, times in (("list", list_queries, list_times), ("detail", detail_queries, detail_times)):
        print(f"{label:<8}{'/'.join(map(str, sorted(queries))):>10}{statistics.median(times):>10.2f}"
              f"{percentile(times, 0.99):>10.2f}{max(times):>10.2f}")

    # 2. Cached req/s against a static file, same server, same run.
    from django.db import connections

    connections.close_all()
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port)
    try:
        targets = {"static": STATIC_PATH, "list": "/news/", "detail": details[0]}
        for label in ("list", "detail"):
            fetch(base_url + targets[label])  # store it
            assert fetch(base_url + targets[label])[1].get("X-Page-Cache") == "hit", label
        rounds = {label: [] for label in targets}
        for _ in range(3):
            for label, path in targets.items():
                rounds[label].append(wrk(base_url + path, args.seconds, args.connections))
        best = {label: max(values) for label, values in rounds.items()}
        print(f"wrk on loopback, {args.connections} connections, {args.seconds:g} s a run, best of 3 "
              f"(gunicorn 2 workers x 2 threads; the page cache in Redis); "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs:")
        for label, values in rounds.items():
            ratio = best[label] / best["static"]
            print(f"  {label:<8}{targets[label]:<32} req/s {' '.join(f'{v:8.0f}' for v in values)}"
                  f"   best {best[label]:8.0f}  x{ratio:.2f} of static")

        # 3. Publish to visible.
        visible = publish_to_visible(base_url)
        print("publish to visible: " + (f"{visible:.2f} s" if visible is not None
                                         else f"not visible after {VISIBLE_GIVE_UP_S:g} s (FAIL)"))
    finally:
        server.terminate()
        server.wait(timeout=20)

    constant = len(list_queries) == 1 and len(detail_queries) == 1
    cached_ok = all(best[label] >= TARGET_CACHED_RATIO * best["static"] for label in ("list", "detail"))
    visible_ok = visible is not None and visible <= TARGET_VISIBLE_S
    ok = constant and cached_ok and visible_ok
    print(
        f"BENCH pages releases={args.releases} list_queries={'/'.join(map(str, sorted(list_queries)))} "
        f"detail_queries={'/'.join(map(str, sorted(detail_queries)))} "
        f"list_p50_ms={statistics.median(list_times):.2f} list_p99_ms={percentile(list_times, 0.99):.2f} "
        f"detail_p50_ms={statistics.median(detail_times):.2f} detail_p99_ms={percentile(detail_times, 0.99):.2f} "
        f"static_rps={best['static']:.0f} list_cached_rps={best['list']:.0f} detail_cached_rps={best['detail']:.0f} "
        f"publish_visible_s={'%.2f' % visible if visible is not None else 'never'} "
        f"target=cached_rps>={TARGET_CACHED_RATIO:g}*static,publish_visible<={TARGET_VISIBLE_S:g}s,constant_queries "
        f"{'PASS' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
