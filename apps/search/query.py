"""Searching: one function for every caller (the results page, the benchmark,
tests), the same on PostgreSQL and SQLite.

Two queries whatever the number of matches: the count of matches per kind (the
type filter's figures; the total is their sum) and the page's rows, ranked by
relevance × freshness boost. The boost is ``1 + FRESH_WEIGHT × 2^(-age / HALF_LIFE)``
(age in days of the item's date): a new item gets up to +50 %, one half a year
old +12.5 %, an undated one (enterprises, stations) nothing.

A broad query (more than ``BROAD`` matches, e.g. 高新区 on a park's site) ranks,
for its first ``BROAD_PAGES`` pages, only the candidates that can reach them: the
matches whose title matches (weight A dominates the relevance) and the ``RECENT``
newest matches (the freshness boost favours them). An older item matching only in
its summary or body is left out of those pages: a deliberate approximation, since
scoring every one of 15,000 matches costs more than the rest of the search
(bench/search). The count stays exact; deeper pages rank every match.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, ExpressionWrapper, F, FloatField, Q, Value
from django.db.models.functions import Cast, Power
from django.utils import timezone

from . import dictionary, registry
from .backends import backend
from .highlight import highlight, snippet
from .indexing import day_number
from .models import SearchEntry
from .text import ParsedQuery, parse_query

PER_PAGE = 10
BROAD = 1000
BROAD_PAGES = 10
RECENT = 300
MAX_PAGE = 100
FRESH_WEIGHT = 0.5
HALF_LIFE_DAYS = 90.0
#: The date filter: key → (label, days back).
WITHIN = {"week": 7, "month": 31, "year": 366}


@dataclass
class Hit:
    kind: str
    label: str
    title: str
    title_html: str
    snippet_html: str
    url: str
    date: dt.datetime | None


@dataclass
class Results:
    query: ParsedQuery
    facets: dict[str, int] = field(default_factory=dict)
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    page: int = 1
    pages: int = 0

    @property
    def all_total(self) -> int:
        return sum(self.facets.values())


def freshness_boost(today: int):
    age = ExpressionWrapper(Cast(F("day"), FloatField()) - Value(float(today)), output_field=FloatField())
    return Value(1.0) + Value(FRESH_WEIGHT) * Power(Value(2.0), age / Value(HALF_LIFE_DAYS))


def scope(*, kind: str | None = None, within: str | None = None, now=None):
    """The entries a search looks at: of one kind, within a period."""
    qs = SearchEntry.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if within in WITHIN:
        qs = qs.filter(date__gte=(now or timezone.now()) - dt.timedelta(days=WITHIN[within]))
    return qs


def matches(parsed: ParsedQuery, *, within: str | None = None, now=None):
    """Entries matching every word, annotated with ``relevance``, optionally within a period."""
    return backend().matching(scope(within=within, now=now), parsed)


def candidates(parsed: ParsedQuery, entries):
    """Of a broad query's matches among ``entries``: those whose title matches and the newest."""
    engine = backend()
    newest = engine.matching(entries, parsed).order_by("-day", "-pk").values("pk")[:RECENT]
    titled = engine.title_matching(entries, parsed).values("pk")
    return entries.filter(Q(pk__in=titled) | Q(pk__in=newest))


def ranked(qs, *, now=None):
    today = day_number(now or timezone.now())
    return qs.annotate(score=ExpressionWrapper(F("relevance") * freshness_boost(today), output_field=FloatField())).order_by(
        "-score", "-day", "pk"   # day: never NULL (NULLs sort differently on the two databases)
    )


def search(raw: str, *, kind: str | None = None, within: str | None = None, page: int = 1,
           per_page: int = PER_PAGE, now=None) -> Results:
    parsed = parse_query(dictionary.segmenter(), raw)
    results = Results(query=parsed, page=page)
    if not parsed:
        return results
    base = matches(parsed, within=within, now=now)
    results.facets = dict(base.order_by().values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    kinds = registry.labels()
    results.total = results.facets.get(kind, 0) if kind else sum(results.facets.values())
    results.pages = min(-(-results.total // per_page), MAX_PAGE)  # 0 when nothing matched
    if not results.total:
        return results
    results.page = min(max(page, 1), results.pages)
    entries = scope(kind=kind, within=within, now=now)
    if results.total > BROAD and results.page <= BROAD_PAGES:
        ranked_entries = backend().ranking(candidates(parsed, entries), parsed)
    else:
        ranked_entries = backend().matching(entries, parsed)
    start = (results.page - 1) * per_page
    rows = ranked(ranked_entries, now=now).only("kind", "title", "summary", "body", "url", "date")[start:start + per_page]
    terms = parsed.highlight_terms
    for row in rows:
        results.hits.append(Hit(
            kind=row.kind, label=str(kinds.get(row.kind, row.kind)), title=row.title,
            title_html=highlight(row.title, terms), snippet_html=snippet(row.summary, row.body, terms),
            url=row.url, date=row.date,
        ))
    return results


def top_urls(raw: str, n: int = 3, *, now=None) -> list[str]:
    """The first ``n`` results' URLs (tests and the benchmark's relevance check)."""
    results = search(raw, per_page=n, now=now)
    return [hit.url for hit in results.hits]
