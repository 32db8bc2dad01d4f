"""Chinese text for search: normalising, segmenting (jieba-rs through rjieba) and
parsing queries. Documents and queries go through the same steps, so that what a
reader types meets what was indexed:

1. ``normalise``: NFKC (full-width letters, digits and punctuation become
   half-width), case folding, and Traditional → Simplified (OpenCC ``t2s``) for
   queries (content is written in Simplified Chinese).
2. ``Segmenter``: jieba's default dictionary plus the park dictionary
   (``dictionary.py``: 高新区, 专精特新, programme and enterprise names …), no HMM
   (new words are never guessed differently in a query and in a text). A document
   is cut in search mode (a long word also gives its shorter dictionary words), and
   a word of four characters or more adds every dictionary word inside it, so that
   "天山新材料" finds "乌鲁木齐天山新材料薄膜有限公司". Only letters and digits are
   kept: punctuation never becomes a token on either database.
3. A query is cut in the default (coarse) mode; every token must match; a park
   dictionary word also matches as the words it was made of before it joined the
   dictionary (an index built before the word was known).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

import rjieba
from django.utils.html import strip_tags

from apps.core import scripts

#: Tokens that carry no meaning in a query (kept in documents: cheap, and harmless).
QUERY_STOPWORDS = frozenset("的 了 和 与 及 或 在 是 之 对 为 有 等 把 被 将 其 中 于 以 也 就 都 而 并 上 下".split())
#: The longest query taken (characters), and the most tokens it may give.
MAX_QUERY_CHARS = 100
MAX_QUERY_TOKENS = 8
#: A document's text is indexed up to this many characters per part.
MAX_INDEXED_CHARS = {"title": 300, "summary": 1000, "body": 4000}

_WORD = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s+")


def normalise(text: str, *, to_simplified: bool = False) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    if to_simplified and text:
        text = scripts.to_simplified(text)
    return text


def html_to_text(value: str) -> str:
    """Plain text of rich-text HTML: tags dropped (block ends become spaces), entities decoded."""
    value = re.sub(r"<(br|/p|/li|/h\d|/div|/td|/tr)\b[^>]*>", " ", value or "", flags=re.I)
    return _SPACE.sub(" ", html.unescape(strip_tags(value))).strip()


def words(token: str) -> list[str]:
    """The letter-and-digit runs of a token ("3.5" → ["3", "5"]; "，" → [])."""
    return _WORD.findall(token)


class Segmenter:
    """A jieba-rs dictionary with the park's words. ``parts`` remembers how each
    added word was cut before it was known."""

    def __init__(self, terms=()):
        self._jieba = rjieba.Jieba()
        self.terms: frozenset[str] = frozenset()
        self.parts: dict[str, list[str]] = {}
        self.add_terms(terms)

    def add_terms(self, terms) -> None:
        added = set(self.terms)
        for raw in terms:
            term = normalise(raw)
            if len(term) < 2 or term in added or not words(term) or len(term) > 60:
                continue
            if not self._jieba.has_word(term):
                self.parts[term] = [w for t in self._jieba.cut(term, False) for w in words(t)]
                self._jieba.add_word(term, None, None)
            added.add(term)
        self.terms = frozenset(added)

    def index_tokens(self, text: str) -> list[str]:
        """Tokens of a document's (normalised) text, in order, with the words inside long ones."""
        out: list[str] = []
        for token in self._jieba.cut_for_search(text, False):
            for word in words(token):
                out.append(word)
                if len(word) >= 4 and not word.isascii():
                    inner = {w for w in self._jieba.cut_all(word) if len(w) >= 2 and w != word}
                    inner.update(self.parts.get(word, ()))
                    out.extend(sorted(inner))
        return out

    def query_tokens(self, text: str) -> list[str]:
        seen: list[str] = []
        for token in self._jieba.cut(text, False):
            for word in words(token):
                if word not in seen:
                    seen.append(word)
        meaningful = [w for w in seen if w not in QUERY_STOPWORDS]
        return (meaningful or seen)[:MAX_QUERY_TOKENS]

    def alternatives(self, token: str) -> list[str]:
        """The words a park term was made of (empty for other tokens)."""
        parts = self.parts.get(token, [])
        return parts if len(parts) > 1 else []


def segment(segmenter: Segmenter, text: str, part: str = "body") -> str:
    """The space-separated tokens stored for one part of a document."""
    text = normalise(text)[: MAX_INDEXED_CHARS[part]]
    return " ".join(segmenter.index_tokens(text))


@dataclass(frozen=True)
class ParsedQuery:
    """A query as the backends take it: every group must match; a group matches when
    its first token does, or all of its alternative tokens do."""

    text: str                                   # normalised, Simplified
    groups: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def tokens(self) -> list[str]:
        return [token for token, _alt in self.groups]

    @property
    def highlight_terms(self) -> list[str]:
        terms = set()
        for token, alternatives in self.groups:
            terms.add(token)
            terms.update(alternatives)
        return sorted(terms, key=len, reverse=True)

    def __bool__(self) -> bool:
        return bool(self.groups)


def parse_query(segmenter: Segmenter, raw: str) -> ParsedQuery:
    text = normalise((raw or "")[:MAX_QUERY_CHARS], to_simplified=True).strip()
    groups = tuple((t, tuple(segmenter.alternatives(t))) for t in segmenter.query_tokens(text))
    return ParsedQuery(text=text, groups=groups)

