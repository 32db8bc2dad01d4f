"""SQLite FTS5 through the ORM. The virtual table ``search_fts`` (migration 0001:
external content on ``search_searchentry``, kept in step by triggers, tokenizer
``unicode61``, which splits at the spaces jieba's words are joined with) is the
unmanaged model ``FtsRow``: a match is the filter ``fts__document=<FTS5 query>``
(FTS5 reads ``search_fts = '…'`` as ``MATCH``) and the relevance is FTS5's
``rank`` column, bm25 with the column weights the migration configured (title
10, summary 4, body 1; bm25 is negative, lower is better)."""

from django.db.models import F


def _quoted(token: str) -> str:
    # Tokens are letter-and-digit runs (apps.search.text.words): nothing to escape
    # but a quote, which they cannot contain; quoting keeps FTS5 operators literal.
    return '"' + token.replace('"', '""') + '"'


def fts_query(parsed) -> str:
    groups = []
    for token, alternatives in parsed.groups:
        if alternatives:
            groups.append("(" + _quoted(token) + " OR (" + " AND ".join(map(_quoted, alternatives)) + "))")
        else:
            groups.append(_quoted(token))
    return " AND ".join(groups)


def matching(queryset, parsed):
    return queryset.filter(fts__document=fts_query(parsed)).annotate(relevance=-F("fts__rank"))


def ranking(queryset, parsed):
    """Relevance of entries already known to match: FTS5 has it only for a full-text query."""
    return matching(queryset, parsed)


def title_matching(queryset, parsed):
    """Entries whose title alone matches: an FTS5 column filter."""
    return queryset.filter(fts__document="{title_seg} : (" + fts_query(parsed) + ")")


def after_write(queryset) -> None:
    """The triggers have written the FTS rows already."""
