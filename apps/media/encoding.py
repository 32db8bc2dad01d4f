"""Encoding renditions, and the encoder pool they run in.

``encode`` writes one rendition as AVIF, WebP or JPEG with no metadata.
``render_renditions`` runs the encodes in a small thread pool (Pillow releases
the GIL while encoding), admitted by a ``MemoryGate`` so that concurrent
encodes stay within a memory budget, and hands freed heap back to the OS
(``malloc_trim``) after big ones. ``bench/media/run.py --tuning`` measures each
piece turned off: without the pool the AVIF set is slower, and with the pool
but without the gate or the trim the peak RSS with AVIF rises from about 100 MB
to 125-130 MB. Framework-free.
"""

from __future__ import annotations

import functools
import io
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from PIL import Image, features


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


def encode(im: Image.Image, fmt: str, enc: EncoderSettings, background) -> bytes:
    """Encode one rendition; no metadata of any kind is written.

    ``im`` may be shared with other encoder threads and is not modified.
    The metadata parameters are passed explicitly empty because Pillow falls
    back to ``im.info`` for some of them (JPEG comment, AVIF ICC profile).
    """
    # Pillow's save() writes its parameters onto the image object (``encoderinfo``,
    # ``_default_encoderinfo``), so two threads saving one image mix their settings
    # (a WebP encoded with the JPEG's quality). Each encode gets its own Image object
    # over the same pixels: ``_new`` wraps the existing core image without copying it
    # (``copy()`` would duplicate every rendition's pixels per format).
    im = im._new(im.im)
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


class InlineExecutor:
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


def encode_cost(fmt: str, im: Image.Image, enc: EncoderSettings) -> int:
    key = fmt if fmt != "jpeg" or enc.jpeg_progressive else "jpeg-baseline"
    cost = _ENCODE_BYTES_PER_PIXEL[key] * im.width * im.height
    if fmt == "jpeg" and im.mode == "RGBA":
        cost += 4 * im.width * im.height  # flattened copy
    return int(cost)


def _loadmalloc_trim() -> Callable[[], None]:
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


malloc_trim = _loadmalloc_trim()
#: Jobs estimated above this release free heap memory when they finish.
_TRIM_AFTER_BYTES = 8 * 1024 * 1024


class MemoryGate:
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
                malloc_trim()
            with self.cond:
                self.in_use -= cost
                self.running -= 1
                self.cond.notify_all()


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


#: Default cap on the estimated memory of encodes running at the same time.
DEFAULT_ENCODE_MEMORY = 48 * 1024 * 1024
