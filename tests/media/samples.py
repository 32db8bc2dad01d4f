"""Uploads for the media tests, all generated in code (no binary fixtures)."""

import io
import subprocess
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.media import images


def jpeg_bytes(size=(1600, 1000), *, gps=True, seed=7, orientation=1) -> bytes:
    im = images.photo_like(size, seed=seed)
    return images.save_jpeg_with_metadata(im, orientation=orientation, gps=gps, quality=85)


def upload(data: bytes, name: str, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def photo(name="photo.jpg", **kw) -> SimpleUploadedFile:
    return upload(jpeg_bytes(**kw), name, "image/jpeg")


def png_bytes(size=(400, 300), mode="RGB") -> bytes:
    return images.encode(images.quadrant_image(size, mode), "PNG")


def video_bytes(seconds=1.0, size="640x360", *, audio=True, fmt="mp4", tmp_path=None) -> bytes:
    """A short test-pattern clip made by ffmpeg, with a GPS location tag in its metadata."""
    from apps.media.video import ffmpeg_exe

    args = [ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc=size={size}:rate=25"]
    if audio:
        args += ["-f", "lavfi", "-i", "sine=frequency=440"]
    args += ["-t", str(seconds)]
    if fmt == "webm":
        args += ["-c:v", "libvpx", "-b:v", "200k"] + (["-c:a", "libopus"] if audio else []) + ["-f", "webm"]
    else:
        args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
        args += (["-c:a", "aac"] if audio else []) + ["-metadata", "location=+43.8256+087.6168/"]
        args += ["-f", "mov" if fmt == "mov" else "mp4", "-movflags", "+faststart" if fmt != "mov" else "+use_metadata_tags"]
    args += ["pipe:1"] if fmt == "webm" else [str(tmp_path / f"clip.{fmt}")]
    result = subprocess.run(args, capture_output=True, check=True)
    return result.stdout if fmt == "webm" else (tmp_path / f"clip.{fmt}").read_bytes()


def probe(path) -> dict:
    """ffprobe's view of a file (format and stream fields, tags included), read with PyAV."""
    import av

    with av.open(str(path)) as box:
        return {
            "format": {"format_name": box.format.name, "tags": dict(box.metadata)},
            "streams": [
                {"codec_type": s.type, "codec_name": s.codec_context.name, "tags": dict(s.metadata),
                 **({"width": s.codec_context.width, "height": s.codec_context.height} if s.type == "video" else {})}
                for s in box.streams
            ],
        }


VTT = "WEBVTT\n\n00:00.000 --> 00:01.000\n园区新材料生产线\n".encode()


def pdf_bytes() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def xlsx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


def docm_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>",
                      "word/vbaProject.bin": b"\0"})


def ofd_bytes() -> bytes:
    return zip_bytes({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<ofd:Document/>"})


def ole_bytes(stream: str) -> bytes:
    """Enough of an OLE compound file for type sniffing: the magic and a directory name."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    entry = stream.encode("utf-16-le").ljust(64, b"\0") + b"\0" * 64
    return header + entry + b"\0" * 384


def gif_animation() -> bytes:
    frames = [Image.new("RGB", (120, 80), c) for c in ((255, 0, 0), (0, 0, 255))]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def animation(fmt: str = "GIF", frames: int = 2) -> bytes:
    """A two-frame animation: GIF, animated WebP, APNG ("PNG") or animated AVIF."""
    colours = [(255, 0, 0), (0, 0, 255), (0, 255, 0)]
    ims = [Image.new("RGB", (120, 80), colours[i % 3]) for i in range(frames)]
    out = io.BytesIO()
    ims[0].save(out, fmt, save_all=True, append_images=ims[1:], duration=100, loop=0)
    return out.getvalue()


def heic_bytes(size=(700, 500)) -> bytes:
    """A phone-style HEIC with EXIF (GPS included), written by pillow-heif."""
    from apps.media import validation

    assert validation.heif_supported()
    return images.encode(images.quadrant_image(size), "HEIF", quality=90,
                         exif=images.make_exif(orientation=1).tobytes())
