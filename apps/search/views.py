"""The results page, /search/?q= (and /zh-hant/search/?q=).

Not stored in the page cache (``Cache-Control: private, max-age=0``), on purpose:
every distinct query string would be an entry, so a crawler walking queries and
pages could evict the news and detail pages the cache is there for; and the
index is written by a task after commit while the page cache's generation moves
at commit, so a results page stored in between would hide a just-published item
until the next change. A search costs two indexed queries (bench/search).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language, gettext_lazy
from django.views.decorators.http import require_safe

from apps.core.params import row_id

from . import dictionary, registry
from .query import PER_PAGE, WITHIN, search
from .text import MAX_QUERY_CHARS

WITHIN_CHOICES = [
    ("", gettext_lazy("不限时间")), ("week", gettext_lazy("最近一周")),
    ("month", gettext_lazy("最近一个月")), ("year", gettext_lazy("最近一年")),
]
#: Shown when nothing was found (and under an empty search box).
DEFAULT_SUGGESTIONS = ("高新区", "专精特新", "人才项目", "服务站", "办事指南", "新材料")


def localised(url: str) -> str:
    """An index URL (Simplified, no prefix) for the reader's script."""
    language = get_language()
    if language and language != settings.LANGUAGE_CODE:
        return f"/{language}{url}"
    return url


def suggestions(results, limit: int = 8) -> list[str]:
    """Other searches for a query that found nothing: its words alone, park
    dictionary words sharing a character with it, then the usual ones."""
    found: list[str] = []
    tokens = results.query.tokens
    if len(tokens) > 1:
        found.extend(tokens)
    chars = set("".join(tokens))
    if chars:
        _version, terms = dictionary.current_terms()
        near = [t for t in terms if chars & set(t) and len(t) <= 12]
        near.sort(key=lambda t: (-len(chars & set(t)), len(t), t))
        found.extend(near[:limit])
    found.extend(getattr(settings, "PARKPORTAL_SEARCH_SUGGESTIONS", DEFAULT_SUGGESTIONS))
    unique = []
    for word in found:
        if word not in unique and word != results.query.text:
            unique.append(word)
    return unique[:limit]


@require_safe
def results_page(request):
    raw = (request.GET.get("q") or "").strip()[:MAX_QUERY_CHARS]
    kind = request.GET.get("type", "")
    kind = kind if registry.for_key(kind) else ""
    within = request.GET.get("within", "")
    within = within if within in WITHIN else ""
    page = row_id(request.GET.get("page")) or 1
    results = search(raw, kind=kind or None, within=within or None, page=page) if raw else None
    for hit in results.hits if results else ():
        hit.url = localised(hit.url)
    def link(**changes) -> str:
        params = {"q": raw, "type": kind, "within": within, **changes}
        return "?" + urlencode({k: v for k, v in params.items() if v})

    kinds = [
        {"key": r.key, "label": r.label, "count": results.facets.get(r.key, 0) if results else None,
         "link": link(type=r.key)}
        for r in registry.registrations()
    ]
    context = {
        "q": raw, "kind": kind, "within": within, "results": results, "kinds": kinds,
        "within_choices": WITHIN_CHOICES,
        "kind_label": registry.labels().get(kind, ""),
        "suggestions": suggestions(results) if results is not None and not results.total else
        (getattr(settings, "PARKPORTAL_SEARCH_SUGGESTIONS", DEFAULT_SUGGESTIONS) if not raw else []),
        "first_number": (results.page - 1) * PER_PAGE + 1 if results else 1,
        "all_link": link(type=""),
        "any_time_link": link(within=""),
        "pages": [(n, link(page=n) if n else "") for n in (_page_range(results) if results else [])],
        "previous_link": link(page=results.page - 1) if results and results.page > 1 else "",
        "next_link": link(page=results.page + 1) if results and results.page < results.pages else "",
    }
    response = render(request, "search/results.html", context)
    patch_cache_control(response, private=True, max_age=0)
    return response


def _page_range(results, around: int = 2) -> list[int | None]:
    """Page numbers to link: the first, the last and those near the current one (None: a gap)."""
    if results.pages <= 1:
        return []
    shown = {1, results.pages} | set(range(results.page - around, results.page + around + 1))
    out: list[int | None] = []
    previous = 0
    for number in sorted(n for n in shown if 1 <= n <= min(results.pages, 100)):
        if number - previous > 1:
            out.append(None)
        out.append(number)
        previous = number
    return out
