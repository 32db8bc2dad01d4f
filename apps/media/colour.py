"""Colour and pixel modes for the renditions: every decoded original becomes
8-bit L, RGB or RGBA in sRGB, with its EXIF orientation applied by ``TRANSPOSE``.

Embedded ICC profiles are converted to sRGB (perceptual intent); images
without a usable profile are taken to be sRGB already. Framework-free.
"""

from __future__ import annotations

import functools
import io

from PIL import Image, ImageCms

TRANSPOSE = {
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


def normalise_mode(im: Image.Image) -> Image.Image:
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


def prepare_colour(im: Image.Image, icc: bytes | None) -> tuple[Image.Image, bool]:
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
