"""Polyglot detection: an image file that is also something else.

A file can be a valid JPEG and at the same time a web page, a script or a zip
archive (a "polyglot"): browsers or other tools that sniff content may run it.
``foreign_content`` finds markup and script anywhere in the file, data after
the end of the image (apart from what phones legitimately append) and zip
archives. Framework-free; used by ``validation.probe_image``.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable


def _nocase(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


# Active content that has no business inside an image file.  Every pattern
# starts with a literal "<" so the regex engine can skip ahead quickly (a
# re.IGNORECASE pattern is ~25x slower on a 6 MB file); letters are matched
# case-insensitively through character classes.  All patterns are at least
# five bytes long, which keeps accidental hits inside compressed pixel data
# negligible (below 1e-4 for a 20 MB file for the shortest, "<?php").
_ACTIVE_CONTENT_RE = re.compile(
    (
        "<(?:"
        + "|".join(
            [
                r"\s*" + _nocase("script"),
                r"\?" + _nocase("php"),
                r"\s*" + _nocase("html"),
                "!" + _nocase("doctype") + r"\s+" + _nocase("html"),
                r"\s*" + _nocase("iframe"),
                r"\s*" + _nocase("svg") + r"[\s>/]",
                r"\s*" + _nocase("body") + r"[\s>]",
            ]
        )
        + ")"
    ).encode("ascii")
)
# Appended padding some tools leave after the end of an image.
_PADDING = b"\x00\xff\r\n\t "
_JPEG_MARKER_RE = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


def _jpeg_end(data: bytes) -> int | None:
    """Offset just past the EOI marker of the first JPEG image, or None."""
    n = len(data)
    if data[:2] != b"\xff\xd8":
        return None
    pos = 2
    while pos < n:
        if data[pos] != 0xFF:
            return None
        while pos < n and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= n:
            return None
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # EOI
            return pos
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # RSTn / TEM: no length
            continue
        if pos + 2 > n:
            return None
        seglen = (data[pos] << 8) | data[pos + 1]
        if seglen < 2:
            return None
        pos += seglen
        if marker == 0xDA:  # SOS: entropy-coded data runs up to the next marker
            match = _JPEG_MARKER_RE.search(data, pos)
            if match is None:
                return None
            pos = match.start()
    return None


def _png_end(data: bytes) -> int | None:
    n = len(data)
    pos = 8
    while pos + 12 <= n:
        length = int.from_bytes(data[pos : pos + 4], "big")
        ctype = data[pos + 4 : pos + 8]
        pos += 12 + length
        if ctype == b"IEND":
            return pos if pos <= n else None
    return None


def _webp_end(data: bytes) -> int | None:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return None
    end = 8 + int.from_bytes(data[4:8], "little")
    end += end & 1
    return end if end <= len(data) else None


def _gif_skip_sub_blocks(data: bytes, pos: int) -> int | None:
    n = len(data)
    while pos < n:
        size = data[pos]
        pos += 1
        if size == 0:
            return pos
        pos += size
    return None


def _gif_end(data: bytes) -> int | None:
    n = len(data)
    if n < 13:
        return None
    flags = data[10]
    pos: int | None = 13
    if flags & 0x80:
        pos += 3 * (2 << (flags & 7))
    while pos is not None and pos < n:
        block = data[pos]
        pos += 1
        if block == 0x3B:  # trailer
            return pos
        if block == 0x21:  # extension: label, then sub-blocks
            pos = _gif_skip_sub_blocks(data, pos + 1)
        elif block == 0x2C:  # image descriptor
            if pos + 9 > n:
                return None
            flags = data[pos + 8]
            pos += 9
            if flags & 0x80:
                pos += 3 * (2 << (flags & 7))
            pos = _gif_skip_sub_blocks(data, pos + 1)  # after LZW minimum code size
        else:
            return None
    return None


_END_FINDERS: dict[str, Callable[[bytes], int | None]] = {
    "JPEG": _jpeg_end,
    "MPO": _jpeg_end,
    "PNG": _png_end,
    "WEBP": _webp_end,
    "GIF": _gif_end,
}


def _benign_jpeg_trailer(rest: bytes) -> bool:
    """Data that phones and cameras legitimately append after a JPEG's EOI.

    Anything else after the end of the image is treated as a polyglot.
    """
    return (
        rest.lstrip(b"\x00").startswith(b"\xff\xd8\xff")  # MPF / Ultra HDR: more JPEGs
        or rest[4:8] == b"ftyp"  # "motion photo" / "live photo": an appended MP4
        or rest.rstrip(b"\x00").endswith(b"SEFT")  # Samsung trailer (SEFH ... SEFT)
    )


def foreign_content(data: bytes, pillow_format: str) -> str | None:
    """What does not belong in an image file of ``pillow_format`` (markup or script,
    data after the end of the image, a zip archive), described briefly; None when clean."""
    match = _ACTIVE_CONTENT_RE.search(data)
    if match:
        return match.group(0)[:20].decode("latin-1")
    finder = _END_FINDERS.get(pillow_format)
    if finder is not None:
        end = finder(data)
        if end is not None:
            rest = data[end:]
            if rest.strip(_PADDING) and not (
                pillow_format in ("JPEG", "MPO") and _benign_jpeg_trailer(rest)
            ):
                return f"{len(rest)} bytes after end of image"
    if zipfile.is_zipfile(io.BytesIO(data)):
        return "zip archive"
    return None

