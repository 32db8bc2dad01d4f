"""Image upload validation: is this file an image we accept?

Framework-free on purpose: this module depends on Pillow (plus pillow-heif
for HEIC/HEIF, when installed) and nothing from Django; every limit arrives
as an argument, so the functions are testable without a configured project.

``probe_image(source, max_pixels=..., max_bytes=...)`` validates an upload by
its *content* (never by its name): format, dimensions, decompression bombs,
truncation, SVG/HTML disguised as images and polyglot files (``polyglot``).
It raises ``ImageRejected(code, message)`` with a stable English ``code`` and
a Simplified Chinese ``message`` for the user. The renditions are made from
an accepted upload by ``renditions.render_renditions``.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import threading
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any, Union

from PIL import Image, ImageFile, UnidentifiedImageError

from .polyglot import foreign_content

Source = Union[str, os.PathLike, IO[bytes]]

# ---------------------------------------------------------------------------
# Limits and accepted formats
# ---------------------------------------------------------------------------

#: Pillow's own default for ``Image.MAX_IMAGE_PIXELS`` (about 89.5 MP).
DEFAULT_MAX_PIXELS = 89_478_485
#: Default cap on the size of an uploaded file.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

#: Pillow format id -> canonical lower-case name reported by ``probe_image``.
#: MPO is the JPEG multi-picture variant written by many phones and cameras.
ACCEPTED_FORMATS: dict[str, str] = {
    "JPEG": "jpeg",
    "MPO": "jpeg",
    "PNG": "png",
    "WEBP": "webp",
    "GIF": "gif",
    "AVIF": "avif",
    "HEIF": "heif",
    "TIFF": "tiff",
}

#: Formats whose multi-frame files are animations (as opposed to MPO
#: previews or HEIF image collections).
ANIMATED_FORMATS = frozenset({"GIF", "WEBP", "PNG", "AVIF"})


# ---------------------------------------------------------------------------
# Rejections
# ---------------------------------------------------------------------------

#: Stable error codes and the Simplified Chinese messages shown to users.
MESSAGES: dict[str, str] = {
    "empty": "上传的文件是空的（0 字节），请重新选择图片。",
    "too_large": "图片文件过大（{size}），不能超过 {limit}。",
    "svg": "不支持 SVG 矢量图（其中可能包含脚本），请上传 JPEG、PNG、WebP 等位图格式。",
    "not_image": "文件内容不是有效的图片（系统按文件内容而非扩展名判断），请上传真实的图片文件。",
    "unsupported_format": (
        "不支持的图片格式（{format}）。支持的格式：JPEG、PNG、WebP、GIF、AVIF、HEIC/HEIF、TIFF。"
    ),
    "too_many_pixels": "图片像素过多（{pixels} 像素），超过 {limit} 像素的上限，请缩小尺寸后再上传。",
    "truncated": "图片文件不完整（可能上传中断或文件已截断），请重新上传。",
    "corrupt": "图片文件已损坏，无法解码，请检查后重新上传。",
    "polyglot": "图片文件中夹带了非图片内容（如网页、脚本或压缩包），出于安全原因已拒绝。",
    "animated": "不支持动图（{format} 动画，共 {frames} 帧），请上传静态图片（可截取其中一帧）。",
}


class ImageRejected(Exception):
    """An upload that must not be accepted as an image.

    ``code`` is a stable English identifier for programs and logs;
    ``message`` is the Simplified Chinese text to show to the user.
    """

    def __init__(self, code: str, message: str | None = None, **params: Any):
        if message is None:
            message = MESSAGES[code].format(**params)
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params

    def __repr__(self) -> str:
        return f"ImageRejected({self.code!r}, {self.message!r})"


def human_bytes(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} 字节"


# ---------------------------------------------------------------------------
# Optional HEIF support
# ---------------------------------------------------------------------------

_heif_lock = threading.Lock()
_heif_state: bool | None = None


def heif_supported() -> bool:
    """Register pillow-heif's opener once; False when it is not installed."""
    global _heif_state
    if _heif_state is None:
        with _heif_lock:
            if _heif_state is None:
                try:
                    import pillow_heif
                except ImportError:
                    _heif_state = False
                else:
                    pillow_heif.register_heif_opener()
                    _heif_state = True
    return _heif_state


def open_image(fp: IO[bytes], formats: Iterable[str]) -> Image.Image:
    """``Image.open`` restricted to ``formats``; HEIF support loaded on demand.

    pillow-heif is only imported (and its opener registered) when a file with
    an ISO-BMFF ``ftyp`` box is not recognised by Pillow's own plugins, which
    keeps its libraries out of processes that never see HEIC uploads.
    """
    formats = list(formats)
    Image.init()  # registers every bundled plugin (idempotent)
    own = [f for f in formats if f != "HEIF" and f in Image.OPEN]
    try:
        return Image.open(fp, formats=own)
    except UnidentifiedImageError:
        if "HEIF" not in formats:
            raise
        fp.seek(0)  # Image.open always reads from the start of the stream
        head = fp.read(12)
        fp.seek(0)
        if head[4:8] != b"ftyp" or not heif_supported():
            raise
        return Image.open(fp, formats=["HEIF"])


# ---------------------------------------------------------------------------
# Probe
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ProbeResult:
    format: str  # canonical name from ACCEPTED_FORMATS ("jpeg", "png", ...)
    pillow_format: str  # Pillow's format id ("JPEG", "MPO", "HEIF", ...)
    width: int  # as displayed, i.e. after EXIF orientation
    height: int
    mode: str  # Pillow mode of the decoded (first) frame
    frames: int
    animated: bool
    orientation: int  # EXIF orientation tag, 1 when absent
    size_bytes: int


def _read_upload(source: Source, max_bytes: int) -> bytes:
    """Read the whole upload, refusing early when it is over ``max_bytes``.

    File objects are rewound to where they were, so the caller can store or
    process the same object afterwards.
    """
    if isinstance(source, (str, os.PathLike)):
        size = os.stat(source).st_size
        if size > max_bytes:
            raise ImageRejected("too_large", size=human_bytes(size), limit=human_bytes(max_bytes))
        with open(source, "rb") as fh:
            return fh.read(max_bytes + 1)
    start = None
    try:
        start = source.tell()
        end = source.seek(0, os.SEEK_END)
        source.seek(start)
    except (AttributeError, OSError, ValueError):
        end = None
    if end is not None and end - start > max_bytes:
        raise ImageRejected(
            "too_large", size=human_bytes(end - start), limit=human_bytes(max_bytes)
        )
    try:
        data = source.read(max_bytes + 1)
    finally:
        if start is not None:
            source.seek(start)
    if isinstance(data, str):  # a text-mode file object is a caller bug
        raise TypeError("probe_image() needs a binary file object")
    return bytes(data)


_SVG_RE = re.compile(rb"<svg[\s>/]", re.IGNORECASE)
_MARKUP_START_RE = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<", re.IGNORECASE)


def _looks_like_svg(data: bytes) -> bool:
    head = data[:65536]
    if head[:2] == b"\x1f\x8b":  # svgz: gzip-compressed SVG
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
                head = gz.read(65536)
        except (OSError, EOFError):
            return False
    return bool(_MARKUP_START_RE.match(head) and _SVG_RE.search(head))



def exif_orientation(im: Image.Image) -> int:
    try:
        value = int(im.getexif().get(0x0112, 1))
    except Exception:  # noqa: BLE001 - unreadable EXIF means "no orientation"
        return 1
    return value if 1 <= value <= 8 else 1


class _TruncationGuard:
    """Force ``ImageFile.LOAD_TRUNCATED_IMAGES = False`` for the duration.

    The flag is a Pillow global; it is only touched when someone else turned
    it on, and restored afterwards.
    """

    def __enter__(self) -> None:
        self.saved = ImageFile.LOAD_TRUNCATED_IMAGES
        if self.saved:
            ImageFile.LOAD_TRUNCATED_IMAGES = False

    def __exit__(self, *exc: object) -> None:
        if self.saved:
            ImageFile.LOAD_TRUNCATED_IMAGES = self.saved


def _is_truncation(exc: BaseException) -> bool:
    if isinstance(exc, EOFError):
        return True
    text = str(exc).lower()
    return "truncated" in text or "premature end" in text or "unexpected end" in text


def probe_image(
    source: Source,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    accepted_formats: Iterable[str] | None = None,
) -> ProbeResult:
    """Validate an upload by content; return its basic facts or raise.

    ``source`` is a path or a binary file object (e.g. Django's
    ``UploadedFile``; its position is restored afterwards).  The first frame
    is decoded completely (JPEG at 1/8 scale, which still reads all of its
    data), which is what detects truncated and corrupt files.

    Pixel limit: anything over ``max_pixels`` is rejected, and so is anything
    in Pillow's DecompressionBomb warning zone (over ``Image.MAX_IMAGE_PIXELS``),
    whose warning is turned into an error here.
    """
    data = _read_upload(source, max_bytes)
    if not data:
        raise ImageRejected("empty")
    if len(data) > max_bytes:
        raise ImageRejected("too_large", size=f">{human_bytes(max_bytes)}", limit=human_bytes(max_bytes))
    accepted = set(accepted_formats) if accepted_formats is not None else set(ACCEPTED_FORMATS)

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im = open_image(io.BytesIO(data), accepted)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            _raise_pixels(exc, max_pixels)
        except UnidentifiedImageError:
            if _looks_like_svg(data):
                raise ImageRejected("svg") from None
            other = _identify_other_format(data)
            if other:
                raise ImageRejected("unsupported_format", format=other) from None
            raise ImageRejected("not_image") from None
        except Exception as exc:  # noqa: BLE001 - header parsing failures
            if _is_truncation(exc):
                raise ImageRejected("truncated") from exc
            raise ImageRejected("corrupt") from exc

        with im:
            pillow_format = im.format or ""
            if (pillow_format if pillow_format != "MPO" else "JPEG") not in accepted:
                raise ImageRejected("unsupported_format", format=pillow_format or "?")
            width, height = im.size
            if width <= 0 or height <= 0:
                raise ImageRejected("corrupt")
            if width * height > max_pixels:
                raise ImageRejected(
                    "too_many_pixels", pixels=f"{width}×{height}", limit=f"{max_pixels:,}"
                )
            try:
                frames = int(getattr(im, "n_frames", 1) or 1)
                if pillow_format in ("JPEG", "MPO"):
                    # Decoding at 1/8 scale still reads every scan's entropy
                    # coded data (so truncation and corrupt data are caught)
                    # for a fraction of the cost of a full-size decode.
                    im.draft(None, (max(1, width // 8), max(1, height // 8)))
                with _TruncationGuard():
                    im.load()
            except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
                _raise_pixels(exc, max_pixels)
            except Exception as exc:  # noqa: BLE001 - decoder failures of any kind
                if _is_truncation(exc):
                    raise ImageRejected("truncated") from exc
                raise ImageRejected("corrupt") from exc
            orientation = exif_orientation(im)
            mode = im.mode

    found = foreign_content(data, pillow_format)
    if found:
        raise ImageRejected("polyglot", found=found)
    if orientation >= 5:
        width, height = height, width
    return ProbeResult(
        format=ACCEPTED_FORMATS.get(pillow_format, pillow_format.lower()),
        pillow_format=pillow_format,
        width=width,
        height=height,
        mode=mode,
        frames=frames,
        animated=frames > 1 and pillow_format in ANIMATED_FORMATS,
        orientation=orientation,
        size_bytes=len(data),
    )


def _raise_pixels(exc: BaseException, max_pixels: int) -> None:
    """Report a decompression bomb caught by Pillow's own guard.

    Pillow's message carries the pixel count; the image is never reopened
    with the guard lowered (``Image.MAX_IMAGE_PIXELS`` is process-global).
    """
    match = re.search(r"\((\d+) pixels\)", str(exc))
    pixels = f"{int(match.group(1)):,}" if match else "?"
    pillow_limit = Image.MAX_IMAGE_PIXELS
    limit = min(max_pixels, pillow_limit) if pillow_limit else max_pixels
    raise ImageRejected("too_many_pixels", pixels=pixels, limit=f"{limit:,}") from exc


def _identify_other_format(data: bytes) -> str | None:
    """Name a format Pillow knows but we do not accept (header parse only)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as im:
                return im.format
    except Exception:  # noqa: BLE001
        return None
