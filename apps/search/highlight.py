"""Snippets with the matched words marked, built in Python from the stored text
(the same on both databases). Matching ignores case and full-/half-width form."""

from __future__ import annotations

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe

SNIPPET_CHARS = 120


def _folded(text: str) -> str | None:
    """A form of ``text`` for finding words, with the same length (None if folding changed it)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return folded if len(folded) == len(text) else None


def _spans(text: str, terms) -> list[tuple[int, int]]:
    folded = _folded(text)
    if folded is None or not terms:
        return []
    pattern = re.compile("|".join(re.escape(t) for t in terms))
    return [m.span() for m in pattern.finditer(folded)]


def _marked(text: str, spans) -> str:
    out, last = [], 0
    for start, end in spans:
        out.append(escape(text[last:start]))
        out.append("<mark>" + escape(text[start:end]) + "</mark>")
        last = end
    out.append(escape(text[last:]))
    return "".join(out)


def highlight(text: str, terms) -> str:
    return mark_safe(_marked(text, _spans(text, terms)))


def snippet(summary: str, body: str, terms, length: int = SNIPPET_CHARS) -> str:
    """About ``length`` characters around the densest run of matches in the body (or
    the summary, if the body has none); the start of the text when nothing matches."""
    for text in (body, summary):
        spans = _spans(text, terms)
        if spans:
            break
    else:
        text = summary or body
        cut = text[:length]
        return mark_safe(escape(cut) + ("…" if len(text) > length else ""))
    # the window of ``length`` characters holding the most matches, starting a little before the first
    best, best_count = spans[0][0], 0
    for i, (start, _end) in enumerate(spans):
        count = sum(1 for s, e in spans[i:] if e <= start + length)
        if count > best_count:
            best, best_count = start, count
    begin = max(0, best - 20)
    end = min(len(text), begin + length)
    inside = [(s - begin, e - begin) for s, e in spans if s >= begin and e <= end]
    prefix = "…" if begin > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + _marked(text[begin:end], inside) + suffix)
