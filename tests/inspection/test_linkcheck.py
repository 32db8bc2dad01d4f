"""The link and attachment checker against local HTTP servers started here (200, 404,
500, a timeout, a redirect loop, a TLS error, a server refusing HEAD): never the
internet. Internal links and attachments are resolved without HTTP."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from apps.inspection import linkcheck
from apps.inspection.models import LinkCheck, LinkKind

SEEN = []


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _answer(self, with_body: bool):
        SEEN.append((self.command, self.path, self.headers.get("User-Agent"), time.monotonic()))
        path = self.path
        if path == "/slow":
            time.sleep(4)
        if path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        if path == "/nohead" and self.command == "HEAD":
            self.send_response(405)
            self.end_headers()
            return
        code = {"/ok": 200, "/slow": 200, "/nohead": 200, "/missing": 404, "/error": 500}.get(path, 404)
        self.send_response(code)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if with_body:
            self.wfile.write(b"ok")

    def do_HEAD(self):
        self._answer(False)

    def do_GET(self):
        self._answer(True)


@pytest.fixture
def server(settings):
    settings.PARKPORTAL_INSPECTION_LINK_TIMEOUT = 1.5
    settings.PARKPORTAL_INSPECTION_LINK_HOST_INTERVAL = 0
    SEEN.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_external_results_for_each_kind_of_failure(server):
    urls = [f"http://{server}/ok", f"http://{server}/missing", f"http://{server}/error", f"http://{server}/slow",
            f"http://{server}/loop", f"https://{server}/ok", f"http://{server}/nohead"]
    results = linkcheck.fetch_external(urls)
    ok, missing, error, slow, loop, tls, nohead = (results[u] for u in urls)
    assert ok.ok and ok.status_code == 200
    assert not missing.ok and missing.status_code == 404
    assert not error.ok and error.status_code == 500
    assert not slow.ok and slow.error == "请求超时"
    assert not loop.ok and "重定向" in loop.error
    assert not tls.ok and "TLS" in tls.error
    assert nohead.ok  # HEAD refused, GET answered
    agents = {agent for _m, _p, agent, _t in SEEN}
    assert agents == {"parkportal-linkcheck/1.0 (government website self-inspection)"}


def test_requests_to_one_host_are_spaced(server, settings):
    settings.PARKPORTAL_INSPECTION_LINK_HOST_INTERVAL = 0.6
    linkcheck.fetch_external([f"http://{server}/ok", f"http://{server}/missing", f"http://{server}/error"])
    times = sorted(t for _m, _p, _a, t in SEEN)
    assert len(times) == 3
    assert all(b - a >= 0.4 for a, b in zip(times, times[1:])), times  # 0.6 s apart when sent; network jitter aside


def test_a_run_records_internal_external_and_attachment_results(server, pages, releases, assets):
    target = pages.published(slug="target-page")
    draft = pages.draft(slug="draft-page")
    attachment = assets.attachment(title="申报指南")
    body = (f'<p><a href="http://{server}/ok">好</a><a href="http://{server}/missing">坏</a>'
            f'<a href="/pages/target-page/">站内</a><a href="/zh-hant/pages/target-page/">繁体</a>'
            f'<a href="/pages/draft-page/">草稿</a><a href="/no-such-path/">不存在</a>'
            f'<a href="mailto:a@example.gov.cn">信</a></p>')
    release = releases.published(body=body, attachments=[attachment])
    counts = linkcheck.run()
    rows = {row.url: row for row in LinkCheck.objects.all()}
    assert rows[f"http://{server}/ok"].ok and rows[f"http://{server}/ok"].kind == LinkKind.EXTERNAL
    assert not rows[f"http://{server}/missing"].ok
    assert rows["/pages/target-page/"].ok and rows["/pages/target-page/"].kind == LinkKind.INTERNAL
    assert rows["/zh-hant/pages/target-page/"].ok
    assert not rows["/pages/draft-page/"].ok
    assert not rows["/no-such-path/"].ok and rows["/no-such-path/"].error == "站内页面不存在"
    assert rows[f"attachment:{attachment.pk}"].ok and rows[f"attachment:{attachment.pk}"].kind == LinkKind.ATTACHMENT
    assert "mailto:a@example.gov.cn" not in rows
    assert all(row.object_id == str(release.pk) for row in rows.values())
    assert counts["dead"] == 3
    assert not LinkCheck.objects.reported().exists()  # dead once: not reported yet
    assert draft and target


def test_a_link_dead_on_two_runs_in_a_row_is_reported_and_a_recovery_clears_it(server, releases):
    from datetime import timedelta

    from django.utils import timezone

    releases.published(body=f'<p><a href="http://{server}/missing">坏</a></p>')
    first = timezone.now()
    linkcheck.run(now=first)
    linkcheck.run(now=first + timedelta(days=1))
    row = LinkCheck.objects.reported().get()
    assert row.dead_runs == 2 and row.first_seen_at == first and row.dead_since == first
    # The server is fixed: the next run clears it.
    Handler_path = f"http://{server}/missing"
    LinkCheck.objects.filter(url=Handler_path)  # same row kept
    original = Handler._answer

    def fixed(self, with_body):
        self.path = "/ok"
        original(self, with_body)

    Handler._answer = fixed
    try:
        linkcheck.run(now=first + timedelta(days=2))
    finally:
        Handler._answer = original
    row.refresh_from_db()
    assert row.ok and row.dead_runs == 0 and row.dead_since is None and row.first_seen_at == first


def test_a_missing_attachment_file_is_dead(releases, assets, media_storage):
    attachment = assets.attachment(title="已删除文件")
    releases.published(attachments=[attachment])
    from apps.media.models import get_private_storage

    get_private_storage().delete(attachment.file.name)
    linkcheck.run()
    row = LinkCheck.objects.get(kind=LinkKind.ATTACHMENT)
    assert not row.ok and row.error == "附件文件不存在，无法下载"


def test_links_of_items_no_longer_published_are_dropped(server, pages, people):
    from apps.editorial import actions as editorial

    page = pages.published(body=f'<p><a href="http://{server}/ok">好</a></p>')
    linkcheck.run()
    assert LinkCheck.objects.count() == 1
    editorial.unpublish(page, by=people.publisher)
    linkcheck.run()
    assert not LinkCheck.objects.exists()


def test_dead_links_are_shown_with_the_item(client, server, pages, people):
    page = pages.published(body=f'<p><a href="http://{server}/missing">坏链接</a></p>')
    linkcheck.run()
    client.force_login(people.editor)
    html = client.get(f"/admin/pages/page/{page.pk}/change/").content.decode()
    assert "失效链接和附件（链接检查）" in html and f"http://{server}/missing" in html and "坏链接" in html


def test_fetching_works_from_a_thread_whose_event_loop_is_running(server):
    # The browser tests' Playwright session keeps an event loop running in the test
    # process's main thread; a check started there must still run. The loop here is
    # run in a thread of the test's own, since the main thread may already hold one.
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def inside_a_running_loop():
        asyncio.get_running_loop()  # raises unless a loop is running here
        return linkcheck.fetch_external([f"http://{server}/ok"])

    with ThreadPoolExecutor(max_workers=1) as pool:
        results = pool.submit(asyncio.run, inside_a_running_loop()).result()
    assert results[f"http://{server}/ok"].ok
