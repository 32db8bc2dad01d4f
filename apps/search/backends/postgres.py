"""PostgreSQL full-text search through the ORM: ``to_tsvector('simple', …)`` over
the segmented text (the ``simple`` configuration only lower-cases: jieba did the
word breaking), a GIN index on ``search_vector`` (migration 0001), ``ts_rank``
with title A, summary B and body C."""

from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import F

CONFIG = "simple"
#: ts_rank's weights for D, C, B, A (body is C, summary B, title A).
WEIGHTS = [0.05, 0.2, 0.4, 1.0]
#: 1: divide by 1 + log(length), so a long body does not win by length alone.
NORMALIZATION = 1


def vector():
    return (
        SearchVector("title_seg", weight="A", config=CONFIG)
        + SearchVector("summary_seg", weight="B", config=CONFIG)
        + SearchVector("body_seg", weight="C", config=CONFIG)
    )


def _word(token: str) -> SearchQuery:
    return SearchQuery(token, config=CONFIG, search_type="plain")


def tsquery(parsed) -> SearchQuery:
    groups = []
    for token, alternatives in parsed.groups:
        query = _word(token)
        if alternatives:
            query = query | SearchQuery(" ".join(alternatives), config=CONFIG, search_type="plain")
        groups.append(query)
    return reduce(lambda a, b: a & b, groups)


def _relevance(query):
    return SearchRank(F("search_vector"), query, weights=WEIGHTS, normalization=NORMALIZATION)


def matching(queryset, parsed):
    query = tsquery(parsed)
    return queryset.filter(search_vector=query).annotate(relevance=_relevance(query))


def ranking(queryset, parsed):
    """Relevance of entries already known to match (no second match test per row)."""
    return queryset.annotate(relevance=_relevance(tsquery(parsed)))


def title_matching(queryset, parsed):
    """Entries whose title alone matches (no relevance): a small GIN-indexed vector."""
    return queryset.filter(title_vector=tsquery(parsed))


def after_write(queryset) -> None:
    """Fill the tsvector from the segmented text, and drop that text from the row in
    the same UPDATE (SET sees the old values): on PostgreSQL it lives on only in the
    vector, which halves the row that a broad query scans."""
    queryset.update(search_vector=vector(), title_vector=SearchVector("title_seg", config=CONFIG),
                    title_seg="", summary_seg="", body_seg="")
