"""Sorting Chinese names in pinyin order: a stored sort key, the same on every database.

Why a stored key (and not PostgreSQL's ``zh-x-icu`` collation): the key is
computed in Python when a draft is written (by the actions and the import,
never by ``save()``), so SQLite in development and PostgreSQL in production
order the directory identically, and a plain B-tree index on
``(sort_key, id)`` serves ``ORDER BY`` and keyset pagination.

How the key is built, without a pinyin dictionary package:

* The 3,755 level-1 characters of GB 2312 (the common ones) are laid out in
  the code table **in pinyin order** (then by strokes). Their GB code is
  therefore a pinyin rank, and the first character of each initial letter
  (啊 芭 擦 搭 …) gives the letter itself.
* Level-2 and GBK-only characters are ordered by radical, not by sound.
  The ones that often appear in enterprise names (鑫 晟 昊 瀚 睿 锂 …) are
  listed in :data:`HOMOPHONES` with a level-1 character of the same syllable,
  and sort next to it. Traditional characters are folded to Simplified
  first (OpenCC t2s), so "鑫達" sorts as "鑫达".
* Any other CJK character sorts after the letter Z, by code point: visible
  and stable, never wrong in a surprising place.
* Digits come before letters, a Latin letter before the Chinese characters
  of the same initial ("A" before 安). Spaces, brackets and punctuation are
  ignored, so "（新疆）" does not move a name.

Each character becomes a token of its initial letter plus a hex rank, so
the key also tells the initial letter (:func:`initial_of`). Keys cover the
first :data:`KEY_CHARS` significant characters; ties are broken by the name
and the id in the query.

Changing this module changes the keys: run ``recompute_sort_keys`` (an
action in :mod:`apps.enterprises.actions`) afterwards.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

KEY_CHARS = 40
KEY_MAX_LENGTH = 255

# The first level-1 character of each initial, in GB 2312 order (no i, u, v).
_LETTER_STARTS = (
    ("a", "啊"), ("b", "芭"), ("c", "擦"), ("d", "搭"), ("e", "蛾"), ("f", "发"), ("g", "噶"),
    ("h", "哈"), ("j", "击"), ("k", "喀"), ("l", "垃"), ("m", "妈"), ("n", "拿"), ("o", "哦"),
    ("p", "啪"), ("q", "期"), ("r", "然"), ("s", "撒"), ("t", "塌"), ("w", "挖"), ("x", "昔"),
    ("y", "压"), ("z", "匝"),
)
_LEVEL1_FIRST = 0xB0A1
_LEVEL1_LAST = 0xD7F9

# Characters outside GB 2312 level 1 that are common in enterprise names,
# each with a level-1 character of the same syllable (tone ignored).
HOMOPHONES = {
    # given-name and brand characters
    "鑫": "新", "昕": "新", "晟": "生", "燊": "深", "莘": "深", "昊": "好", "皓": "好", "灏": "好",
    "瀚": "汉", "泓": "红", "琪": "其", "祺": "其", "麒": "其", "骐": "其", "琦": "其",
    "煜": "玉", "钰": "玉", "昱": "玉", "瑜": "玉", "彧": "玉",
    "璟": "景", "堃": "坤", "琨": "坤", "锟": "坤", "焜": "坤", "镕": "容", "嵘": "容",
    "淼": "秒", "犇": "本", "垚": "要", "翊": "义", "熠": "义", "奕": "义", "驿": "义",
    "珑": "龙", "泷": "龙", "铠": "凯", "锴": "凯", "暄": "宣", "瑄": "宣", "璇": "宣",
    "焱": "言", "炜": "伟", "玮": "伟", "珺": "军", "璐": "路", "烨": "业", "晔": "业",
    "睿": "瑞", "芮": "瑞", "喆": "哲", "旻": "民", "曦": "西",
    "玺": "西", "沣": "丰", "滢": "营", "瑾": "金", "槿": "金", "璞": "普",
    "珈": "家", "伽": "家", "镓": "家", "琛": "晨", "懋": "茂", "珩": "恒", "桦": "华",
    "楠": "南", "粲": "灿", "沅": "元", "淦": "干", "赟": "云", "昀": "云", "沄": "云",
    "昶": "常", "晖": "辉", "钜": "巨", "琚": "巨", "锂": "理", "瓴": "零", "翀": "冲",
    "珂": "科", "炀": "阳", "崧": "松", "岱": "代", "岚": "兰", "镧": "兰",
    "骥": "机", "甬": "永", "邕": "永",
    "蓓": "北", "茗": "明", "荟": "会", "萃": "翠", "菁": "京", "腈": "京", "瑭": "唐",
    "璋": "张", "瑛": "英", "瑷": "爱", "珏": "决", "玥": "月", "骁": "小", "飒": "撒",
    "迩": "二",
    # materials and chemistry (新材料, 生物医药)
    "钊": "照", "铖": "成", "钴": "古", "钼": "木",
    "钽": "谈", "铟": "因", "碲": "地", "镝": "地", "酯": "之",
    "肽": "太", "嗪": "秦", "唑": "左", "吡": "比", "啶": "定", "咪": "米",
    "羟": "强", "羧": "所", "钪": "康", "钯": "八", "铑": "老", "锆": "高",
    "铌": "你", "钕": "女", "铽": "特", "钐": "山", "铕": "有",
}


def _gb_code(char: str) -> int | None:
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return None
    if len(encoded) != 2:
        return None
    return encoded[0] << 8 | encoded[1]


def _is_level1(code: int | None) -> bool:
    return code is not None and _LEVEL1_FIRST <= code <= _LEVEL1_LAST


_STARTS = [(_gb_code(char), letter) for letter, char in _LETTER_STARTS]


def _letter_of(code: int) -> str:
    letter = "a"
    for start, candidate in _STARTS:
        if code >= start:
            letter = candidate
        else:
            break
    return letter


@lru_cache(maxsize=1)
def _simplifier():
    try:
        from apps.core.scripts import _converter

        return _converter("t2s")
    except Exception:  # pragma: no cover - OpenCC is a runtime dependency
        return None


@lru_cache(maxsize=65536)
def _token(char: str) -> str:
    """A character's sort token: initial letter (or digit) + rank in hex; "" to ignore it."""
    if "0" <= char <= "9":
        return char + "0000"
    if "a" <= char <= "z":
        return char + "0000"
    if "A" <= char <= "Z":
        return char.lower() + "0000"
    code = _gb_code(char)
    if _is_level1(code):
        return f"{_letter_of(code)}{code:04X}"
    anchor = HOMOPHONES.get(char)
    if anchor is not None:
        code = _gb_code(anchor)
        return f"{_letter_of(code)}{code:04X}"
    category = unicodedata.category(char)
    if category[0] in "LN":  # another letter or digit: after Z, by code point
        return f"~{ord(char):05X}"
    return ""  # spaces, brackets, punctuation, symbols


@lru_cache(maxsize=65536)
def _needs_folding(char: str) -> bool:
    """Neither ASCII nor a GB 2312 level-1 character: the name may hold Traditional ones."""
    return not (char.isascii() or _is_level1(_gb_code(char)))


def sort_key(name: str) -> str:
    """The stored pinyin sort key of a name (see the module notes)."""
    text = unicodedata.normalize("NFKC", name or "")
    if any(map(_needs_folding, text)):
        simplifier = _simplifier()
        if simplifier is not None:
            text = simplifier.convert(text)
    tokens = []
    for char in text:
        token = _token(char)
        if token:
            tokens.append(token)
            if len(tokens) == KEY_CHARS:
                break
    return "".join(tokens)[:KEY_MAX_LENGTH]


def initial_of(key: str) -> str:
    """The initial letter (a-z) a key starts with, "#" for digits and anything else."""
    first = key[:1]
    return first if "a" <= first <= "z" else "#"
