"""Tests for apps.media.validation and apps.media.renditions (no Django, no database).

Run: python -m pytest tests/media/test_processing.py -p no:django -q
All images are generated in code (tests/media/images.py).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile

import pytest
from PIL import Image, ImageFile, ImageOps

from apps.media import renditions as R
from apps.media import validation as V
from apps.media.renditions import RenditionConfig, render_renditions
from apps.media.validation import ImageRejected, probe_image
from tests.media import images as I

CJK = re.compile(r"[\u4e00-\u9fff]")


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def rejected(data, code: str, **kwargs) -> ImageRejected:
    with pytest.raises(ImageRejected) as info:
        probe_image(io.BytesIO(data) if isinstance(data, bytes) else data, **kwargs)
    exc = info.value
    assert exc.code == code, f"expected {code}, got {exc.code}: {exc.message}"
    assert CJK.search(exc.message), exc.message
    assert str(exc) == exc.message
    return exc


def webp_chunks(data: bytes) -> list[bytes]:
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    pos, chunks = 12, []
    while pos + 8 <= len(data):
        fourcc = data[pos : pos + 4]
        size = struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        chunks.append(fourcc)
        pos += 8 + size + (size & 1)
    return chunks


def jpeg_markers(data: bytes) -> list[int]:
    """Markers of the JPEG header segments (up to the first SOS)."""
    assert data[:2] == b"\xff\xd8"
    pos, markers = 2, []
    while pos < len(data):
        assert data[pos] == 0xFF
        marker = data[pos + 1]
        markers.append(marker)
        if marker == 0xDA:
            break
        pos += 2 + struct.unpack(">H", data[pos + 2 : pos + 4])[0]
    return markers


SECRETS = [b"secret description", b"TestCam", b"parkportal-tests", b"GPSLatitude", b"camera comment"]


def assert_no_metadata(data: bytes, fmt: str) -> None:
    im = Image.open(io.BytesIO(data))
    for key in ("exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment", "photoshop"):
        assert not im.info.get(key), f"{fmt} output carries {key}"
    assert len(im.getexif()) == 0
    for secret in SECRETS:
        assert secret not in data, f"{fmt} output leaks {secret!r}"
    if fmt == "jpeg":
        markers = jpeg_markers(data)
        assert 0xE1 not in markers  # APP1: Exif / XMP
        assert 0xE2 not in markers  # APP2: ICC profile / MPF
        assert 0xED not in markers  # APP13: IPTC
        assert 0xFE not in markers  # COM
        assert b"Exif\x00\x00" not in data
        assert b"ICC_PROFILE" not in data
        assert b"http://ns.adobe.com/xap/1.0/" not in data
    elif fmt == "webp":
        chunks = webp_chunks(data)
        assert not {b"EXIF", b"XMP ", b"ICCP"} & set(chunks), chunks
    elif fmt == "avif":
        assert b"Exif" not in data
        assert b"mime" not in data  # XMP item
        assert b"colrprof" not in data and b"colrrICC" not in data


# ---------------------------------------------------------------------------
# probe: accepted files
# ---------------------------------------------------------------------------


def test_probe_jpeg_reports_displayed_dimensions():
    data = I.save_jpeg_with_metadata(I.quadrant_image((300, 200)), orientation=6)
    result = probe_image(io.BytesIO(data))
    assert (result.format, result.pillow_format) == ("jpeg", "JPEG")
    assert (result.width, result.height) == (200, 300)
    assert result.orientation == 6
    assert result.frames == 1 and not result.animated
    assert result.mode == "RGB"
    assert result.size_bytes == len(data)


def test_probe_restores_file_position_and_accepts_paths(tmp_path):
    data = I.encode(I.quadrant_image((64, 48)), "PNG")
    fh = io.BytesIO(b"xx" + data)
    fh.seek(2)
    assert probe_image(fh).format == "png"
    assert fh.tell() == 2
    path = tmp_path / "upload.bin"  # the name says nothing
    path.write_bytes(data)
    assert probe_image(path).width == 64


@pytest.mark.parametrize(
    "fmt, params, expected",
    [
        ("PNG", {}, "png"),
        ("WEBP", {"quality": 80}, "webp"),
        ("GIF", {}, "gif"),
        ("TIFF", {}, "tiff"),
        ("AVIF", {"quality": 50, "speed": 10}, "avif"),
        ("HEIF", {"quality": 50}, "heif"),
    ],
)
def test_probe_accepts_supported_formats(fmt, params, expected):
    if fmt == "HEIF":
        assert V.heif_supported()  # pillow-heif is a requirement, not optional here
    data = I.encode(I.quadrant_image((120, 80)), fmt, **params)
    result = probe_image(io.BytesIO(data))
    assert result.format == expected
    assert (result.width, result.height) == (120, 80)


def test_probe_accepts_cmyk_16bit_and_palette():
    cmyk = I.encode(Image.new("CMYK", (40, 30), (0, 255, 255, 0)), "JPEG")
    assert probe_image(io.BytesIO(cmyk)).mode == "CMYK"
    grey16 = Image.frombytes("I;16", (50, 20), bytes(range(200)) * 10)
    assert probe_image(io.BytesIO(I.encode(grey16, "PNG"))).mode.startswith("I")
    palette = I.quadrant_image((40, 40)).convert("P")
    palette.info["transparency"] = 0
    assert probe_image(io.BytesIO(I.encode(palette, "PNG", transparency=0))).mode == "P"


def test_probe_reports_animation():
    frames = [Image.new("RGB", (30, 20), c) for c in ("red", "green", "blue")]
    data = I.encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    result = probe_image(io.BytesIO(data))
    assert result.frames == 3 and result.animated


def test_probe_accepts_multi_picture_jpeg_with_appended_image():
    # MPO (phones, cameras, Ultra HDR) appends further JPEGs after the first EOI.
    first, second = I.quadrant_image((80, 60)), Image.new("RGB", (80, 60), "gray")
    data = I.encode(first, "MPO", save_all=True, append_images=[second])
    result = probe_image(io.BytesIO(data))
    assert result.format == "jpeg" and result.frames == 2 and not result.animated


def test_probe_accepts_jpeg_with_padding_and_motion_photo_trailer():
    data = I.encode(I.quadrant_image((80, 60)), "JPEG")
    assert probe_image(io.BytesIO(data + b"\x00" * 64)).format == "jpeg"
    mp4 = struct.pack(">I", 24) + b"ftypmp42" + b"\0" * 12
    assert probe_image(io.BytesIO(data + mp4)).format == "jpeg"


# ---------------------------------------------------------------------------
# probe: rejections
# ---------------------------------------------------------------------------


def test_reject_zero_bytes():
    exc = rejected(b"", "empty")
    assert "空" in exc.message


def test_reject_over_size_cap_without_reading_it_all():
    data = I.encode(I.quadrant_image((200, 200)), "PNG")
    exc = rejected(data, "too_large", max_bytes=len(data) - 1)
    assert "过大" in exc.message


def test_reject_truncated_jpeg():
    data = I.save_jpeg_with_metadata(I.photo_like((400, 300)), orientation=1)
    exc = rejected(data[: len(data) // 2], "truncated")
    assert "不完整" in exc.message


@pytest.mark.parametrize("keep", [0.3, 0.9, 0.99])
def test_reject_truncated_progressive_jpeg(keep):
    # The probe decodes JPEGs at 1/8 scale; it must still read every scan.
    data = I.encode(I.photo_like((1200, 800)), "JPEG", quality=90, progressive=True)
    assert probe_image(io.BytesIO(data)).width == 1200
    rejected(data[: int(len(data) * keep)], "truncated")


def test_truncation_detected_even_when_pillow_is_told_to_tolerate_it(monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    data = I.encode(I.photo_like((400, 300)), "JPEG", quality=90)
    rejected(data[: len(data) * 2 // 3], "truncated")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # restored


def test_reject_truncated_png():
    data = I.encode(I.photo_like((300, 200)), "PNG")
    rejected(data[: len(data) // 2], "truncated")


def test_reject_decompression_bomb_over_twice_the_limit():
    bomb = I.png_bomb(20000, 20000)  # 400 MP, ~50 KB on disk
    assert len(bomb) < 100_000
    exc = rejected(bomb, "too_many_pixels")
    assert "400,000,000" in exc.message


def test_reject_decompression_bomb_in_pillows_warning_zone():
    # 100 MP: above Image.MAX_IMAGE_PIXELS (89.5 MP) but below twice that,
    # where Pillow only warns.
    exc = rejected(I.png_bomb(10000, 10000), "too_many_pixels")
    assert "100,000,000" in exc.message and "像素" in exc.message


def test_pillow_warning_zone_is_an_error_even_with_a_higher_limit():
    # A caller's max_pixels above Pillow's guard does not reopen the warning zone.
    assert Image.MAX_IMAGE_PIXELS == V.DEFAULT_MAX_PIXELS
    exc = rejected(I.png_bomb(10000, 10000), "too_many_pixels", max_pixels=150_000_000)
    assert "100,000,000" in exc.message


def test_reject_over_custom_pixel_limit():
    data = I.encode(Image.new("L", (1000, 600)), "PNG")
    exc = rejected(data, "too_many_pixels", max_pixels=500_000)
    assert "1000×600" in exc.message and "500,000" in exc.message
    assert probe_image(io.BytesIO(data), max_pixels=600_000).width == 1000


def test_reject_html_renamed_to_jpg(tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")
    exc = rejected(path, "not_image")
    assert "不是有效的图片" in exc.message


def test_reject_plain_text():
    rejected(b"just some text, not an image\n" * 10, "not_image")


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
        b'\xef\xbb\xbf<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
    ],
)
def test_reject_svg_with_specific_message(svg):
    exc = rejected(svg, "svg")
    assert "SVG" in exc.message


def test_reject_gzipped_svg():
    import gzip

    rejected(gzip.compress(b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'), "svg")


def test_reject_unsupported_format_by_name():
    exc = rejected(I.encode(I.quadrant_image((20, 20)), "BMP"), "unsupported_format")
    assert "BMP" in exc.message and "支持的格式" in exc.message


def test_reject_format_not_in_accepted_list():
    data = I.encode(I.quadrant_image((20, 20)), "GIF")
    rejected(data, "unsupported_format", accepted_formats={"JPEG", "PNG"})


@pytest.mark.parametrize(
    "payload",
    [
        b"<html><body><script>alert(document.cookie)</script></body></html>",
        b"<?php system($_GET['c']); ?>",
        b"\x00\x01just some opaque bytes that are not padding",
    ],
)
def test_reject_jpeg_with_payload_after_eoi(payload):
    data = I.encode(I.quadrant_image((80, 60)), "JPEG")
    assert probe_image(io.BytesIO(data)).format == "jpeg"
    exc = rejected(data + payload, "polyglot")
    assert "安全" in exc.message


def test_reject_jpeg_with_zip_appended():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("shell.php", "<?= 1 ?>")
    rejected(I.encode(I.quadrant_image((80, 60)), "JPEG") + archive.getvalue(), "polyglot")


def test_reject_tiff_that_is_also_a_zip():
    # TIFF has no end marker to check; the zip central directory gives it away.
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a.txt", "hello")
    rejected(I.encode(I.quadrant_image((40, 30)), "TIFF") + archive.getvalue(), "polyglot")


def test_reject_script_inside_jpeg_comment():
    data = I.encode(I.quadrant_image((80, 60)), "JPEG", comment=b"<script src=//evil.example/x.js></script>")
    rejected(data, "polyglot")


def test_reject_php_inside_exif():
    exif = Image.Exif()
    exif[0x010E] = "<?php echo 1; ?>"
    rejected(I.encode(I.quadrant_image((80, 60)), "JPEG", exif=exif.tobytes()), "polyglot")


def test_reject_gif_carrying_script():
    # The classic GIF/JavaScript polyglot hides code in a comment extension.
    data = I.encode(I.quadrant_image((20, 20)).convert("P"), "GIF", comment=b"*/=1;<script>alert(1)</script>")
    rejected(data, "polyglot")


@pytest.mark.parametrize("fmt", ["PNG", "GIF", "WEBP"])
def test_reject_payload_after_end_of_png_gif_webp(fmt):
    data = I.encode(I.quadrant_image((40, 30)), fmt)
    assert probe_image(io.BytesIO(data)).width == 40
    rejected(data + b"PK\x03\x04 this is not an image trailer", "polyglot")


def test_rejection_messages_are_simplified_chinese():
    for code, template in V.MESSAGES.items():
        assert CJK.search(template), code
        # Simplified, not traditional, forms of characters used in messages.
        for traditional in "圖檔損壞體積過請傳腳":
            assert traditional not in template, (code, traditional)


# ---------------------------------------------------------------------------
# renditions
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def camera_jpeg() -> bytes:
    """3000x2000 stored, orientation 6 (displayed 2000x3000), GPS, XMP,
    comment and an Adobe RGB-like ICC profile."""
    return I.save_jpeg_with_metadata(
        I.photo_like((3000, 2000)), orientation=6, icc_profile=I.adobe_rgb_profile()
    )


@pytest.fixture(scope="module")
def camera_renditions(camera_jpeg):
    return render_renditions(io.BytesIO(camera_jpeg), name="photo")


def test_camera_jpeg_input_really_carries_metadata(camera_jpeg):
    im = Image.open(io.BytesIO(camera_jpeg))
    exif = im.getexif()
    assert exif[0x0112] == 6
    assert exif.get_ifd(0x8825)[2]  # GPSLatitude
    assert im.info["icc_profile"] and im.info["xmp"] and im.info["comment"]
    for secret in SECRETS:
        assert secret in camera_jpeg


def test_default_rendition_set(camera_renditions):
    r = camera_renditions
    assert (r.source_width, r.source_height, r.orientation) == (2000, 3000, 6)
    assert r.colour_converted and not r.animated and r.skipped == []
    produced = [(x.spec.kind, x.spec.size, x.spec.format) for x in r]
    expected = [
        (kind, size, fmt)
        for kind, size in [("width", 320), ("width", 640), ("width", 1280), ("width", 1920), ("crop", 400)]
        for fmt in ("avif", "webp", "jpeg")
    ]
    assert produced == expected
    for x in r:
        im = Image.open(io.BytesIO(x.data))
        assert im.format == {"avif": "AVIF", "webp": "WEBP", "jpeg": "JPEG"}[x.spec.format]
        assert im.size == (x.width, x.height)
        if x.spec.kind == "width":
            assert x.width == x.spec.size
            assert x.height == round(x.spec.size * 3000 / 2000)
        else:
            assert (x.width, x.height) == (400, 400)
        assert x.nbytes == len(x.data)
        assert x.content_type == f"image/{x.spec.format}"
        ext = "jpg" if x.spec.format == "jpeg" else x.spec.format
        label = f"w{x.spec.size}" if x.spec.kind == "width" else "c400"
        assert x.filename == f"photo-{label}.{ext}"


def test_every_output_is_stripped_of_metadata(camera_renditions):
    for x in camera_renditions:
        assert_no_metadata(x.data, x.spec.format)


def test_orientation_is_applied():
    # Quadrants red|green over blue|yellow; orientation 6 = rotate 90° clockwise,
    # so the displayed top-left quadrant is the stored bottom-left (blue).
    data = I.save_jpeg_with_metadata(I.quadrant_image((1200, 800)), orientation=6, icc_profile=None)
    r = render_renditions(io.BytesIO(data), config=RenditionConfig(formats=("webp", "jpeg")))
    jpeg640 = next(x for x in r if x.spec == R.RenditionSpec("width", 640, "jpeg"))
    im = Image.open(io.BytesIO(jpeg640.data)).convert("RGB")
    assert im.size == (640, 960)
    expected = {(0.25, 0.25): (0, 0, 255), (0.75, 0.25): (255, 0, 0), (0.25, 0.75): (255, 255, 0), (0.75, 0.75): (0, 255, 0)}
    for (fx, fy), colour in expected.items():
        pixel = im.getpixel((int(fx * im.width), int(fy * im.height)))
        assert all(abs(a - b) < 40 for a, b in zip(pixel, colour)), (fx, fy, pixel, colour)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_all_orientations_match_exif_transpose(orientation):
    data = I.save_jpeg_with_metadata(I.quadrant_image((480, 320)), orientation=orientation, icc_profile=None)
    expected = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    r = render_renditions(io.BytesIO(data), config=RenditionConfig(widths=(320,), crop_sizes=(), formats=("webp",)))
    out = Image.open(io.BytesIO(r[0].data)).convert("RGB")
    assert out.size[0] == 320 and (out.size[1] > 320) == (expected.height > expected.width)
    small = expected.convert("RGB").resize(out.size)
    for fx, fy in [(0.2, 0.2), (0.8, 0.2), (0.2, 0.8), (0.8, 0.8)]:
        xy = (int(fx * out.width), int(fy * out.height))
        assert all(abs(a - b) < 40 for a, b in zip(out.getpixel(xy), small.getpixel(xy))), orientation


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_orientation_from_exif_in_png_and_webp(fmt):
    data = I.encode(I.quadrant_image((600, 400)), fmt, exif=I.make_exif(8).tobytes())
    assert probe_image(io.BytesIO(data)).width == 400
    r = render_renditions(io.BytesIO(data), config=RenditionConfig(widths=(320,), crop_sizes=(), formats=("jpeg",)))
    im = Image.open(io.BytesIO(r[0].data))
    assert im.size == (320, 480)
    # Orientation 8 = rotate 90° counter-clockwise: green (stored top-right) ends up top-left.
    green = im.getpixel((80, 120))
    assert green[1] > 200 and green[0] < 60, green
    assert_no_metadata(r[0].data, "jpeg")


def test_icc_profile_converted_to_srgb():
    flat = Image.new("RGB", (800, 600), (200, 50, 50))
    data = I.save_jpeg_with_metadata(flat, orientation=None, icc_profile=I.adobe_rgb_profile(), quality=95)
    r = render_renditions(io.BytesIO(data), config=RenditionConfig(widths=(320,), formats=("jpeg", "webp", "avif")))
    assert r.colour_converted
    for x in r:
        im = Image.open(io.BytesIO(x.data))
        assert "icc_profile" not in im.info
        r_, g, b = im.convert("RGB").getpixel((im.width // 2, im.height // 2))
        # Adobe RGB (200, 50, 50) is (232, 46, 46) in sRGB: the red must move.
        assert r_ >= 222 and g <= 56 and b <= 56, (x.spec, (r_, g, b))


def test_srgb_and_untagged_images_are_not_converted():
    flat = Image.new("RGB", (400, 300), (200, 50, 50))
    for profile in (I.srgb_profile(), None):
        data = I.save_jpeg_with_metadata(flat, orientation=None, icc_profile=profile, quality=95)
        r = render_renditions(io.BytesIO(data), config=RenditionConfig(widths=(320,), formats=("jpeg",)))
        assert not r.colour_converted
        pixel = Image.open(io.BytesIO(r[0].data)).getpixel((160, 120))
        assert all(abs(a - b) <= 6 for a, b in zip(pixel, (200, 50, 50))), pixel


def test_broken_icc_profile_is_ignored():
    data = I.encode(Image.new("RGB", (400, 300), (10, 200, 10)), "JPEG", icc_profile=b"not a profile" * 10)
    r = render_renditions(io.BytesIO(data), config=RenditionConfig(widths=(320,), formats=("jpeg",)))
    assert not r.colour_converted and r[0].width == 320


def test_never_upscale_and_crop_limited_to_short_side():
    data = I.encode(I.photo_like((1000, 700)), "PNG")
    r = render_renditions(io.BytesIO(data), config=RenditionConfig(formats=("webp",)))
    assert [(x.spec.kind, x.width, x.height) for x in r] == [
        ("width", 320, 224),
        ("width", 640, 448),
        ("crop", 400, 400),
    ]


def test_tiny_image_gets_one_width_rendition_at_its_own_size():
    data = I.encode(I.quadrant_image((200, 150)), "PNG")
    r = render_renditions(io.BytesIO(data), name="tiny")
    sizes = {(x.spec.kind, x.width, x.height) for x in r}
    assert sizes == {("width", 200, 150), ("crop", 150, 150)}
    assert {x.filename for x in r} == {f"tiny-{label}.{ext}" for label in ("w200", "c150") for ext in ("avif", "webp", "jpg")}


def test_crop_follows_focal_point():
    # 800x400 landscape: left half red/blue, right half green/yellow.
    data = I.encode(I.quadrant_image((800, 400)), "PNG")
    config = RenditionConfig(widths=(320,), crop_sizes=(200,), formats=("webp",))

    def crop_colours(focal):
        r = render_renditions(io.BytesIO(data), config=config, focal_point=focal)
        crop = next(x for x in r if x.spec.kind == "crop")
        im = Image.open(io.BytesIO(crop.data)).convert("RGB")
        assert im.size == (200, 200)
        return im.getpixel((50, 50)), im.getpixel((150, 150))

    left = crop_colours((0.0, 0.5))
    assert left[0][0] > 200 and left[0][1] < 60  # red at the top left
    assert left[1][2] > 200 and left[1][0] < 60  # blue at the bottom right
    right = crop_colours((1.0, 0.5))
    assert right[0][1] > 200 and right[0][0] < 60  # green
    assert right[1][0] > 200 and right[1][1] > 200  # yellow
    centre = crop_colours(None)  # centred: the square spans all four quadrants
    assert centre[0][0] > 200 and centre[1][1] > 200


def test_crop_focal_point_is_in_displayed_coordinates():
    # Stored 800x400 with orientation 6 -> displayed 400x800 (portrait);
    # focal point at the displayed top picks the stored left half, which
    # after rotation shows blue (top-left) and red (top-right).
    data = I.save_jpeg_with_metadata(I.quadrant_image((800, 400)), orientation=6, icc_profile=None)
    config = RenditionConfig(widths=(320,), crop_sizes=(200,), formats=("webp",))
    r = render_renditions(io.BytesIO(data), config=config, focal_point=(0.5, 0.0))
    im = Image.open(io.BytesIO(next(x for x in r if x.spec.kind == "crop").data)).convert("RGB")
    tl, tr = im.getpixel((50, 50)), im.getpixel((150, 50))
    assert tl[2] > 200 and tl[0] < 60, tl
    assert tr[0] > 200 and tr[1] < 60, tr


def test_cmyk_jpeg_is_converted_to_rgb():
    data = I.encode(Image.new("CMYK", (700, 500), (0, 255, 255, 0)), "JPEG", quality=95)
    r = render_renditions(io.BytesIO(data), config=RenditionConfig(formats=("jpeg", "webp")))
    for x in r:
        im = Image.open(io.BytesIO(x.data))
        assert im.mode == "RGB"
        red, green, blue = im.getpixel((10, 10))
        assert red > 200 and green < 50 and blue < 50


def test_sixteen_bit_greyscale_is_scaled_not_clipped():
    width = 1024
    ramp = b"".join(struct.pack("<H", x * 64) for x in range(width))  # 0 .. 65472
    data = I.encode(Image.frombytes("I;16", (width, 10), ramp * 10), "PNG")
    r = render_renditions(io.BytesIO(data), config=RenditionConfig(widths=(640,), crop_sizes=(), formats=("webp", "jpeg")))
    for x in r:
        im = Image.open(io.BytesIO(x.data)).convert("L")
        mid = im.getpixel((im.width // 2, 5))
        assert 110 < mid < 145, mid  # ~128, not 255
        assert im.getpixel((5, 5)) < 20
        assert im.getpixel((im.width - 3, 5)) > 235


def test_dark_sixteen_bit_image_stays_dark():
    # All samples <= 255 of 65535: near black, not mistaken for 8-bit data.
    data = I.encode(Image.frombytes("I;16", (400, 10), struct.pack("<H", 255) * 4000), "PNG")
    r = render_renditions(io.BytesIO(data), config=RenditionConfig(widths=(320,), crop_sizes=(), formats=("jpeg",)))
    assert Image.open(io.BytesIO(r[0].data)).convert("L").getpixel((100, 5)) <= 3


def test_palette_with_transparency_keeps_alpha_except_in_jpeg():
    im = Image.new("P", (600, 400), 0)
    im.putpalette([0, 0, 0, 255, 0, 0] + [0] * (254 * 3))
    im.paste(1, (300, 0, 600, 400))  # right half red, left half transparent
    data = I.encode(im, "PNG", transparency=0)
    r = render_renditions(io.BytesIO(data), config=RenditionConfig(widths=(320,), crop_sizes=()))
    by_format = {x.spec.format: Image.open(io.BytesIO(x.data)) for x in r}
    for fmt in ("webp", "avif"):
        out = by_format[fmt]
        assert out.mode == "RGBA", fmt
        assert out.getpixel((10, 100))[3] < 10  # transparent
        assert out.getpixel((300, 100))[3] > 245 and out.getpixel((300, 100))[0] > 200
    jpeg = by_format["jpeg"].convert("RGB")
    assert all(c > 245 for c in jpeg.getpixel((10, 100)))  # flattened on white
    red = jpeg.getpixel((300, 100))
    assert red[0] > 200 and red[1] < 60


def test_opaque_alpha_is_dropped():
    data = I.encode(I.quadrant_image((400, 300)).convert("RGBA"), "PNG")
    r = render_renditions(io.BytesIO(data), config=RenditionConfig(widths=(320,), crop_sizes=(), formats=("webp",)))
    assert Image.open(io.BytesIO(r[0].data)).mode == "RGB"


def test_animated_gif_renders_first_frame_and_reports_it():
    frames = [Image.new("RGB", (500, 300), colour) for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    data = I.encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=80, loop=0)
    r = render_renditions(io.BytesIO(data), config=RenditionConfig(formats=("webp", "jpeg")))
    assert r.animated and all(x.animated for x in r)
    for x in r:
        out = Image.open(io.BytesIO(x.data))
        assert getattr(out, "n_frames", 1) == 1
        red, green, blue = out.convert("RGB").getpixel((5, 5))
        assert red > 200 and green < 50 and blue < 50


def test_animated_webp_is_reported():
    frames = [Image.new("RGB", (400, 300), c) for c in ("red", "blue")]
    data = I.encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=100)
    r = render_renditions(io.BytesIO(data), config=RenditionConfig(widths=(320,), formats=("jpeg",)))
    assert r.animated


def test_heic_input():
    assert V.heif_supported()
    data = I.encode(I.quadrant_image((700, 500)), "HEIF", quality=90)
    r = render_renditions(io.BytesIO(data), config=RenditionConfig(formats=("jpeg",)))
    assert r.source_format == "heif"
    assert [(x.width, x.height) for x in r] == [(320, 229), (640, 457), (400, 400)]


def test_write_callback_receives_every_file(tmp_path):
    data = I.encode(I.quadrant_image((700, 500)), "PNG")
    written = {}

    def write(filename, payload):
        (tmp_path / filename).write_bytes(payload)
        written[filename] = len(payload)

    r = render_renditions(io.BytesIO(data), write=write, name="park")
    assert sorted(written) == sorted(x.filename for x in r)
    assert all(x.data is None and written[x.filename] == x.nbytes for x in r)
    assert Image.open(tmp_path / "park-w640.webp").size == (640, 457)


def test_avif_unavailable_is_skipped_and_reported(monkeypatch):
    monkeypatch.setattr(R, "avif_encoding_available", lambda: False)
    data = I.encode(I.quadrant_image((400, 300)), "PNG")
    r = render_renditions(io.BytesIO(data), config=RenditionConfig(widths=(320,), crop_sizes=()))
    assert [x.spec.format for x in r] == ["webp", "jpeg"]
    assert r.skipped and r.skipped[0][0] == "avif"


def test_this_pillow_build_encodes_avif():
    assert R.avif_encoding_available()


def test_jpeg_decoded_once_with_dct_scaling(monkeypatch):
    # 4000x3000 stored, orientation 6 -> displayed 3000x4000.  The largest
    # rendition is 500 wide, so 500/3000 of the stored size is needed:
    # draft((667, 500)) in *stored* coordinates, which libjpeg satisfies at 1/4.
    from PIL import JpegImagePlugin

    data = I.save_jpeg_with_metadata(I.photo_like((4000, 3000)), orientation=6, icc_profile=None)
    drafts, loads = [], []
    real_draft = JpegImagePlugin.JpegImageFile.draft
    real_load = ImageFile.ImageFile.load

    def spy_draft(self, mode, size):
        drafts.append(size)
        return real_draft(self, mode, size)

    def spy_load(self):
        if self.tile:
            loads.append(self.size)
        return real_load(self)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy_draft)
    monkeypatch.setattr(ImageFile.ImageFile, "load", spy_load)
    r = render_renditions(io.BytesIO(data), config=RenditionConfig(widths=(500,), crop_sizes=(), formats=("jpeg",)))
    assert drafts == [(667, 500)]
    assert loads == [(1000, 750)]  # one decode, at 1/4 scale
    assert (r[0].width, r[0].height) == (500, 667)


def test_jpeg_draft_keeps_enough_pixels_for_the_crop(monkeypatch):
    # A wide panorama: the 320 rendition is only 40 px high, so the 400 crop
    # (limited to the 500 px short side) must come from the decoded image.
    from PIL import JpegImagePlugin

    data = I.encode(I.photo_like((4000, 500)), "JPEG")
    drafts = []
    real_draft = JpegImagePlugin.JpegImageFile.draft

    def spy_draft(self, mode, size):
        drafts.append(size)
        return real_draft(self, mode, size)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy_draft)
    r = render_renditions(io.BytesIO(data), config=RenditionConfig(widths=(320,), formats=("jpeg",)))
    assert drafts == [(3200, 400)]
    assert [(x.spec.kind, x.width, x.height) for x in r] == [("width", 320, 40), ("crop", 400, 400)]


def test_png_is_not_drafted_and_decoded_once(monkeypatch):
    data = I.encode(I.photo_like((900, 600)), "PNG")
    loads = []
    real_load = ImageFile.ImageFile.load

    def spy_load(self):
        if self.tile:
            loads.append(self.size)
        return real_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy_load)
    render_renditions(io.BytesIO(data))
    assert loads == [(900, 600)]


@pytest.mark.parametrize("workers", [2, 4])
def test_sequential_and_threaded_results_are_identical(workers):
    data = I.encode(I.photo_like((900, 600)), "PNG")
    reference = render_renditions(io.BytesIO(data), max_workers=1)
    other = render_renditions(io.BytesIO(data), max_workers=workers, encode_memory=1)
    assert [(x.spec, x.width, x.height) for x in other] == [(x.spec, x.width, x.height) for x in reference]
    for a, b in zip(reference, other):
        if a.spec.format != "avif":  # libaom output may depend on threading
            assert a.data == b.data


def _open_fds_to(path) -> list[str]:
    import os

    fds = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}") == str(path):
                fds.append(fd)
        except OSError:
            pass
    return fds


def test_render_from_path_closes_the_file(tmp_path):
    for name, data in (
        ("in.jpg", I.encode(I.quadrant_image((400, 300)), "JPEG")),
        ("in.gif", I.encode(Image.new("P", (400, 300)), "GIF", save_all=True, append_images=[Image.new("P", (400, 300), 1)])),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        seen = []
        # The callback runs while render_renditions() is still executing, so a
        # handle kept open until garbage collection would still show up here.
        write = lambda filename, payload: seen.append(_open_fds_to(path))  # noqa: E731
        r = render_renditions(path, config=RenditionConfig(widths=(320,), formats=("jpeg",)), write=write)
        assert r[0].width == 320
        assert seen and all(fds == [] for fds in seen), (name, seen)


def test_la_image_keeps_alpha():
    im = Image.new("LA", (400, 300), (128, 255))
    im.paste((0, 0), (0, 0, 200, 300))  # left half transparent
    data = I.encode(im, "PNG")
    r = render_renditions(io.BytesIO(data), config=RenditionConfig(widths=(320,), crop_sizes=(), formats=("webp", "jpeg")))
    webp, jpeg = (Image.open(io.BytesIO(x.data)) for x in r)
    assert webp.mode == "RGBA" and webp.getpixel((20, 100))[3] < 10 and webp.getpixel((300, 100))[3] > 245
    assert jpeg.mode == "RGB" and min(jpeg.getpixel((20, 100))) > 245  # white, not black


def test_config_from_mapping():
    config = RenditionConfig.from_mapping(
        {"widths": [480, 960], "crop_sizes": [300], "formats": ["webp"], "encoder": {"webp_quality": 70}}
    )
    assert config.widths == (480, 960) and config.crop_sizes == (300,) and config.formats == ("webp",)
    assert config.encoder.webp_quality == 70
    assert RenditionConfig.from_mapping(None) == RenditionConfig()
    with pytest.raises(ValueError):
        RenditionConfig.from_mapping({"widths": [0]})
    with pytest.raises(ValueError):
        RenditionConfig.from_mapping({"formats": ["gif"]})
    with pytest.raises(ValueError):
        RenditionConfig.from_mapping({"quality": 80})


def test_invalid_name_stem_rejected():
    with pytest.raises(ValueError):
        render_renditions(io.BytesIO(b""), name="../etc")
