"""Revision lookups at a million revisions (issue 3).

Builds a scratch PostgreSQL database with 10,000 pages x 100 revisions each
(1,000,000 rows), then times, interleaved in the same run:
  ref      Page.objects.get(pk=...)                          (a primary-key lookup)
  latest   Page.objects.select_related("latest_revision")... (the FK the engine keeps)
  history  Revision.objects.filter(item).order_by("-id")[:15]  (the admin's list)
Ratios against ref; target: latest <= 2x, history <= 3x, and history is an index scan.

Usage: python bench/revisions/run.py [--pages 10000 --per-page 100]
Needs PostgreSQL on 127.0.0.1:5432 (trust auth), like CI.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DB = "parkportal_bench_revisions"
ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"


def recreate_database():
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB} ENCODING 'UTF8' TEMPLATE template0")


def drop_database():
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--per-page", type=int, default=100)
    parser.add_argument("--lookups", type=int, default=3000)
    args = parser.parse_args()

    recreate_database()
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkportal.settings.dev")
    os.environ["REDIS_URL"] = ""
    import django

    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0)
        from apps.accounts.models import User
        from apps.editorial.models import Revision
        from apps.pages.models import Page

        user = User.objects.create(username="bench")
        ct = ContentType.objects.get_for_model(Page).pk
        total = args.pages * args.per_page
        started = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(
                """
                INSERT INTO pages_page (created_at, updated_at, created_by_id, status, visibility, sensitivity,
                    awaiting_retrospective_review, withdrawal_note, redirect_url, schedule_error, media_text,
                    title, slug, column_type, summary, keywords, body, content_source, position)
                SELECT now(), now(), %s, 'draft', 'none', 'normal', false, '', '', '', '{}',
                       '页面 ' || g, 'page-' || g, '概况信息', '', '', '<p>正文</p>', '', 0
                FROM generate_series(1, %s) g
                """,
                [user.pk, args.pages],
            )
            cur.execute(
                """
                INSERT INTO editorial_revision (content_type_id, object_id, number, kind, created_at, created_by_id,
                    summary, snapshot)
                SELECT %s, p.id::text, n, 'edit', now(), %s, '',
                       jsonb_build_object('fields', jsonb_build_object('title', '页面 ' || p.id || ' v' || n))
                FROM pages_page p CROSS JOIN generate_series(1, %s) n
                """,
                [ct, user.pk, args.per_page],
            )
            cur.execute(
                """
                UPDATE pages_page p SET latest_revision_id = r.id
                FROM (SELECT DISTINCT ON (object_id) object_id, id FROM editorial_revision
                      ORDER BY object_id, id DESC) r
                WHERE r.object_id = p.id::text
                """
            )
            cur.execute("ANALYZE")
        built = time.perf_counter() - started
        assert Revision.objects.count() == total

        pks = list(Page.objects.values_list("pk", flat=True))
        rng = random.Random(7)
        samples = {"ref": [], "latest": [], "history": []}

        def ref(pk):
            return Page.objects.get(pk=pk).title

        def latest(pk):
            return Page.objects.select_related("latest_revision").get(pk=pk).latest_revision.number

        def history(pk):
            return list(Revision.objects.filter(content_type_id=ct, object_id=str(pk)).order_by("-id")[:15])

        for pk in rng.sample(pks, min(200, len(pks))):  # warm up
            ref(pk), latest(pk), history(pk)
        for _ in range(args.lookups):
            pk = rng.choice(pks)
            for name, fn in (("ref", ref), ("latest", latest), ("history", history)):
                t0 = time.perf_counter()
                result = fn(pk)
                samples[name].append(time.perf_counter() - t0)
            assert result and len(result) == 15

        with connection.cursor() as cur:
            cur.execute(
                "EXPLAIN SELECT * FROM editorial_revision WHERE content_type_id = %s AND object_id = %s ORDER BY id DESC LIMIT 15",
                [ct, str(pks[len(pks) // 2])],
            )
            plan = "\n".join(r[0] for r in cur.fetchall())
        uses_index = "Index Scan" in plan or "Index Only Scan" in plan

        def ms(values, q):
            values = sorted(values)
            return 1000 * values[min(len(values) - 1, int(q * len(values)))]

        print(f"revisions={total:,} pages={args.pages:,} built in {built:.1f}s")
        print(f"{'lookup':<10}{'p50 ms':>10}{'p99 ms':>10}")
        for name in samples:
            print(f"{name:<10}{ms(samples[name], .5):>10.3f}{ms(samples[name], .99):>10.3f}")
        print("history plan:\n  " + plan.replace("\n", "\n  "))
        ref50 = statistics.median(samples["ref"])
        latest_ratio = statistics.median(samples["latest"]) / ref50
        history_ratio = statistics.median(samples["history"]) / ref50
        ok = latest_ratio <= 2 and history_ratio <= 3 and uses_index
        print(
            f"BENCH revisions revisions={total} latest_ratio={latest_ratio:.2f} history_ratio={history_ratio:.2f} "
            f"ref_p50_ms={1000 * ref50:.3f} index_scan={'yes' if uses_index else 'no'} "
            f"target=latest<=2,history<=3,index_scan {'PASS' if ok else 'FAIL'}"
        )
        return 0 if ok else 1
    finally:
        connection.close()
        drop_database()


if __name__ == "__main__":
    sys.exit(main())
