"""Synthetic test images for the media processing tests and benchmark.

Everything is generated in code: no binary fixtures are stored in the
repository.  Used by ``tests/media/test_processing.py`` and by
``bench/media/run.py``.
"""

from __future__ import annotations

import io
import random
import struct

from PIL import Image, ImageCms, ImageDraw, ImageFilter
from PIL.TiffImagePlugin import IFDRational

# D50-adapted colorants of Adobe RGB (1998), as found in Adobe's own profile.
ADOBE_RGB_COLORANTS = (
    (0.60974, 0.31111, 0.01947),
    (0.20528, 0.62567, 0.06087),
    (0.14919, 0.06322, 0.74457),
)
D50 = (0.9642, 1.0, 0.8249)


def _s15f16(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz_tag(xyz) -> bytes:
    return b"XYZ " + b"\0" * 4 + b"".join(_s15f16(v) for v in xyz)


def _desc_tag(text: str) -> bytes:
    ascii_ = text.encode("ascii") + b"\0"
    return (
        b"desc"
        + b"\0" * 4
        + struct.pack(">I", len(ascii_))
        + ascii_
        + struct.pack(">II", 0, 0)  # no Unicode description
        + struct.pack(">HB", 0, 0)  # no ScriptCode description
        + b"\0" * 67
    )


def _text_tag(text: str) -> bytes:
    return b"text" + b"\0" * 4 + text.encode("ascii") + b"\0"


def _gamma_curve_tag(gamma: float) -> bytes:
    return b"curv" + b"\0" * 4 + struct.pack(">IH", 1, round(gamma * 256))


def make_matrix_rgb_profile(
    description: str = "Adobe RGB (1998) compatible (test)",
    colorants=ADOBE_RGB_COLORANTS,
    gamma: float = 563 / 256,
) -> bytes:
    """Build a minimal ICC v2.1 RGB matrix/TRC display profile.

    ``ImageCms.createProfile`` can only make sRGB, LAB and XYZ profiles, so a
    wide-gamut source profile is assembled by hand.  The default is an Adobe
    RGB (1998)-like profile: its primaries and pure gamma 2.2 differ visibly
    from sRGB, so colour management can be asserted on pixel values.
    """
    tags = [
        (b"desc", _desc_tag(description)),
        (b"cprt", _text_tag("No copyright, generated for tests")),
        (b"wtpt", _xyz_tag(D50)),
        (b"rXYZ", _xyz_tag(colorants[0])),
        (b"gXYZ", _xyz_tag(colorants[1])),
        (b"bXYZ", _xyz_tag(colorants[2])),
        (b"rTRC", _gamma_curve_tag(gamma)),
    ]
    # The three TRCs may share one data block.
    header_len = 128
    table_len = 4 + 12 * (len(tags) + 2)
    offset = header_len + table_len
    table = []
    data = b""
    for sig, payload in tags:
        while (offset + len(data)) % 4:
            data += b"\0"
        table.append((sig, offset + len(data), len(payload)))
        data += payload
    trc = table[-1]
    table.append((b"gTRC", trc[1], trc[2]))
    table.append((b"bTRC", trc[1], trc[2]))
    body = struct.pack(">I", len(table)) + b"".join(
        sig + struct.pack(">II", off, size) for sig, off, size in table
    )
    total = header_len + len(body) + len(data)
    header = (
        struct.pack(">I", total)
        + b"lcms"
        + struct.pack(">I", 0x02100000)
        + b"mntr"
        + b"RGB "
        + b"XYZ "
        + struct.pack(">6H", 2024, 1, 1, 0, 0, 0)
        + b"acsp"
        + b"APPL"
        + struct.pack(">I", 0)  # flags
        + b"\0" * 4  # manufacturer
        + b"\0" * 4  # model
        + b"\0" * 8  # attributes
        + struct.pack(">I", 0)  # rendering intent: perceptual
        + b"".join(_s15f16(v) for v in D50)
        + b"lcms"
        + b"\0" * 16  # profile id
        + b"\0" * 28
    )
    assert len(header) == header_len
    return header + body + data


def adobe_rgb_profile() -> bytes:
    return make_matrix_rgb_profile()


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


GPS_LATITUDE = (IFDRational(39, 1), IFDRational(54, 1), IFDRational(2712, 100))
GPS_LONGITUDE = (IFDRational(116, 1), IFDRational(23, 1), IFDRational(3001, 100))


def make_exif(orientation: int | None = None, gps: bool = True) -> Image.Exif:
    """EXIF with camera-ish tags, an optional orientation and a GPS IFD."""
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    exif[0x0110] = "TC-1"  # Model
    exif[0x0131] = "parkportal-tests"  # Software
    exif[0x010E] = "secret description"  # ImageDescription
    if orientation is not None:
        exif[0x0112] = orientation
    if gps:
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1] = "N"
        gps_ifd[2] = GPS_LATITUDE
        gps_ifd[3] = "E"
        gps_ifd[4] = GPS_LONGITUDE
    return exif


XMP_PACKET = (
    b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'exif:GPSLatitude="39,54.452N" exif:GPSLongitude="116,23.500E"/>'
    b"</rdf:RDF></x:xmpmeta>"
    b'<?xpacket end="w"?>'
)


def quadrant_image(size=(600, 400), mode="RGB") -> Image.Image:
    """Four solid colour quadrants: red TL, green TR, blue BL, yellow BR.

    Makes orientation and crop placement checkable on pixel values.
    """
    w, h = size
    im = Image.new("RGB", size, (255, 255, 0))
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 0, w // 2 - 1, h // 2 - 1), fill=(255, 0, 0))
    draw.rectangle((w // 2, 0, w - 1, h // 2 - 1), fill=(0, 255, 0))
    draw.rectangle((0, h // 2, w // 2 - 1, h - 1), fill=(0, 0, 255))
    return im.convert(mode) if mode != "RGB" else im


def photo_like(size=(6000, 4000), seed: int = 1234) -> Image.Image:
    """A synthetic image that compresses roughly like a photograph.

    Smooth gradients and soft shapes plus fine-grained noise (sensor-like),
    built with Pillow only (numpy is not a dependency).
    """
    rnd = random.Random(seed)
    w, h = size
    # Low-frequency colour field: three small gradients / shapes scaled up.
    small = (192, 128)
    red = Image.linear_gradient("L").resize(small).rotate(rnd.uniform(0, 360))
    green = Image.radial_gradient("L").resize(small)
    blue = Image.linear_gradient("L").transpose(Image.Transpose.ROTATE_90).resize(small)
    base = Image.merge("RGB", (red, green, blue))
    draw = ImageDraw.Draw(base)
    for _ in range(60):
        x, y = rnd.randrange(small[0]), rnd.randrange(small[1])
        r = rnd.randrange(3, 25)
        colour = tuple(rnd.randrange(256) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    base = base.filter(ImageFilter.GaussianBlur(2))
    im = base.resize(size, Image.Resampling.BICUBIC)
    # Mid-frequency detail: hard-edged shapes ("objects") at full resolution.
    draw = ImageDraw.Draw(im)
    for _ in range(400):
        x, y = rnd.randrange(w), rnd.randrange(h)
        rw, rh = rnd.randrange(5, w // 12), rnd.randrange(5, h // 12)
        colour = tuple(rnd.randrange(256) for _ in range(3))
        if rnd.random() < 0.5:
            draw.rectangle((x, y, x + rw, y + rh), outline=colour, width=rnd.randrange(1, 6))
        else:
            draw.line((x, y, x + rw, y + rh), fill=colour, width=rnd.randrange(1, 4))
    # High-frequency noise (sensor-like), tiled from a smaller field to save
    # time.  Seeded, unlike Image.effect_noise, so every run sees the same image.
    tile = Image.merge(
        "RGB", [Image.frombytes("L", (1024, 1024), rnd.randbytes(1024 * 1024)) for _ in range(3)]
    )
    noise = Image.new("RGB", size)
    for ty in range(0, h, 1024):
        for tx in range(0, w, 1024):
            noise.paste(tile, (tx, ty))
    return Image.blend(im, noise, 0.11)


def save_jpeg_with_metadata(
    im: Image.Image,
    *,
    orientation: int | None = 6,
    icc_profile: bytes | None = None,
    quality: int = 90,
    gps: bool = True,
    xmp: bytes | None = XMP_PACKET,
    comment: bytes | None = b"camera comment",
) -> bytes:
    out = io.BytesIO()
    params = {"quality": quality, "exif": make_exif(orientation, gps=gps).tobytes()}
    if icc_profile:
        params["icc_profile"] = icc_profile
    if xmp:
        params["xmp"] = xmp
    if comment:
        params["comment"] = comment
    im.save(out, "JPEG", **params)
    return out.getvalue()


def encode(im: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    im.save(out, fmt, **params)
    return out.getvalue()


def png_bomb(width: int, height: int) -> bytes:
    """A real, valid 1-bit PNG of the given dimensions that is tiny on disk.

    Written chunk by chunk with zlib streaming so that the pixels never exist
    in memory (Pillow itself would need width*height bytes to create it).
    """
    import zlib

    def chunk(ctype: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(ctype + payload) & 0xFFFFFFFF
        return struct.pack(">I", len(payload)) + ctype + payload + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\0" * (1 + (width + 7) // 8)  # filter byte + packed bits
    comp = zlib.compressobj(9)
    parts = []
    block = row * 256
    full, rest = divmod(height, 256)
    for _ in range(full):
        parts.append(comp.compress(block))
    parts.append(comp.compress(row * rest))
    parts.append(comp.flush())
    idat = b"".join(parts)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
