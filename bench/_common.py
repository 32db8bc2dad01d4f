"""What several benchmarks share: a scratch PostgreSQL database, fast bulk loading of
published press releases, gunicorn on loopback, fetching and percentiles.

Used by bench/pages/run.py and bench/load/run.py (``sys.path`` holds the repository
root, so ``from bench._common import ...``).
"""

from __future__ import annotations

import contextlib
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
STATIC_PATH = "/static/css/portal.css"


# --- the scratch database ------------------------------------------------------------------------

def scratch_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def admin_connect(base: str):
    import psycopg

    return psycopg.connect(scratch_url(base, "postgres"), autocommit=True)


def postgres_base_url(script: str) -> str | None:
    """DATABASE_URL (default: the local server's postgres database), or None with a message."""
    base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    if not base.startswith(("postgres://", "postgresql://")):
        print(f"{script} needs a PostgreSQL DATABASE_URL")
        return None
    return base


@contextlib.contextmanager
def scratch_database(base: str, name: str):
    """Create ``name`` on the server of ``base``, point DATABASE_URL at it, drop it afterwards."""
    with admin_connect(base) as conn:
        conn.execute(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0')
    os.environ["DATABASE_URL"] = scratch_url(base, name)
    try:
        yield os.environ["DATABASE_URL"]
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        with admin_connect(base) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- data ----------------------------------------------------------------------------------------

BODY = (
    "<p>乌鲁木齐高新区（新市区）以现代服务业为支柱，培育生物医药与大健康、新一代信息技术和新材料三大主导产业。</p>"
    "<h2>项目进展</h2><p>园区服务专员全程跟进项目建设，协调解决用电、用工和融资等问题。</p>" * 6
)


def fill_releases(count: int, *, username: str = "bench-editor") -> None:
    """``count`` live press releases over the past years, fast (bulk inserts): each with a
    cover whose rendition rows exist, three clusters and a two-picture gallery."""
    from django.db import connection, transaction
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.core.models import IndustryCluster
    from apps.editorial.models import Status, Visibility
    from apps.media.models import Image, Rendition
    from apps.media.models import Status as MediaStatus
    from apps.news.models import GalleryItem, PressRelease

    rnd = random.Random(42)
    editor = User.objects.create_user(username, password="x", is_staff=True)
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
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # the steady state autovacuum keeps a live database in


# --- measuring -----------------------------------------------------------------------------------

def percentile(values, q):
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


# --- servers on loopback -------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, timeout: float = 10) -> tuple[int, dict, bytes]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, dict(response.headers), response.read()


def wait_until_serving(server: subprocess.Popen, url: str, log, *, timeout: float = 180) -> None:
    """Until ``url`` answers 200 (a loaded machine imports Django slowly); else exit with the log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    server.terminate()
    log.seek(0)
    raise SystemExit(f"the server did not answer {url}:\n" + log.read()[-5000:])


def start_gunicorn(port: int) -> subprocess.Popen:
    """The Procfile's web process (2 workers x 2 threads, without its access log) on loopback."""
    log = tempfile.TemporaryFile(mode="w+")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "parkportal.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "2"],
        cwd=ROOT, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=log,
    )
    wait_until_serving(server, f"http://127.0.0.1:{port}{STATIC_PATH}", log)
    return server
