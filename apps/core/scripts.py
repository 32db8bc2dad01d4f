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


def strip_pinyin_annotations(text: str) -> str:
    return PINYIN_ANNOTATION.sub("", text)


def contains_pinyin_annotation(text: str) -> bool:
    return PINYIN_ANNOTATION.search(text) is not None
