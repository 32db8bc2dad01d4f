"""Finding the lists' terms in text: one Aho-Corasick automaton (pyahocorasick)
over every active entry, built once per list version and kept per process.

Text and terms are compared *folded*: full-width ASCII (ＡＢＣ１２３，U+FF01–FF5E)
becomes half-width, the ideographic space a space, Latin letters lower case.
Folding maps one character to one character, so a hit's offsets are offsets in
the text as readers see it (for highlighting). A term found inside its own
suggested form (e.g. a wrong short form inside the correct full one) is not a hit.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import ahocorasick

_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# What folding changes, character by character; everything else (CJK above all)
# is left as it is.
_FOLDED = {chr(code): chr(_FOLD.get(code, code)).lower() for code in [*range(0x41, 0x5B), *_FOLD]}
_FOLDABLE = re.compile("[A-Z\uff01-\uff5e\u3000]")
CONTEXT = 20  # characters shown on each side of a hit


def fold(text: str) -> str:
    """One regex scan for the foldable characters there are, then one ``str.replace``
    per distinct one (a few in Chinese text: ，（）：): about twice as fast as a
    substitution calling back into Python for every run of full-width punctuation."""
    for char in set(_FOLDABLE.findall(text)):
        text = text.replace(char, _FOLDED[char])
    return text


@dataclass(frozen=True)
class Entry:
    pk: int
    term: str
    kind: str
    severity: str
    suggestion: str


@dataclass(frozen=True)
class Hit:
    entry: Entry
    start: int
    end: int  # exclusive

    @property
    def term(self) -> str:
        return self.entry.term


class Matcher:
    def __init__(self, entries):
        self.automaton = ahocorasick.Automaton()
        self.size = 0
        for entry in entries:
            key = fold(entry.term)
            if not key.strip():
                continue
            inside = -1
            suggestion = fold(entry.suggestion)
            if suggestion and key in suggestion and key != suggestion:
                inside = suggestion.index(key)
            self.automaton.add_word(key, (len(key), entry, suggestion, inside))
            self.size += 1
        if self.size:
            self.automaton.make_automaton()

    def match_ends(self, text: str) -> list[int]:
        """Where each occurrence of a term in the text ends (before the own-suggestion
        rule, so a superset of :meth:`find`'s hits): a text with no end in it, or a
        part of a text, has no hit."""
        if not self.size or not text:
            return []
        return [last for last, _value in self.automaton.iter(fold(text))]

    def find(self, text: str) -> list[Hit]:
        if not self.size or not text:
            return []
        folded = fold(text)
        hits = []
        for last, (length, entry, suggestion, inside) in self.automaton.iter(folded):
            start = last - length + 1
            if inside >= 0:
                at = start - inside
                if at >= 0 and folded[at:at + len(suggestion)] == suggestion:
                    continue  # the term inside its own correct form
            hits.append(Hit(entry, start, last + 1))
        hits.sort(key=lambda h: (h.start, -h.end))
        return hits


def context(text: str, hit: Hit, width: int = CONTEXT) -> tuple[str, str, str]:
    """(before, the hit, after) as the reader sees them."""
    before = text[max(0, hit.start - width):hit.start].replace("\n", " ").lstrip()
    after = text[hit.end:hit.end + width].replace("\n", " ").rstrip()
    return before, text[hit.start:hit.end], after


_lock = threading.Lock()
_cached: tuple[object, Matcher] | None = None


def current_version():
    """The lists' version token (None before the lists were ever written)."""
    from .models import WordingListState

    return WordingListState.objects.filter(pk=1).values_list("token", flat=True).first()


def load_entries() -> list[Entry]:
    from .models import WordingEntry

    return [
        Entry(*row) for row in WordingEntry.objects.active().order_by("pk").values_list(
            "pk", "term", "kind", "severity", "suggestion")
    ]


def current_matcher() -> Matcher:
    """The matcher of the lists as they are now: one query for the version; the
    automaton is rebuilt only when the version moved on."""
    global _cached
    version = current_version()
    cached = _cached
    if cached is not None and version is not None and cached[0] == version:
        return cached[1]
    with _lock:
        if _cached is not None and _cached[0] == version:
            return _cached[1]
        matcher = Matcher(load_entries())
        _cached = (version, matcher)
        return matcher


def forget() -> None:
    """Drop this process's automaton (tests that flush the database reuse versions)."""
    global _cached
    _cached = None
