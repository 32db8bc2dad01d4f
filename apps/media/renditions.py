"""The image rendition engine: every public file made from one original.

Framework-free on purpose: Pillow only, and every rendition setting arrives
as an argument (``RenditionConfig.from_mapping`` reads a Django setting), so
the engine is testable without a configured project.

``render_renditions(source, config=..., focal_point=...)`` decodes an
original that ``validation.probe_image`` accepted once and produces every
public rendition (responsive widths plus a square crop around a focal point)
in AVIF, WebP and JPEG, colour-managed to sRGB, orientation applied, with all
metadata stripped. Speed comes from a downscaled JPEG decode and a resize
cascade; what else it needs to stay within ``bench/media``'s targets is
measured there.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from dataclasses import dataclass, field, replace
from typing import Any

from PIL import Image

from .colour import TRANSPOSE, normalise_mode, prepare_colour
from .encoding import (
    DEFAULT_ENCODE_MEMORY,
    EncoderSettings,
    InlineExecutor,
    MemoryGate,
    avif_encoding_available,
    default_workers,
    encode,
    encode_cost,
    malloc_trim,
)
from .validation import ACCEPTED_FORMATS, ANIMATED_FORMATS, Source, exif_orientation, open_image

OUTPUT_FORMATS = ("avif", "webp", "jpeg")
CONTENT_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg"}
EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg"}


# ---------------------------------------------------------------------------
# Rendition configuration
# ---------------------------------------------------------------------------


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
        opened = open_image(owned if owned is not None else source, ACCEPTED_FORMATS)
        pillow_format = opened.format or ""
        animated = bool(getattr(opened, "is_animated", False)) and pillow_format in ANIMATED_FORMATS
        orientation = exif_orientation(opened)
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
        base = normalise_mode(opened)
        del opened
    finally:
        if owned is not None:
            owned.close()

    method = TRANSPOSE.get(orientation)

    def finish(im: Image.Image) -> tuple[Image.Image, bool]:
        im, converted = prepare_colour(im, icc)
        if method is not None:
            im = im.transpose(method)
        im.info = {}
        return im, converted

    def stored(level: _Level) -> tuple[int, int]:
        return (level.height, level.width) if swapped else (level.width, level.height)

    workers = default_workers() if max_workers is None else max_workers
    executor: Any = ThreadPoolExecutor(workers) if workers > 1 else InlineExecutor()
    gate = MemoryGate(DEFAULT_ENCODE_MEMORY if encode_memory is None else encode_memory)
    jobs: list[tuple[RenditionSpec, int, int, Future]] = []
    enc = config.encoder

    def submit(kind: str, size: int, im: Image.Image) -> None:
        # Biggest encodes first.  One that is over the memory budget runs
        # alone, and this thread waits for it instead of allocating the next
        # intermediates meanwhile: its peak is then only its own.
        costs = {fmt: encode_cost(fmt, im, enc) for fmt in formats}
        for fmt in sorted(formats, key=costs.__getitem__, reverse=True):
            spec = RenditionSpec(kind, size, fmt)
            future = executor.submit(gate.run, costs[fmt], encode, im, fmt, enc, config.background)
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
        malloc_trim()  # the decoded original is gone: return its pages

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
