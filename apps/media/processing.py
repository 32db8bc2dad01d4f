"""Upload validation and the image rendition engine.

Framework-free on purpose: this module depends on Pillow (plus pillow-heif
for HEIC/HEIF, when installed) and nothing from Django.  Every limit and
every rendition setting arrives as an argument, so callers can feed them from
Django settings (see ``RenditionConfig.from_mapping``) and the functions stay
testable without a configured project.

Two entry points:

``probe_image(source, max_pixels=..., max_bytes=...)``
    Validates an upload by its *content* (never by its name): format,
    dimensions, decompression bombs, truncation, SVG/HTML disguised as images
    and polyglot files.  Raises ``ImageRejected(code, message)`` with a stable
    English ``code`` and a Simplified Chinese ``message`` for the user.

``render_renditions(source, config=..., focal_point=...)``
    Decodes the original once and produces every public rendition (responsive
    widths plus a square crop around a focal point) in AVIF, WebP and JPEG,
    colour-managed to sRGB, orientation applied, with all metadata stripped.
"""

from __future__ import annotations

import functools
import io
import math
import os
import re
import threading
import warnings
import zipfile
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from dataclasses import dataclass, field, replace
from typing import IO, Any, Union

from PIL import Image, ImageCms, ImageFile, UnidentifiedImageError, features

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

OUTPUT_FORMATS = ("avif", "webp", "jpeg")
CONTENT_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg"}
EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg"}

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


def _human_bytes(n: int) -> str:
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


@functools.lru_cache(maxsize=None)
def avif_encoding_available() -> bool:
    """Whether this Pillow build can *write* AVIF (not just read it)."""
    if not features.check("avif"):
        return False
    try:
        Image.new("RGB", (16, 16)).save(io.BytesIO(), "AVIF", quality=50, speed=10)
    except Exception:  # noqa: BLE001 - any failure means "cannot encode"
        return False
    return True


def _open_image(fp: IO[bytes], formats: Iterable[str]) -> Image.Image:
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
            raise ImageRejected("too_large", size=_human_bytes(size), limit=_human_bytes(max_bytes))
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
            "too_large", size=_human_bytes(end - start), limit=_human_bytes(max_bytes)
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
        import gzip

        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
                head = gz.read(65536)
        except (OSError, EOFError):
            return False
    return bool(_MARKUP_START_RE.match(head) and _SVG_RE.search(head))


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


def _check_polyglot(data: bytes, pillow_format: str) -> None:
    match = _ACTIVE_CONTENT_RE.search(data)
    if match:
        raise ImageRejected("polyglot", found=match.group(0)[:20].decode("latin-1"))
    finder = _END_FINDERS.get(pillow_format)
    if finder is not None:
        end = finder(data)
        if end is not None:
            rest = data[end:]
            if rest.strip(_PADDING) and not (
                pillow_format in ("JPEG", "MPO") and _benign_jpeg_trailer(rest)
            ):
                raise ImageRejected("polyglot", found=f"{len(rest)} bytes after end of image")
    if zipfile.is_zipfile(io.BytesIO(data)):
        raise ImageRejected("polyglot", found="zip archive")


def _orientation(im: Image.Image) -> int:
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
        raise ImageRejected("too_large", size=f">{_human_bytes(max_bytes)}", limit=_human_bytes(max_bytes))
    accepted = set(accepted_formats) if accepted_formats is not None else set(ACCEPTED_FORMATS)

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im = _open_image(io.BytesIO(data), accepted)
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
            orientation = _orientation(im)
            mode = im.mode

    _check_polyglot(data, pillow_format)
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


# ---------------------------------------------------------------------------
# Rendition configuration
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EncoderSettings:
    """Encoder parameters; defaults chosen by measurement (bench/media/run.py)."""

    jpeg_quality: int = 82
    jpeg_progressive: bool = True
    jpeg_optimize: bool = False  # progressive JPEGs get optimised tables anyway
    jpeg_subsampling: str = "4:2:0"
    webp_quality: int = 80
    webp_method: int = 4
    avif_quality: int = 60
    avif_speed: int = 8
    avif_subsampling: str = "4:2:0"
    #: libavif encoder threads; None lets Pillow use every CPU.
    avif_threads: int | None = None


@dataclass(frozen=True)
class RenditionSpec:
    kind: str  # "width" or "crop"
    size: int  # target width, or side of the square crop
    format: str  # "avif", "webp" or "jpeg"


@dataclass(frozen=True)
class RenditionConfig:
    widths: tuple[int, ...] = (320, 640, 1280, 1920)
    crop_sizes: tuple[int, ...] = (400,)
    formats: tuple[str, ...] = OUTPUT_FORMATS
    encoder: EncoderSettings = field(default_factory=EncoderSettings)
    #: JPEG has no alpha: transparent pixels are flattened onto this colour.
    background: tuple[int, int, int] = (255, 255, 255)

    def __post_init__(self) -> None:
        for value in (*self.widths, *self.crop_sizes):
            if not isinstance(value, int) or value <= 0:
                raise ValueError(f"rendition sizes must be positive integers, got {value!r}")
        if not self.widths:
            raise ValueError("at least one rendition width is required")
        unknown = set(self.formats) - set(OUTPUT_FORMATS)
        if unknown or not self.formats:
            raise ValueError(f"unknown or missing output formats: {sorted(unknown)}")

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any] | None) -> RenditionConfig:
        """Build from a plain dict, e.g. a Django setting::

            {"widths": [320, 640], "crop_sizes": [400], "formats": ["webp", "jpeg"],
             "encoder": {"jpeg_quality": 85}}
        """
        if not mapping:
            return cls()
        kwargs: dict[str, Any] = {}
        for key in ("widths", "crop_sizes", "formats", "background"):
            if key in mapping:
                kwargs[key] = tuple(mapping[key])
        if "encoder" in mapping:
            kwargs["encoder"] = EncoderSettings(**dict(mapping["encoder"]))
        unknown = set(mapping) - {"widths", "crop_sizes", "formats", "background", "encoder"}
        if unknown:
            raise ValueError(f"unknown rendition settings: {sorted(unknown)}")
        return cls(**kwargs)

    def with_formats(self, *formats: str) -> RenditionConfig:
        return replace(self, formats=tuple(formats))


DEFAULT_CONFIG = RenditionConfig()


@dataclass
class Rendition:
    spec: RenditionSpec
    width: int
    height: int
    filename: str
    content_type: str
    nbytes: int
    #: Encoded bytes; None when they were handed to the ``write`` callback.
    data: bytes | None
    #: The source was an animation and only its first frame was rendered.
    animated: bool = False


class Renditions(list):
    """The list of ``Rendition`` objects plus facts about the source."""

    def __init__(
        self,
        items: Iterable[Rendition] = (),
        *,
        source_format: str = "",
        source_width: int = 0,
        source_height: int = 0,
        orientation: int = 1,
        animated: bool = False,
        colour_converted: bool = False,
        skipped: list[tuple[str, str]] | None = None,
    ):
        super().__init__(items)
        self.source_format = source_format
        self.source_width = source_width
        self.source_height = source_height
        self.orientation = orientation
        self.animated = animated
        self.colour_converted = colour_converted
        #: (format, reason) pairs for requested formats that were not produced.
        self.skipped = skipped or []


# ---------------------------------------------------------------------------
# Colour and mode handling
# ---------------------------------------------------------------------------

_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_PROFILE_SPACES = {"RGB": "RGB ", "RGBA": "RGB ", "CMYK": "CMYK", "L": "GRAY"}


@functools.lru_cache(maxsize=1)
def _srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@functools.lru_cache(maxsize=32)
def _icc_transform(icc: bytes, in_mode: str, out_mode: str) -> ImageCms.ImageCmsTransform | None:
    """Transform from an embedded profile to sRGB, or None to skip conversion.

    None for unreadable profiles, for profiles whose colour space does not fit
    the pixel data, and for sRGB profiles (converting them is a no-op).
    NOCACHE makes the cached transform safe to share between threads.
    """
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        space = profile.profile.xcolor_space
        description = (profile.profile.profile_description or "").strip().lower()
    except (OSError, ValueError, TypeError, ImageCms.PyCMSError):
        return None
    if space != _PROFILE_SPACES.get(in_mode) or description.startswith("srgb"):
        return None
    try:
        return ImageCms.buildTransform(
            profile,
            _srgb_profile(),
            in_mode,
            out_mode,
            renderingIntent=ImageCms.Intent.PERCEPTUAL,
            flags=ImageCms.Flags.NOCACHE,
        )
    except (OSError, ValueError, ImageCms.PyCMSError):
        return None


def _normalise_mode(im: Image.Image) -> Image.Image:
    """Convert the decoded image to L, RGB, RGBA or CMYK before resampling.

    Resizing "P" or "1" images silently falls back to nearest neighbour in
    Pillow, 16-bit grey must be scaled (plain conversion clips), and alpha
    that is fully opaque is dropped.
    """
    mode = im.mode
    if mode in ("L", "RGB", "CMYK"):
        return im
    if mode == "RGBA":
        out = im
    elif mode in ("P", "PA"):
        out = im.convert("RGBA" if im.has_transparency_data else "RGB")
    elif mode == "1":
        out = im.convert("L")
    elif mode in ("LA", "La"):
        out = im.convert("RGBA")
    elif mode == "RGBa":
        out = im.convert("RGBA")
    elif mode.startswith("I;16") or mode in ("I", "F"):
        out = _scale_to_8bit(im)
    elif mode == "LAB":
        transform = ImageCms.buildTransform(
            ImageCms.createProfile("LAB"), _srgb_profile(), "LAB", "RGB"
        )
        out = ImageCms.applyTransform(im, transform)
    else:  # YCbCr, HSV, RGBX, ...
        out = im.convert("RGB")
    if out.mode == "RGBA" and out.getextrema()[3][0] == 255:
        out = out.convert("RGB")
    return out


def _scale_to_8bit(im: Image.Image) -> Image.Image:
    """16/32-bit integer or float grey to 8-bit "L".

    "I;16*" uses the full 0..65535 range.  "I" is assumed to hold 16-bit
    samples unless its maximum shows 8-bit data; "F" is assumed 0..1 when its
    maximum is <= 1, else 0..255.
    """
    sixteen_bit = im.mode.startswith("I;16")
    if im.mode not in ("I", "F"):
        im = im.convert("I")
    low, high = im.getextrema()
    if im.mode == "F":
        scale = 255.0 if high <= 1.0 else 1.0
    else:
        scale = 1 / 257 if sixteen_bit or high > 255 else 1.0
    if scale != 1.0:
        im = im.point(lambda v: v * scale)
    return im.convert("L")


def _prepare_colour(im: Image.Image, icc: bytes | None) -> tuple[Image.Image, bool]:
    """Colour-manage ``im`` from its embedded profile ``icc`` to sRGB.

    Returns (image in L/RGB/RGBA, whether a conversion was applied).
    Images without a (usable) profile are taken to be sRGB already.
    """
    mode = im.mode
    converted = False
    if icc:
        out_mode = "RGBA" if mode == "RGBA" else "RGB"
        transform = _icc_transform(bytes(icc), mode, out_mode)
        if transform is not None:
            if mode == out_mode:
                ImageCms.applyTransform(im, transform, inPlace=True)
            else:
                im = ImageCms.applyTransform(im, transform)
            converted = True
    if im.mode == "CMYK":
        im = im.convert("RGB")
    return im, converted


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------


@dataclass
class _Level:
    width: int
    height: int
    crops: list[int] = field(default_factory=list)  # crop sides taken from this level


def _plan(ow: int, oh: int, config: RenditionConfig) -> tuple[list[_Level], list[int]]:
    """Cascade levels (descending) and the crop sides that need the base image."""
    widths = sorted({w for w in config.widths if w <= ow}, reverse=True) or [ow]
    levels = [_Level(w, max(1, round(w * oh / ow))) for w in widths]
    from_base: list[int] = []
    for side in sorted({min(c, ow, oh) for c in config.crop_sizes}):
        for level in reversed(levels):  # smallest level that is big enough
            if min(level.width, level.height) >= side:
                level.crops.append(side)
                break
        else:
            from_base.append(side)
    return levels, from_base


def _resize(im: Image.Image, size: tuple[int, int], box=None) -> Image.Image:
    if box is None and im.size == size:
        return im
    # reducing_gap: integer-factor Image.reduce() first for big ratios, then
    # Lanczos for the rest (Pillow documents 3.0 as indistinguishable from a
    # plain Lanczos resize).
    out = im.resize(size, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
    out.info = {}
    return out


def _square_crop(im: Image.Image, side: int, focal: tuple[float, float]) -> Image.Image:
    w, h = im.size
    square = min(w, h)
    left = min(max(round(focal[0] * w - square / 2), 0), w - square)
    top = min(max(round(focal[1] * h - square / 2), 0), h - square)
    box = (left, top, left + square, top + square)
    if square == side:
        out = im.crop(box)
        out.info = {}
        return out
    return _resize(im, (side, side), box=box)


def _encode(im: Image.Image, fmt: str, enc: EncoderSettings, background) -> bytes:
    """Encode one rendition; no metadata of any kind is written.

    ``im`` may be shared with other encoder threads and is not modified.
    The metadata parameters are passed explicitly empty because Pillow falls
    back to ``im.info`` for some of them (JPEG comment, AVIF ICC profile).
    """
    buf = io.BytesIO()
    if fmt == "jpeg":
        if im.mode == "RGBA":
            flat = Image.new("RGB", im.size, background)
            flat.paste(im, mask=im.getchannel("A"))
            im = flat
        elif im.mode not in ("RGB", "L"):
            im = im.convert("RGB")
        im.save(
            buf,
            "JPEG",
            quality=enc.jpeg_quality,
            progressive=enc.jpeg_progressive,
            optimize=enc.jpeg_optimize,
            subsampling=enc.jpeg_subsampling,
            comment=b"",
            exif=b"",
            icc_profile=None,
        )
    else:
        if im.mode not in ("RGB", "RGBA"):
            im = im.convert("RGB")  # also avoids 4:0:0 AVIF, badly supported in browsers
        if fmt == "webp":
            im.save(
                buf, "WEBP", quality=enc.webp_quality, method=enc.webp_method, exif=b"", icc_profile=None
            )
        else:
            params: dict[str, Any] = {
                "quality": enc.avif_quality,
                "speed": enc.avif_speed,
                "subsampling": enc.avif_subsampling,
                "exif": b"",
                "icc_profile": None,
            }
            if enc.avif_threads:
                params["max_threads"] = enc.avif_threads
            im.save(buf, "AVIF", **params)
    return buf.getvalue()


class _InlineExecutor:
    """Executor stand-in that runs jobs immediately (max_workers <= 1)."""

    def submit(self, fn, *args) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # noqa: BLE001 - re-raised by result()
            future.set_exception(exc)
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


#: Measured working memory of one encode, in bytes per output pixel, on top
#: of the source image (Pillow 13: the AVIF path copies the pixels twice and
#: libaom needs ~20 B/px; WebP imports into ARGB and YUV; a progressive JPEG
#: buffers every DCT coefficient).
_ENCODE_BYTES_PER_PIXEL = {"avif": 22.0, "webp": 7.0, "jpeg": 3.5, "jpeg-baseline": 1.0}


def _encode_cost(fmt: str, im: Image.Image, enc: EncoderSettings) -> int:
    key = fmt if fmt != "jpeg" or enc.jpeg_progressive else "jpeg-baseline"
    cost = _ENCODE_BYTES_PER_PIXEL[key] * im.width * im.height
    if fmt == "jpeg" and im.mode == "RGBA":
        cost += 4 * im.width * im.height  # flattened copy
    return int(cost)


def _load_malloc_trim() -> Callable[[], None]:
    """glibc's ``malloc_trim(0)``: hand free heap pages back to the OS.

    Big encoder buffers freed in one thread's malloc arena are otherwise kept
    and the next big job in another thread's arena adds to the RSS.  A no-op
    where glibc is not the allocator.
    """
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return lambda: None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return lambda: trim(0) and None


_malloc_trim = _load_malloc_trim()
#: Jobs estimated above this release free heap memory when they finish.
_TRIM_AFTER_BYTES = 8 * 1024 * 1024


class _MemoryGate:
    """Lets concurrent encodes start only while their estimated working
    memory fits in a budget; a job larger than the budget runs alone."""

    def __init__(self, budget: int):
        self.budget = budget
        self.in_use = 0
        self.running = 0
        self.cond = threading.Condition()

    def run(self, cost: int, fn, *args):
        with self.cond:
            while self.running and self.in_use + cost > self.budget:
                self.cond.wait()
            self.in_use += cost
            self.running += 1
        try:
            return fn(*args)
        finally:
            if cost >= _TRIM_AFTER_BYTES:
                _malloc_trim()
            with self.cond:
                self.in_use -= cost
                self.running -= 1
                self.cond.notify_all()


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


#: Default cap on the estimated memory of encodes running at the same time.
DEFAULT_ENCODE_MEMORY = 48 * 1024 * 1024


def render_renditions(
    source: Source,
    *,
    config: RenditionConfig = DEFAULT_CONFIG,
    focal_point: tuple[float, float] | None = None,
    write: Callable[[str, bytes], None] | None = None,
    name: str = "image",
    max_workers: int | None = None,
    encode_memory: int | None = None,
) -> Renditions:
    """Decode ``source`` once and produce every rendition in ``config``.

    ``source``: path or binary file object of an upload that already passed
    ``probe_image``.  ``focal_point``: (x, y) fractions of the *displayed*
    image (after EXIF orientation) to centre crops on; default centre.
    ``write``: optional ``write(filename, data)`` callback, called from this
    thread in result order once everything is encoded; the results then carry
    ``data=None``.
    ``name``: filename stem for the suggested file names.
    ``max_workers``: encoder threads (Pillow releases the GIL while
    resampling and while encoding WebP/AVIF); default ``default_workers()``,
    1 encodes inline.  ``encode_memory``: bytes that concurrently running
    encodes may use by estimate (default ``DEFAULT_ENCODE_MEMORY``); an encode
    estimated above it runs alone, which bounds the peak RSS.

    Widths larger than the displayed image are skipped (never upscaled); an
    image narrower than every configured width gets one rendition at its own
    width.  A crop side is limited to the image's short side.
    """
    if "/" in name or "\\" in name or name in ("", ".", ".."):
        raise ValueError(f"invalid rendition file name stem: {name!r}")
    fx, fy = focal_point if focal_point is not None else (0.5, 0.5)
    focal = (min(max(float(fx), 0.0), 1.0), min(max(float(fy), 0.0), 1.0))

    formats = list(dict.fromkeys(config.formats))
    skipped: list[tuple[str, str]] = []
    if "avif" in formats and not avif_encoding_available():
        formats.remove("avif")
        skipped.append(("avif", "this Pillow build cannot encode AVIF"))

    # Paths are opened here so the file can be closed right after decoding
    # without Image.close(), which would also free the decoded pixels.
    owned = open(source, "rb") if isinstance(source, (str, os.PathLike)) else None
    try:
        opened = _open_image(owned if owned is not None else source, ACCEPTED_FORMATS)
        pillow_format = opened.format or ""
        animated = bool(getattr(opened, "is_animated", False)) and pillow_format in ANIMATED_FORMATS
        orientation = _orientation(opened)
        sw, sh = opened.size
        swapped = orientation >= 5
        ow, oh = (sh, sw) if swapped else (sw, sh)
        levels, crops_from_base = _plan(ow, oh, config)

        if pillow_format in ("JPEG", "MPO"):
            # DCT-domain downscaling: decode at 1/2, 1/4 or 1/8 scale as long
            # as the result still covers the largest rendition.
            scale = levels[0].width / ow
            for side in crops_from_base:
                scale = max(scale, side / min(ow, oh))
            opened.draft("RGB", (math.ceil(sw * scale), math.ceil(sh * scale)))
        opened.load()
        icc = opened.info.get("icc_profile")
        base = _normalise_mode(opened)
        del opened
    finally:
        if owned is not None:
            owned.close()

    method = _TRANSPOSE.get(orientation)

    def finish(im: Image.Image) -> tuple[Image.Image, bool]:
        im, converted = _prepare_colour(im, icc)
        if method is not None:
            im = im.transpose(method)
        im.info = {}
        return im, converted

    def stored(level: _Level) -> tuple[int, int]:
        return (level.height, level.width) if swapped else (level.width, level.height)

    workers = default_workers() if max_workers is None else max_workers
    executor: Any = ThreadPoolExecutor(workers) if workers > 1 else _InlineExecutor()
    gate = _MemoryGate(DEFAULT_ENCODE_MEMORY if encode_memory is None else encode_memory)
    jobs: list[tuple[RenditionSpec, int, int, Future]] = []
    enc = config.encoder

    def submit(kind: str, size: int, im: Image.Image) -> None:
        # Biggest encodes first.  One that is over the memory budget runs
        # alone, and this thread waits for it instead of allocating the next
        # intermediates meanwhile: its peak is then only its own.
        costs = {fmt: _encode_cost(fmt, im, enc) for fmt in formats}
        for fmt in sorted(formats, key=costs.__getitem__, reverse=True):
            spec = RenditionSpec(kind, size, fmt)
            future = executor.submit(gate.run, costs[fmt], _encode, im, fmt, enc, config.background)
            jobs.append((spec, im.width, im.height, future))
            if costs[fmt] > gate.budget:
                futures_wait([future])

    try:
        if crops_from_base or base.size == stored(levels[0]):
            current, converted = finish(base)
            del base
            for side in crops_from_base:
                submit("crop", side, _square_crop(current, side, focal))
            top = _resize(current, (levels[0].width, levels[0].height))
            del current
        else:
            top = _resize(base, stored(levels[0]))
            del base
            top, converted = finish(top)
        _malloc_trim()  # the decoded original is gone: return its pages

        previous = top
        del top
        for index, level in enumerate(levels):
            im = previous if index == 0 else _resize(previous, (level.width, level.height))
            previous = im  # the next level is made from this one
            submit("width", level.width, im)
            for side in level.crops:
                submit("crop", side, _square_crop(im, side, focal))
            del im
        del previous

        results: list[Rendition] = []
        for spec, width, height, future in jobs:
            data = future.result()
            label = f"w{spec.size}" if spec.kind == "width" else f"c{spec.size}"
            results.append(
                Rendition(
                    spec=spec,
                    width=width,
                    height=height,
                    filename=f"{name}-{label}.{EXTENSIONS[spec.format]}",
                    content_type=CONTENT_TYPES[spec.format],
                    nbytes=len(data),
                    data=data,
                    animated=animated,
                )
            )
    finally:
        executor.shutdown(wait=True, cancel_futures=True)

    kind_order = {"width": 0, "crop": 1}
    format_order = {fmt: i for i, fmt in enumerate(formats)}
    results.sort(key=lambda r: (kind_order[r.spec.kind], r.spec.size, format_order[r.spec.format]))
    if write is not None:
        for rendition in results:
            write(rendition.filename, rendition.data)
            rendition.data = None
    return Renditions(
        results,
        source_format=ACCEPTED_FORMATS.get(pillow_format, pillow_format.lower()),
        source_width=ow,
        source_height=oh,
        orientation=orientation,
        animated=animated,
        colour_converted=converted,
        skipped=skipped,
    )
