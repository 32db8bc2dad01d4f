"""Simplified → Traditional conversion, and the pinyin-annotation guard.

Conversion is phrase by phrase with the official OpenCC binding (头发 → 頭髮,
not 頭發), never by inserting annotations. The configuration is a setting
(``PARKPORTAL_OPENCC_CONFIG``, default ``s2tw``); the project's phrase dictionary
(``opencc/phrases.txt``: 研究并发布 → 研究並發布, not 併發布) is put in front of
its phrase dictionaries, for segmentation and conversion alike, so every
conversion (pages, feeds) goes through this one function.

Broken converters glue pinyin after each character ("區(qū)");
strip_pinyin_annotations() removes that from pasted text (every text field of
the admin forms, apps.core.textclean), and the middleware applies it to every
public page as a last guard. traditional_characters() finds Traditional-only
characters pasted into Simplified content (OpenCC ``t2s``).
"""

import atexit
import json
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path

import opencc
from django.conf import settings

PROJECT_PHRASES = Path(__file__).resolve().parent / "opencc" / "phrases.txt"
_OPENCC_SHARE = Path(opencc.__file__).resolve().parent / "clib" / "share" / "opencc"

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_LETTERS = f"a-zA-Zü{_TONED}"
# A CJK character followed by a parenthesised pinyin syllable (or several,
# separated by spaces) that carries at least one tone mark: 区(qū), 區（qū）.
PINYIN_ANNOTATION = re.compile(
    rf"(?<=[\u3400-\u4dbf\u4e00-\u9fff])\s?[（(]\s*[{_LETTERS}\s']*[{_TONED}][{_LETTERS}\s']*[）)]"
)


def _absolute_dict_paths(node, base: Path) -> None:
    if isinstance(node, dict):
        if node.get("type") in ("ocd2", "text") and "file" in node:
            node["file"] = str(base / node["file"])
        for value in node.values():
            _absolute_dict_paths(value, base)
    elif isinstance(node, list):
        for value in node:
            _absolute_dict_paths(value, base)


def _with_project_phrases(config: str) -> str:
    """Write (once per process) a copy of an OpenCC Simplified → Traditional
    configuration with the project's phrase dictionary first in its segmentation
    and its first conversion step; returns the path of the copy."""
    source = Path(config) if config.endswith(".json") else _OPENCC_SHARE / f"{config}.json"
    if not source.is_file():
        raise ValueError(f"OpenCC configuration {config!r} not found")
    data = json.loads(source.read_text(encoding="utf-8"))
    _absolute_dict_paths(data, source.parent)
    project = {"type": "text", "file": str(PROJECT_PHRASES)}
    # Without a "segmentation" entry (s2t), OpenCC segments with the first conversion
    # step's dictionary, which gets the project phrases here.
    groups = [data["conversion_chain"][0]["dict"]]
    if "segmentation" in data:
        groups.append(data["segmentation"]["dict"])
    for group in groups:
        if group.get("type") != "group":
            raise ValueError(f"OpenCC configuration {config!r}: expected a dictionary group")
        group["dicts"].insert(0, project)
    fd, path = tempfile.mkstemp(prefix=f"parkportal-{source.stem}-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False)
    atexit.register(_remove_quietly, path)  # OpenCC has read it by then; tidy up at exit
    return path


def _remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    """``config``: an OpenCC Simplified → Traditional configuration's name (s2t,
    s2tw, s2hk…) or the path of a .json file of the same shape."""
    return opencc.OpenCC(_with_project_phrases(config))


def to_traditional(text: str, config: str | None = None) -> str:
    """Convert Simplified Chinese text (or HTML) to Traditional, phrase by phrase,
    with the project's phrase dictionary applied first."""
    return _converter(config or settings.PARKPORTAL_OPENCC_CONFIG).convert(text)


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s.json")


def to_simplified(text: str) -> str:
    """Traditional → Simplified (OpenCC ``t2s``), phrase by phrase."""
    return _to_simplified().convert(text)


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def traditional_characters(text: str) -> list[str]:
    """The Traditional-only characters in ``text``, in order of first appearance:
    those that OpenCC ``t2s`` changes (in their phrase: 乾燥 → 干燥, but 乾隆 stays)."""
    if not text or not _CJK.search(text):
        return []
    converted = to_simplified(text)
    if converted == text:
        return []
    if len(converted) == len(text):
        changed = (a for a, b in zip(text, converted) if a != b)
    else:  # a phrase changed length: judge character by character
        changed = (c for c in text if _CJK.match(c) and to_simplified(c) != c)
    return list(dict.fromkeys(changed))


_TONED_CLASS = re.compile("[" + "".join(sorted(_TONED)) + "]")


def has_tone_mark(text: str) -> bool:
    """Any tone-marked letter at all: an annotation needs one. A substring search per
    letter is ~20× faster than the lookbehind regex over a whole page, and ~4× faster
    than a character class on one; on a short text (a title, a name) the class is ~10×
    faster than the loop."""
    if len(text) < 512:
        return _TONED_CLASS.search(text) is not None
    return any(letter in text for letter in _TONED)


def strip_pinyin_annotations(text: str) -> str:
    if not has_tone_mark(text):
        return text
    return PINYIN_ANNOTATION.sub("", text)


def contains_pinyin_annotation(text: str) -> bool:
    return has_tone_mark(text) and PINYIN_ANNOTATION.search(text) is not None


TRADITIONAL_PREFIX = "/zh-hant"


def neutral_path(path: str) -> str:
    """The Simplified-Chinese path of a public path: the Traditional pages are the
    same pages under /zh-hant/ (/zh-hant/news/1/ is /news/1/, /zh-hant is /)."""
    if path == TRADITIONAL_PREFIX or path.startswith(TRADITIONAL_PREFIX + "/"):
        return path[len(TRADITIONAL_PREFIX):] or "/"
    return path


def public_text(html: str, *, traditional: bool) -> str:
    """What a public page's HTML becomes before it is sent: pinyin annotations
    removed, converted to Traditional for /zh-hant/. The one function the middleware
    and the admin preview (apps.editorial.public.render_revision) both use, so a
    preview shows exactly what the public page will. Returns ``html`` itself when
    nothing changed."""
    cleaned = strip_pinyin_annotations(html)
    return to_traditional(cleaned) if traditional else cleaned
