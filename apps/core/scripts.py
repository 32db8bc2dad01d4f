"""Simplified → Traditional conversion, and the pinyin-annotation guard.

Conversion is phrase by phrase with the official OpenCC binding (头发 → 頭髮,
not 頭發), never by inserting annotations. Broken converters glue pinyin after
each character ("區(qū)"); strip_pinyin_annotations() removes that from pasted
text, and the middleware applies it to every public page as a last guard.
"""

import re
from functools import lru_cache

import opencc
from django.conf import settings

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_LETTERS = f"a-zA-Zü{_TONED}"
# A CJK character followed by a parenthesised pinyin syllable (or several,
# separated by spaces) that carries at least one tone mark: 区(qū), 區（qū）.
PINYIN_ANNOTATION = re.compile(
    rf"(?<=[\u3400-\u4dbf\u4e00-\u9fff])\s?[（(]\s*[{_LETTERS}\s']*[{_TONED}][{_LETTERS}\s']*[）)]"
)


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config if config.endswith(".json") else f"{config}.json")


def to_traditional(text: str, config: str | None = None) -> str:
    """Convert Simplified Chinese text (or HTML) to Traditional, phrase by phrase."""
    return _converter(config or settings.PARKPORTAL_OPENCC_CONFIG).convert(text)


def has_tone_mark(text: str) -> bool:
    """Any tone-marked letter at all: an annotation needs one. A substring search per
    letter is ~20× faster than the lookbehind regex over a whole page."""
    return any(letter in text for letter in _TONED)


def strip_pinyin_annotations(text: str) -> str:
    if not has_tone_mark(text):
        return text
    return PINYIN_ANNOTATION.sub("", text)


def contains_pinyin_annotation(text: str) -> bool:
    return has_tone_mark(text) and PINYIN_ANNOTATION.search(text) is not None
