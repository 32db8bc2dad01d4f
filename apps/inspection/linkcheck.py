"""The link and attachment checker (worker side: ``tasks.check_links`` calls
:func:`run`; beat queues it nightly).

1. **Collect** every published item's links and attachments from its live
   version (``texts.content_of_snapshot``: hrefs and image sources in rich text,
   link rows, attached documents).
2. **Internal links** are resolved without HTTP: the path (``/zh-hant/`` prefix
   dropped) must resolve (``django.urls.resolve``); a path that is some item's
   public URL must belong to a viewable item (the ``viewable()`` read rule), and
   one that resolves to an item's detail route but to no item is dead; a link to
   an attachment needs the ``Attachment`` row and its stored file.
3. **External links** are fetched with httpx: at most
   ``PARKPORTAL_INSPECTION_LINK_CONCURRENCY`` at a time, a timeout per request,
   at least ``PARKPORTAL_INSPECTION_LINK_HOST_INTERVAL`` seconds between two
   requests to one host, a polite ``User-Agent``, HEAD first (GET when a server
   refuses HEAD), redirects followed up to a limit (a loop is reported as such),
   TLS certificates verified. Each distinct URL is fetched once per run.
4. **Record** (:func:`record`): one ``LinkCheck`` row per item and URL keeps its
   first-seen date, the last result and how many runs in a row it was dead;
   ``LinkCheck.objects.reported()`` (dead on two runs in a row) is what the
   self-inspection report lists. Rows of links no longer published are dropped.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.scripts import neutral_path
from apps.editorial.checks import SubmissionCheck
from apps.editorial.models import Visibility, editorial_models

from .models import LinkCheck, LinkKind
from .texts import content_of_snapshot

SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "#", "sms:")


@dataclass
class Target:
    content_type_id: int
    object_id: str
    item_repr: str
    item_url: str
    url: str
    label: str
    kind: str


@dataclass
class Result:
    ok: bool
    status_code: int | None = None
    error: str = ""


def _site_hosts() -> set[str]:
    from apps.core.models import SiteSettings

    hosts = {h.lower() for h in getattr(settings, "PARKPORTAL_INSPECTION_SITE_HOSTS", ())}
    domain = (SiteSettings.load().site_domain or "").strip().lower()
    if domain:
        hosts.add(urlsplit(domain if "//" in domain else f"//{domain}").hostname or domain)
    return hosts


def classify(url: str, hosts: set[str]) -> str | None:
    """internal / external, or None for what is not a link to check."""
    url = (url or "").strip()
    if not url or url.lower().startswith(SKIPPED_SCHEMES):
        return None
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        return LinkKind.INTERNAL if (parts.hostname or "").lower() in hosts else LinkKind.EXTERNAL
    if parts.scheme:
        return None
    return LinkKind.INTERNAL


def collect() -> list[Target]:
    """Every link and attachment of every published item (one query per content
    type plus the media rows of each item)."""
    hosts = _site_hosts()
    targets = []
    for model in editorial_models():
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        for item in model.objects.published().select_related("live_revision").iterator(chunk_size=200):
            if not item.live_revision_id:
                continue
            content = content_of_snapshot(model, item.live_revision.snapshot)
            item_url = item.get_absolute_url()
            seen = set()
            for link in content.links:
                kind = classify(link.url, hosts)
                if kind is None or link.url in seen:
                    continue
                seen.add(link.url)
                url = link.url.strip()
                if kind == LinkKind.INTERNAL and not url.startswith("/") and "//" not in url:
                    url = urljoin(item_url, url)  # relative to the page it is on
                targets.append(Target(content_type.pk, str(item.pk), str(item)[:300], item_url, url[:1000],
                                      link.label[:300], kind))
            for pk in dict.fromkeys(content.attachment_ids):
                targets.append(Target(content_type.pk, str(item.pk), str(item)[:300], item_url, f"attachment:{pk}",
                                      "", LinkKind.ATTACHMENT))
    return targets


# --- internal: no HTTP ---------------------------------------------------------------------


class SiteMap:
    """The public URLs of every item, and which routes are item detail routes."""

    def __init__(self):
        self.urls: dict[str, bool] = {}
        self.detail_routes: set[str] = set()
        for model in editorial_models():
            for item in model._base_manager.exclude(visibility=Visibility.NONE).iterator(chunk_size=500):
                try:
                    url = item.get_absolute_url()
                except Exception:  # noqa: BLE001 - an item whose URL cannot be built is not linkable
                    continue
                alive = item.visibility in (Visibility.LIVE, Visibility.WITHDRAWN) or bool(item.redirect_url)
                self.urls[url] = alive
                try:
                    self.detail_routes.add(resolve(url).view_name)
                except Resolver404:
                    pass


def _storage_has(name: str) -> bool:
    from apps.media.models import get_private_storage

    try:
        return bool(name) and get_private_storage().exists(name)
    except Exception:  # noqa: BLE001 - a storage that cannot answer counts as missing
        return False


def attachment_result(pk) -> Result:
    from apps.media.models import Attachment

    row = Attachment.objects.filter(pk=pk).values_list("file", flat=True).first()
    if row is None:
        return Result(False, error=_("附件已被删除"))
    if not _storage_has(row):
        return Result(False, error=_("附件文件不存在，无法下载"))
    return Result(True)


def internal_result(url: str, site: SiteMap) -> Result:
    parts = urlsplit(url)
    path = neutral_path(parts.path or "/")
    for prefix, storage_name in ((settings.STATIC_URL, "staticfiles"), (settings.MEDIA_URL, "default")):
        if prefix and path.startswith("/" + prefix.strip("/") + "/"):
            from django.core.files.storage import storages

            name = path[len("/" + prefix.strip("/") + "/"):]
            try:
                exists = storages[storage_name].exists(name)
            except Exception:  # noqa: BLE001 - e.g. a manifest storage before collectstatic
                exists = False
            return Result(True) if exists else Result(False, 404, _("站内文件不存在"))
    if path in site.urls:
        return Result(True) if site.urls[path] else Result(False, 410, _("链接指向已下线的内容"))
    match = None
    for candidate in (path, path if path.endswith("/") else path + "/"):
        try:
            match = resolve(candidate)
            path = candidate
            break
        except Resolver404:
            continue
    if match is None:
        return Result(False, 404, _("站内页面不存在"))
    if path in site.urls:
        return Result(True) if site.urls[path] else Result(False, 410, _("链接指向已下线的内容"))
    if match.view_name in site.detail_routes:
        return Result(False, 404, _("链接指向的内容不存在或未发布"))
    if "attachment_id" in match.kwargs:
        return attachment_result(match.kwargs["attachment_id"])
    return Result(True)


# --- external: httpx ---------------------------------------------------------------------


class HostPacer:
    """At least ``interval`` seconds between two requests to one host."""

    def __init__(self, interval: float):
        self.interval = interval
        self.locks: dict[str, asyncio.Lock] = {}
        self.last: dict[str, float] = {}

    async def wait(self, host: str) -> None:
        lock = self.locks.setdefault(host, asyncio.Lock())
        async with lock:
            delay = self.last.get(host, -1e9) + self.interval - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            self.last[host] = time.monotonic()


def _error_text(error: Exception) -> str:
    if isinstance(error, httpx.TooManyRedirects):
        return _("重定向次数过多（可能是重定向循环）")
    if isinstance(error, httpx.TimeoutException):
        return _("请求超时")
    text = str(error)
    if "SSL" in text or "CERTIFICATE" in text.upper() or "TLS" in text:
        return _("TLS/SSL 加密连接失败（证书无效或协议错误）")
    if isinstance(error, httpx.ConnectError):
        return _("无法连接到服务器")
    if isinstance(error, httpx.InvalidURL) or isinstance(error, httpx.UnsupportedProtocol):
        return _("链接地址无效")
    return _("请求失败：%(error)s") % {"error": type(error).__name__}


async def _fetch(client: httpx.AsyncClient, url: str, semaphore, pacer: HostPacer) -> Result:
    host = (urlsplit(url).hostname or "").lower()
    async with semaphore:
        await pacer.wait(host)
        try:
            response = await client.head(url)
            if response.status_code in (403, 405, 501):
                await pacer.wait(host)
                async with client.stream("GET", url) as streamed:
                    response = streamed
        except Exception as error:  # noqa: BLE001 - every failure is a result, never a crash of the run
            return Result(False, error=_error_text(error))
    if response.status_code >= 400:
        return Result(False, response.status_code, _("HTTP 状态码 %(code)s") % {"code": response.status_code})
    return Result(True, response.status_code)


async def check_external(urls: list[str]) -> dict[str, Result]:
    user_agent = settings.PARKPORTAL_INSPECTION_LINK_USER_AGENT
    semaphore = asyncio.Semaphore(settings.PARKPORTAL_INSPECTION_LINK_CONCURRENCY)
    pacer = HostPacer(settings.PARKPORTAL_INSPECTION_LINK_HOST_INTERVAL)
    timeout = httpx.Timeout(settings.PARKPORTAL_INSPECTION_LINK_TIMEOUT)
    limits = httpx.Limits(max_connections=settings.PARKPORTAL_INSPECTION_LINK_CONCURRENCY)
    async with httpx.AsyncClient(
        headers={"User-Agent": user_agent}, timeout=timeout, limits=limits, follow_redirects=True,
        max_redirects=settings.PARKPORTAL_INSPECTION_LINK_MAX_REDIRECTS, trust_env=False,
    ) as client:
        results = await asyncio.gather(*(_fetch(client, url, semaphore, pacer) for url in urls))
    return dict(zip(urls, results))


def fetch_external(urls: list[str]) -> dict[str, Result]:
    """:func:`check_external` for synchronous callers. ``asyncio.run`` refuses a
    thread whose event loop is already running (a Celery worker has none, but an
    embedding process may), so in that case the run gets a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(check_external(urls))
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="linkcheck") as pool:
        return pool.submit(asyncio.run, check_external(urls)).result()


# --- the run ----------------------------------------------------------------------------------


def check(targets: list[Target]) -> dict[str, Result]:
    site = SiteMap()
    results: dict[str, Result] = {}
    external = sorted({t.url for t in targets if t.kind == LinkKind.EXTERNAL})
    for target in targets:
        if target.url in results:
            continue
        if target.kind == LinkKind.ATTACHMENT:
            results[target.url] = attachment_result(target.url.split(":", 1)[1])
        elif target.kind == LinkKind.INTERNAL:
            results[target.url] = internal_result(target.url, site)
    if external:
        results.update(fetch_external(external))
    return results


@transaction.atomic
def record(targets: list[Target], results: dict[str, Result], *, now=None) -> dict:
    """Store this run's results (see the module notes); returns counts."""
    now = now or timezone.now()
    existing = {
        (row.content_type_id, row.object_id, row.url): row
        for row in LinkCheck.objects.select_for_update().all()
    }
    seen, created, updated = set(), [], []
    for target in targets:
        key = (target.content_type_id, target.object_id, target.url)
        if key in seen:
            continue
        seen.add(key)
        result = results[target.url]
        row = existing.get(key)
        if row is None:
            row = LinkCheck(content_type_id=target.content_type_id, object_id=target.object_id, url=target.url,
                            first_seen_at=now)
            created.append(row)
        else:
            updated.append(row)
        row.item_repr, row.item_url, row.kind, row.label = target.item_repr, target.item_url, target.kind, target.label
        row.ok, row.status_code, row.error, row.last_checked_at = result.ok, result.status_code, result.error[:300], now
        if result.ok:
            row.dead_runs, row.dead_since = 0, None
        else:
            row.dead_runs += 1
            row.dead_since = row.dead_since or now
    LinkCheck.objects.bulk_create(created, batch_size=500)
    LinkCheck.objects.bulk_update(
        updated, ["item_repr", "item_url", "kind", "label", "ok", "status_code", "error", "last_checked_at",
                  "dead_runs", "dead_since"], batch_size=500)
    gone = [row.pk for key, row in existing.items() if key not in seen]
    LinkCheck.objects.filter(pk__in=gone).delete()
    return {"checked": len(seen), "dead": sum(1 for k in seen if not results[k[2]].ok), "dropped": len(gone)}


def run(*, now=None) -> dict:
    targets = collect()
    return record(targets, check(targets), now=now)


class LinkPanel(SubmissionCheck):
    """The checker's results shown with the item (its change page): links and
    attachments dead at the last run. Registered as a submission check that never
    refuses anything (``apps.editorial.checks``)."""

    def panel(self, request, item) -> str:
        from django.template.loader import render_to_string

        dead = list(LinkCheck.objects.filter(
            content_type=ContentType.objects.get_for_model(item, for_concrete_model=False), object_id=str(item.pk),
            ok=False).order_by("-dead_runs", "pk")[:50])
        if not dead:
            return ""
        return render_to_string("inspection/admin/link_panel.html", {"dead": dead}, request=request)


PANEL = LinkPanel()
