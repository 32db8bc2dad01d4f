"""Many concurrent readers against the production stack on loopback (issue 10).

1. A scratch PostgreSQL database (``parkportal_bench_load_<pid>``) is created and
   migrated; 2,000 published press releases are bulk-loaded (bench/_common.py) and the
   demo content of every domain is loaded through the workflow (``load_demo``:
   enterprises and platforms, talent programmes, service stations, the service guide).
2. The production stack starts as the Procfile says (its ``web`` and ``worker`` lines,
   run through the shell with HOST, PORT and a private PARKPORTAL_VAR_DIR):
   gunicorn (2 workers x 2 threads, whitenoise) and a Celery worker, with
   ``parkportal.settings.prod`` (a generated SECRET_KEY, ALLOWED_HOSTS=127.0.0.1,
   SECURE_SSL_REDIRECT=false: there is no TLS proxy on loopback), Redis as cache and
   broker. The worker first does what loading queued (the demo's renditions).
3. The page cache is warmed: every URL once (each must answer 200).
4. ``wrk`` (Debian: ``apt-get install wrk``) runs 200 connections for 60 s over the
   URLs, shuffled: home, news list pages, news details (400 different releases),
   the enterprise directory (list, platforms, details), talent (list, programmes),
   stations (list, stations), the service guide (list, services, statistics), policy
   documents and interpretations, published consultations, and a few
   Traditional-script pages. ``bench/load/urls.lua`` spreads the requests and counts
   every non-2xx answer and the page-cache hits.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/2 \\
        python bench/load/run.py [--seconds 60] [--connections 200] [--releases 2000]

REDIS_URL's database is flushed first (the cache); CELERY_BROKER_URL defaults to
redis://127.0.0.1:6379/10. The last line is machine-readable:

    BENCH load releases=2000 urls=<n> connections=200 seconds=60 rps=<n> p50_ms=<n> p99_ms=<n>
          errors=<n> hit_ratio=<n> loadavg=<n> target=errors=0,p99<=1000ms PASS|FAIL
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench._common import (  # noqa: E402
    fetch, fill_releases, free_port, postgres_base_url, scratch_database, wait_until_serving,
)

TARGET_P99_MS = 1000
LUA = Path(__file__).with_name("urls.lua")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the wrk run")
    parser.add_argument("--connections", type=int, default=200, help="concurrent readers (wrk connections)")
    parser.add_argument("--details", type=int, default=400, help="different news details among the URLs")
    args = parser.parse_args(argv)

    base = postgres_base_url("bench/load/run.py")
    if base is None:
        return 2
    if shutil.which("wrk") is None:
        print("bench/load/run.py needs wrk on the PATH (Debian: apt-get install wrk)")
        return 2
    var_dir = Path(tempfile.mkdtemp(prefix="parkportal-bench-load-"))
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/2")
    os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/10")
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "parkportal.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",  # no TLS-terminating proxy on loopback
        "PARKPORTAL_VAR_DIR": str(var_dir),
        "EMAIL_PORT": "9",  # nothing listens there: a workflow mail fails at once, never waits
    })
    try:
        with scratch_database(base, f"parkportal_bench_load_{os.getpid()}"):
            return run(args, var_dir)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


# --- data and URLs -------------------------------------------------------------------------------

def load(args) -> None:
    from django.core.cache import cache
    from django.core.management import call_command

    cache.clear()  # this run's Redis database: no page or generation from an earlier run
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"scratch database migrated, static files collected in {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    fill_releases(args.releases)
    print(f"{args.releases} published releases bulk-loaded in {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"demo content of every domain loaded through the workflow in {time.perf_counter() - started:.1f}s")


def reader_paths(args) -> tuple[list[str], dict[str, int]]:
    """The URLs the readers ask for, by kind, shuffled; repeated so that the list pages
    weigh as they do for real readers (many ask for the home page, each detail is rarer)."""
    from apps.enterprises.models import Enterprise, Platform
    from apps.interaction.models import Consultation
    from apps.news.models import PressRelease
    from apps.policies.models import PolicyDocument, PolicyInterpretation
    from apps.services.models import Service
    from apps.stations.models import ServiceStation
    from apps.talent.models import TalentProgramme

    rnd = random.Random(7)
    pks = list(PressRelease.objects.published().values_list("pk", flat=True))
    details = [PressRelease.objects.get(pk=pk).get_absolute_url() for pk in rnd.sample(pks, min(args.details, len(pks)))]
    pages = max(1, len(pks) // 20)
    kinds = {
        "home": ["/"] * 40 + ["/zh-hant/"] * 10,
        "news list": ["/news/"] * 20 + ["/zh-hant/news/"] * 5 + [f"/news/?page={p}" for p in range(2, min(pages, 40) + 1)],
        "news detail": details,
        "directory": ["/enterprises/"] * 10 + ["/enterprises/platforms/"] * 5
        + [e.get_absolute_url() for e in Enterprise.objects.listed()] * 3
        + [p.get_absolute_url() for p in Platform.objects.published()] * 3,
        "talent": ["/talent/"] * 10 + [t.get_absolute_url() for t in TalentProgramme.objects.published()] * 3,
        "stations": ["/stations/"] * 10 + [s.get_absolute_url() for s in ServiceStation.objects.published()] * 3,
        "services": ["/services/"] * 10 + [s.get_absolute_url() for s in Service.objects.published()] * 3
        + ["/services/statistics/"] * 5,
        "policies": ["/policies/"] * 10 + ["/policies/interpretations/"] * 5 + ["/zh-hant/policies/"] * 3
        + [d.get_absolute_url() for d in PolicyDocument.objects.published()] * 3
        + [i.get_absolute_url() for i in PolicyInterpretation.objects.published()] * 3,
        "consultations": ["/interaction/"] * 10
        + [c.get_absolute_url() for c in Consultation.objects.published()] * 3,
    }
    paths = [path for group in kinds.values() for path in group]
    rnd.shuffle(paths)
    return paths, {kind: len(set(group)) for kind, group in kinds.items()}


# --- the stack ------------------------------------------------------------------------------------

def procfile_commands() -> dict[str, str]:
    from parkportal.stack import read_procfile

    return {process.name: process.command for process in read_procfile(ROOT / "Procfile")}


def start(name: str, command: str, port: int, var_dir: Path) -> tuple[subprocess.Popen, object]:
    """A Procfile line through the shell (which expands ${HOST:-…} and the like), as `make run` does."""
    log = open(var_dir / f"{name}.log", "w+")  # noqa: SIM115 - closed by the caller
    env = dict(os.environ, HOST="127.0.0.1", PORT=str(port),
               PATH=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}")
    process = subprocess.Popen(["sh", "-c", f"exec {command}"], cwd=ROOT, env=env, start_new_session=True,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL if name == "web" else log,
                               stderr=log)
    return process, log


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def wait_for_worker(timeout: float = 300) -> str:
    """Until the worker has done what loading queued (renditions, the outbox)."""
    from apps.core.models import OutboxMessage
    from apps.media.models import Image, Status

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = Image.objects.filter(status__in=[Status.PENDING, Status.PROCESSING]).count()
        if busy == 0 and not OutboxMessage.objects.pending().exists():
            return "done"
        time.sleep(1)
    return f"still busy after {timeout:g} s"


# --- the run --------------------------------------------------------------------------------------

def wrk(base_url: str, paths_file: Path, seconds: float, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "30s", "-s", str(LUA), base_url,
         "--", str(paths_file)],
        capture_output=True, text=True, check=True,
    ).stdout
    match = re.search(r"^RESULT (.*)$", out, re.M)
    if match is None:
        raise SystemExit(f"wrk printed no RESULT line:\n{out}")
    result = {key: int(value) for key, value in (item.split("=") for item in match[1].split())}
    non2xx = re.search(r"^NON2XX (.*)$", out, re.M)
    result["non2xx_seen"] = non2xx[1] if non2xx else ""
    return result


def run(args, var_dir: Path) -> int:
    import django

    django.setup()
    load(args)
    paths, kinds = reader_paths(args)
    paths_file = var_dir / "paths.txt"
    paths_file.write_text("\n".join(paths) + "\n")

    from django.db import connections

    connections.close_all()
    commands = procfile_commands()
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    web, web_log = start("web", commands["web"], port, var_dir)
    worker, worker_log = start("worker", commands["worker"], port, var_dir)
    try:
        wait_until_serving(web, f"{base_url}/static/css/portal.css", web_log)
        print(f"stack: {commands['web']!r} and {commands['worker']!r} (parkportal.settings.prod) "
              f"on 127.0.0.1:{port}; worker: {wait_for_worker()}")
        started = time.perf_counter()
        distinct = sorted(set(paths))
        for path in distinct:  # warm the page cache; every reader URL must work
            status, headers, _ = fetch(base_url + path, timeout=60)
            assert status == 200, (path, status)
        misses = [path for path in distinct if fetch(base_url + path)[1].get("X-Page-Cache") != "hit"]
        print(f"page cache warmed: {len(distinct)} URLs in {time.perf_counter() - started:.1f}s "
              f"({len(misses)} not served from it on a second request{': ' if misses else ''}"
              f"{' '.join(misses[:10])})")
        print("URLs by kind (distinct): " + ", ".join(f"{kind} {n}" for kind, n in kinds.items())
              + f"; {len(paths)} in the shuffled list")
        load_before = os.getloadavg()[0]
        result = wrk(base_url, paths_file, args.seconds, args.connections)
        load_after = os.getloadavg()[0]
    finally:
        stop(web)
        stop(worker)
        web_log.close()
        worker_log.close()

    seconds = result["duration_us"] / 1e6
    rps = result["requests"] / seconds if seconds else 0.0
    p50, p99 = result["p50_us"] / 1000, result["p99_us"] / 1000
    socket_errors = sum(result[k] for k in ("connect", "read", "write", "timeout"))
    errors = result["non2xx"] + socket_errors
    hit_ratio = result["hits"] / result["requests"] if result["requests"] else 0.0
    loadavg = max(load_before, load_after)
    print(f"wrk: {args.connections} connections, 2 threads, {seconds:.1f} s on loopback; "
          f"load average {load_before:.1f} before, {load_after:.1f} after, on {os.cpu_count()} CPUs")
    print(f"  requests {result['requests']}  req/s {rps:.0f}  p50 {p50:.1f} ms  p90 {result['p90_us'] / 1000:.1f} ms  "
          f"p99 {p99:.1f} ms  max {result['max_us'] / 1000:.1f} ms")
    print(f"  errors {errors} (non-2xx {result['non2xx']}, connect {result['connect']}, read {result['read']}, "
          f"write {result['write']}, timeout {result['timeout']})  page-cache hits {hit_ratio:.1%}")
    if result["non2xx_seen"]:
        print(f"  non-2xx seen (status:path, path approximate): {result['non2xx_seen']}")
    ok = errors == 0 and p99 <= TARGET_P99_MS
    print(
        f"BENCH load releases={args.releases} urls={len(set(paths))} connections={args.connections} "
        f"seconds={args.seconds:g} rps={rps:.0f} p50_ms={p50:.1f} p99_ms={p99:.1f} errors={errors} "
        f"hit_ratio={hit_ratio:.3f} loadavg={loadavg:.1f} target=errors=0,p99<={TARGET_P99_MS}ms "
        f"{'PASS' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
