"""Headcount bands (从业人数) of the enterprise directory, and the import's rule for them.

Stored as a band key: ``0-19`` (20人以下), ``20-99``, ``100-299``, ``300-999``,
``1000+`` (1000人及以上). The boundaries 20 / 100 / 300 / 1000 are those of the
national SME size classification (统计上大中小微企业划分办法) for industry and for
software and IT services. A cell may hold a count ("85", "85人", "约85人") or a
band ("20-99人", "20~99", "1000人以上", "20人以下", a key); a range that fits
inside one band is accepted, one that spans two is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cells import CellError


@dataclass(frozen=True, slots=True)
class HeadcountBand:
    key: str
    label: str
    low: int
    high: int | None  # inclusive; None: no upper bound

    def __contains__(self, count: int) -> bool:
        return count >= self.low and (self.high is None or count <= self.high)


HEADCOUNT_BANDS: tuple[HeadcountBand, ...] = (
    HeadcountBand("0-19", "20人以下", 0, 19),
    HeadcountBand("20-99", "20-99人", 20, 99),
    HeadcountBand("100-299", "100-299人", 100, 299),
    HeadcountBand("300-999", "300-999人", 300, 999),
    HeadcountBand("1000+", "1000人及以上", 1000, None),
)
BANDS_BY_KEY = {band.key: band for band in HEADCOUNT_BANDS}


def band_for_headcount(count: int) -> HeadcountBand:
    """The band holding ``count`` (``count`` >= 0)."""
    for band in HEADCOUNT_BANDS:
        if count in band:
            return band
    raise ValueError(f"negative headcount: {count}")


_HEADCOUNT_INT = re.compile(r"^(\d+)(?:\.0+)?$")
_HEADCOUNT_RANGE = re.compile(r"^(\d+)(?:-|~|～|至|到|—|–|－)(\d+)$")
_HEADCOUNT_ABOVE = re.compile(r"^(?:(\d+)(?:以上|及以上|或以上|\+)|[>≥]=?(\d+))$")
_HEADCOUNT_BELOW = re.compile(r"^(?:(\d+)(?:以下|及以下|或以下)|[<≤](=?)(\d+))$")
_HEADCOUNT_RULE = (
    "请填写从业人数（整数）或人数区间："
    + "、".join(band.label for band in HEADCOUNT_BANDS)
)
_BAND_LABELS = {}
for _band in HEADCOUNT_BANDS:
    for _name in (_band.key, _band.label, _band.label.rstrip("人")):
        _BAND_LABELS[_name.replace(" ", "")] = _band
del _band, _name


def parse_headcount(text: str, ctx=None) -> str:
    """A cell → a band key; raises CellError."""
    return _headcount_band(text).key


def _headcount_band(text: str) -> HeadcountBand:
    s = text.replace(" ", "").replace(",", "")
    band = _BAND_LABELS.get(s)
    if band is not None:
        return band
    if s.startswith("约"):
        s = s[1:]
    for suffix in ("人左右", "左右", "余人", "多人", "人", "名"):
        if s.endswith(suffix):
            s = s[: -len(suffix)]
            break
    if s.startswith(("-", "−")) and s[1:].isdigit():
        raise CellError("negative", f"不能为负数（“{text}”）。")
    match = _HEADCOUNT_INT.match(s)
    if match:
        return band_for_headcount(int(match.group(1)))
    s = s.replace("人", "")
    low = high = None
    if match := _HEADCOUNT_RANGE.match(s):
        low, high = int(match.group(1)), int(match.group(2))
        if low > high:
            raise CellError("invalid_headcount", f"人数区间“{text}”的下限大于上限。")
    elif match := _HEADCOUNT_ABOVE.match(s):
        low = int(match.group(1) or match.group(2))
        if match.group(2) is not None and "=" not in s and "≥" not in s:
            low += 1  # ">999" means 1000 or more
    elif match := _HEADCOUNT_BELOW.match(s):
        if match.group(1) is not None:
            high = int(match.group(1))
            # "20人以下" is the usual label for the band below 20.
            if any(band.low == high for band in HEADCOUNT_BANDS):
                high -= 1
        else:
            inclusive = match.group(2) == "=" or s.startswith("≤")
            high = int(match.group(3)) - (0 if inclusive else 1)
        low = 0
    else:
        raise CellError("invalid_headcount", f"无法识别“{text}”：{_HEADCOUNT_RULE}。")
    first = band_for_headcount(max(low, 0))
    if high is None:
        if first.high is None:
            return first
    elif high >= 0 and high in first:
        return first
    raise CellError(
        "ambiguous_headcount", f"人数区间“{text}”跨越了多个区间，{_HEADCOUNT_RULE}。"
    )

