"""Uploading images, videos and attachments through the actions: what is
accepted, what is refused (a Chinese message, no row, no file), and who did it."""

import contextlib
import io
import sys

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import override_settings
from PIL import Image as PILImage

from apps.core.errors import NotAllowed
from apps.core.models import AuditEntry
from apps.media import actions
from apps.media.models import Attachment, Image, Rendition, Status, Video
from tests.media import images, samples
from tests.media.conftest import files_under

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(make_user):
    return make_user("editor", roles=["editor"])


def assert_refused(exc_info, *words):
    message = "；".join(exc_info.value.messages)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    for word in words:
        assert word in message, message


def assert_nothing_left(storage_roots):
    assert not Image.objects.exists() and not Video.objects.exists() and not Attachment.objects.exists()
    for root in storage_roots:
        assert files_under(root) == []


# --- the bad-image corpus ------------------------------------------------------------------

def _html_as_jpg():
    return samples.upload(b"<!DOCTYPE html><html><script>alert(1)</script></html>", "photo.jpg", "image/jpeg")


BAD_IMAGES = {
    "zero bytes": (lambda: samples.upload(b"", "empty.jpg", "image/jpeg"), "空的"),
    "truncated jpeg": (lambda: samples.upload(samples.jpeg_bytes()[:20000], "cut.jpg"), "不完整"),
    "html renamed to .jpg": (_html_as_jpg, "不是有效的图片"),
    "svg": (lambda: samples.upload(b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "logo.svg"), "SVG"),
    "decompression bomb": (lambda: samples.upload(images.png_bomb(20000, 20000), "bomb.png"), "像素"),
    "pillow warning zone (89-179 MP)": (lambda: samples.upload(images.png_bomb(10000, 10000), "big.png"), "像素"),
    "jpeg with a zip appended (polyglot)": (
        lambda: samples.upload(samples.jpeg_bytes(size=(200, 100)) + samples.docx_bytes(), "poly.jpg"), "非图片内容"),
    "plain text": (lambda: samples.upload("这不是图片".encode() * 20, "text.png"), "不是有效的图片"),
    "pdf named .jpg": (lambda: samples.upload(samples.pdf_bytes(), "scan.jpg"), "图片"),
    "script inside a jpeg comment": (lambda: samples.upload(images.encode(
        images.quadrant_image((80, 60)), "JPEG", comment=b"<script src=//evil.example/x.js></script>"), "c.jpg"),
        "非图片内容"),
    "html after the end of a jpeg (polyglot)": (lambda: samples.upload(
        samples.jpeg_bytes(size=(200, 100)) + b"<html><body><script>alert(1)</script></body></html>", "p.jpg"),
        "非图片内容"),
    "gif carrying a script": (lambda: samples.upload(images.encode(
        images.quadrant_image((20, 20)).convert("P"), "GIF", comment=b"*/=1;<script>alert(1)</script>"), "g.gif"),
        "非图片内容"),
    "gzipped svg (.svgz)": (lambda: samples.upload(
        __import__("gzip").compress(b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'), "logo.svgz"), "SVG"),
    "bmp (unsupported format)": (lambda: samples.upload(
        images.encode(images.quadrant_image((40, 30)), "BMP"), "scan.jpg"), "不支持的图片格式"),
}

# Animations would silently lose every frame but the first: refused, the editor picks a frame.
ANIMATIONS = {
    "gif": lambda: samples.animation("GIF"),
    "webp": lambda: samples.animation("WEBP"),
    "apng": lambda: samples.animation("PNG"),
    "avif": lambda: samples.animation("AVIF"),
}


@pytest.mark.parametrize("case", list(BAD_IMAGES))
def test_a_bad_image_is_refused_with_a_message_and_leaves_no_row_and_no_file(case, editor, media_storage):
    make, word = BAD_IMAGES[case]
    with pytest.raises(ValidationError) as exc_info:
        actions.upload_image(make(), by=editor, alt_text="说明")
    assert_refused(exc_info, word)
    assert_nothing_left(media_storage)


@pytest.mark.parametrize("fmt", list(ANIMATIONS))
def test_an_animated_image_is_refused_with_a_message_and_leaves_no_row_and_no_file(fmt, editor, media_storage):
    data = ANIMATIONS[fmt]()
    with pytest.raises(ValidationError) as exc_info:
        actions.upload_image(samples.upload(data, "moving.bin"), by=editor, alt_text="说明")
    assert_refused(exc_info, "不支持动图", "静态图片", "共 2 帧")
    assert exc_info.value.error_list[0].code == "animated"
    assert_nothing_left(media_storage)


def test_an_animated_gif_is_a_form_error_in_the_admin(client, editor, media_storage):
    client.force_login(editor)
    response = client.post("/admin/media/image/add/", {
        "upload": samples.upload(samples.gif_animation(), "moving.gif"), "alt_text": "x", "title": "t",
    })
    assert response.status_code == 200 and "不支持动图" in response.content.decode()
    assert_nothing_left(media_storage)


def test_an_image_over_the_size_cap_is_refused(editor, media_storage, settings):
    settings.PARKPORTAL_MEDIA_IMAGE_MAX_BYTES = 50_000
    with pytest.raises(ValidationError) as exc_info:
        actions.upload_image(samples.photo(), by=editor)
    assert_refused(exc_info, "过大")
    assert_nothing_left(media_storage)


def test_an_image_over_the_pixel_cap_setting_is_refused(editor, media_storage, settings):
    settings.PARKPORTAL_MEDIA_IMAGE_MAX_PIXELS = 1000 * 1000
    with pytest.raises(ValidationError) as exc_info:
        actions.upload_image(samples.photo(size=(1600, 1000)), by=editor)
    assert_refused(exc_info, "像素")
    assert_nothing_left(media_storage)


def test_a_focal_point_outside_the_image_is_refused(editor, media_storage):
    with pytest.raises(ValidationError):
        actions.upload_image(samples.photo(), by=editor, focal_point=(1.5, 0.2))
    assert_nothing_left(media_storage)


# --- good images -----------------------------------------------------------------------------

def test_an_uploaded_photo_is_stored_privately_as_pending_with_its_facts_and_no_rendition(
    editor, media_storage, django_capture_on_commit_callbacks
):
    public, private = media_storage
    with django_capture_on_commit_callbacks() as callbacks:
        image = actions.upload_image(samples.photo(orientation=6), by=editor, title="生产线", alt_text="五层共挤生产线")
    image.refresh_from_db()
    assert image.status == Status.PENDING and image.attempts == 0
    assert (image.width, image.height) == (1000, 1600)  # as displayed (EXIF orientation 6)
    assert image.format == "jpeg" and len(image.content_hash) == 64
    assert image.original.name.startswith(f"originals/images/{image.content_hash[:2]}/")
    assert files_under(private) == [image.original.name]
    assert files_under(public) == [] and not Rendition.objects.exists()
    assert image.created_by == editor and image.updated_by == editor
    assert len(callbacks) == 1  # the task is queued after commit
    entry = AuditEntry.objects.get(action="media.upload_image")
    assert entry.actor == editor and entry.object_id == str(image.pk)


def test_uploading_the_same_file_again_reuses_the_image_and_fills_in_missing_metadata(editor, media_storage):
    data = samples.jpeg_bytes()
    first = actions.upload_image(samples.upload(data, "a.jpg"), by=editor, title="第一次")
    again = actions.upload_image(samples.upload(data, "b.jpg"), by=editor, title="第二次", alt_text="补充的替代文本")
    assert again.pk == first.pk and again.reused and not first.reused
    again.refresh_from_db()
    assert again.title == "第一次" and again.alt_text == "补充的替代文本"
    assert Image.objects.count() == 1 and len(files_under(media_storage[1])) == 1


def test_uploading_a_failed_image_again_queues_it_again(editor, media_storage):
    data = samples.jpeg_bytes()
    image = actions.upload_image(samples.upload(data, "a.jpg"), by=editor)
    actions.record_failure(Image, image.pk, "测试")
    again = actions.upload_image(samples.upload(data, "a.jpg"), by=editor)
    again.refresh_from_db()
    assert again.status == Status.PENDING and again.error == "" and again.attempts == 0


def _palette_with_transparency():
    im = images.quadrant_image((700, 500)).convert("P")
    return images.encode(im, "PNG", transparency=0, exif=images.make_exif(orientation=1).tobytes())


# Each carries EXIF with GPS (where the format has a place for it).
OTHER_FORMATS = {
    "png": (lambda: samples.png_bytes(), "png"),
    "still gif": (lambda: images.encode(images.quadrant_image((700, 500)).convert("P"), "GIF"), "gif"),
    "cmyk jpeg": (lambda: images.encode(images.quadrant_image((700, 500), mode="CMYK"), "JPEG",
                                        exif=images.make_exif(orientation=1).tobytes()), "jpeg"),
    "16-bit png": (lambda: images.encode(images.quadrant_image((700, 500)).convert("L").convert("I;16"), "PNG",
                                         exif=images.make_exif(orientation=1).tobytes()), "png"),
    "palette png with transparency": (_palette_with_transparency, "png"),
    "heic (phone photo)": (lambda: samples.heic_bytes(), "heif"),
    "tiff": (lambda: images.encode(images.quadrant_image((700, 500)), "TIFF",
                                   exif=images.make_exif(orientation=1).tobytes()), "tiff"),
}


@pytest.mark.parametrize("kind", list(OTHER_FORMATS))
def test_other_formats_are_accepted_and_processed_to_ready_renditions_without_metadata(kind, editor, media_storage):
    make, fmt = OTHER_FORMATS[kind]
    image = actions.upload_image(samples.upload(make(), "file.bin"), by=editor, alt_text="说明")
    assert image.status == Status.PENDING and image.format == fmt
    assert files_under(media_storage[1]) == [image.original.name]
    assert actions.process_image(image.pk) == "ready"
    image.refresh_from_db()
    assert image.status == Status.READY and image.error == ""
    renditions = list(image.renditions.all())
    assert {r.format for r in renditions} == {"avif", "webp", "jpeg"}
    assert {r.kind for r in renditions} == {"width", "crop"}
    for rendition in renditions:
        data = (media_storage[0] / rendition.file.name).read_bytes()
        with PILImage.open(io.BytesIO(data)) as out:
            assert out.size == (rendition.width, rendition.height)
            assert out.mode in ("RGB", "RGBA", "L"), (rendition.format, out.mode)
            assert not out.getexif() and "exif" not in out.info and "icc_profile" not in out.info
        assert b"GPS" not in data and b"TestCam" not in data and b"secret description" not in data


def test_someone_without_the_media_permission_cannot_upload(make_user, media_storage):
    reviewer = make_user("reviewer", roles=["reviewer"])
    with pytest.raises(NotAllowed):
        actions.upload_image(samples.photo(), by=reviewer)
    assert_nothing_left(media_storage)


def test_editing_an_image_description_is_audited_and_a_new_focal_point_remakes_the_crops(
    editor, media_storage, django_capture_on_commit_callbacks
):
    image = actions.upload_image(samples.photo(), by=editor)
    actions.process_image(image.pk)
    assert Rendition.objects.filter(image=image, kind="crop").exists()
    with django_capture_on_commit_callbacks(execute=True):
        actions.update_image(image, by=editor, fields={"alt_text": "新的替代文本", "focal_x": 0.2, "focal_y": 0.3})
    image.refresh_from_db()
    assert image.alt_text == "新的替代文本" and image.status == Status.PENDING
    assert not Rendition.objects.filter(image=image, kind="crop").exists()
    assert Rendition.objects.filter(image=image, kind="width").exists()
    assert AuditEntry.objects.filter(action="media.update_image", actor=editor).exists()


# --- videos ----------------------------------------------------------------------------------

def test_an_uploaded_video_is_probed_stored_privately_and_queued(editor, media_storage, tmp_path):
    video = actions.upload_video(
        samples.upload(samples.video_bytes(tmp_path=tmp_path), "clip.mp4"), by=editor, title="生产线视频",
        captions=samples.upload(samples.VTT, "clip.vtt"),
    )
    video.refresh_from_db()
    assert video.status == Status.PENDING and video.container == "mp4"
    assert (video.width, video.height) == (640, 360) and 0.9 < video.duration < 1.2
    assert video.original.name.startswith("originals/videos/")
    assert video.captions.name.endswith(".vtt")
    assert not video.web_file and not video.poster
    assert AuditEntry.objects.filter(action="media.upload_video", actor=editor).exists()


@pytest.mark.parametrize("fmt", ["mov", "webm"])
def test_mov_and_webm_videos_are_accepted(fmt, editor, media_storage, tmp_path):
    video = actions.upload_video(samples.upload(samples.video_bytes(fmt=fmt, tmp_path=tmp_path), f"c.{fmt}"), by=editor)
    assert video.container == fmt


BAD_VIDEOS = {
    "zero bytes": (lambda tmp: b"", "空的"),
    "a jpeg renamed .mp4": (lambda tmp: samples.jpeg_bytes(size=(200, 100)), "不是支持的视频"),
    "html renamed .mp4": (lambda tmp: b"<html><script>alert(1)</script></html>", "不是支持的视频"),
    "truncated mp4": (lambda tmp: samples.video_bytes(tmp_path=tmp)[:3000], "损坏"),
}


@pytest.mark.parametrize("case", list(BAD_VIDEOS))
def test_a_bad_video_is_refused_with_a_message_and_leaves_no_row_and_no_file(case, editor, media_storage, tmp_path):
    make, word = BAD_VIDEOS[case]
    with pytest.raises(ValidationError) as exc_info:
        actions.upload_video(samples.upload(make(tmp_path), "clip.mp4"), by=editor)
    assert_refused(exc_info, word)
    assert_nothing_left(media_storage)


def test_captions_that_are_not_webvtt_are_refused_and_nothing_is_stored(editor, media_storage, tmp_path):
    with pytest.raises(ValidationError) as exc_info:
        actions.upload_video(
            samples.upload(samples.video_bytes(tmp_path=tmp_path), "clip.mp4"), by=editor,
            captions=samples.upload(b"1\n00:00:00,000 --> 00:00:01,000\nSRT\n", "clip.srt"),
        )
    assert_refused(exc_info, "WebVTT")
    assert_nothing_left(media_storage)


def test_a_video_over_the_size_cap_is_refused(editor, media_storage, tmp_path, settings):
    settings.PARKPORTAL_MEDIA_VIDEO_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as exc_info:
        actions.upload_video(samples.upload(samples.video_bytes(tmp_path=tmp_path), "clip.mp4"), by=editor)
    assert_refused(exc_info, "过大")
    assert_nothing_left(media_storage)


# --- attachments -----------------------------------------------------------------------------

GOOD_DOCUMENTS = {
    "pdf": (samples.pdf_bytes, "notice.pdf"),
    "ofd": (samples.ofd_bytes, "notice.ofd"),
    "docx": (samples.docx_bytes, "notice.docx"),
    "xlsx": (samples.xlsx_bytes, "table.xlsx"),
    "doc": (lambda: samples.ole_bytes("WordDocument"), "notice.doc"),
    "xls": (lambda: samples.ole_bytes("Workbook"), "table.xls"),
    "wps": (lambda: samples.ole_bytes("WordDocument"), "通知.wps"),
    "et": (lambda: samples.ole_bytes("Workbook"), "表格.et"),
}


@pytest.mark.parametrize("kind", list(GOOD_DOCUMENTS))
def test_documents_are_typed_by_their_content(kind, editor, media_storage):
    make, name = GOOD_DOCUMENTS[kind]
    attachment = actions.upload_attachment(samples.upload(make(), name), by=editor, title="申报通知")
    assert attachment.kind == kind and attachment.size_bytes == len(make())
    assert attachment.file.name.startswith("originals/attachments/")
    assert files_under(media_storage[0]) == []  # never in public storage


def test_a_docx_renamed_pdf_is_still_a_docx(editor, media_storage):
    attachment = actions.upload_attachment(samples.upload(samples.docx_bytes(), "renamed.pdf"), by=editor)
    assert attachment.kind == "docx"


BAD_DOCUMENTS = {
    "zero bytes": (lambda: b"", "空的"),
    "html renamed .pdf": (lambda: b"<html><body>hi</body></html>", "不支持"),
    "an executable renamed .doc": (lambda: b"MZ\x90\x00" + b"\0" * 200, "不支持"),
    "a plain zip": (lambda: samples.zip_bytes({"a.txt": b"x"}), "不支持"),
    "a word file with macros": (samples.docm_bytes, "宏"),
    "a broken zip": (lambda: b"PK\x03\x04" + b"\x00" * 40, "损坏"),
    "a powerpoint file": (lambda: samples.ole_bytes("PowerPoint Document"), "不支持"),
    "a truncated pdf": (lambda: samples.pdf_bytes()[:40], "损坏"),
}


@pytest.mark.parametrize("case", list(BAD_DOCUMENTS))
def test_a_bad_document_is_refused_with_a_message_and_leaves_no_row_and_no_file(case, editor, media_storage):
    make, word = BAD_DOCUMENTS[case]
    with pytest.raises(ValidationError) as exc_info:
        actions.upload_attachment(samples.upload(make(), "file.pdf"), by=editor)
    assert_refused(exc_info, word)
    assert_nothing_left(media_storage)


@override_settings(PARKPORTAL_MEDIA_ATTACHMENT_MAX_BYTES=100)
def test_a_document_over_the_size_cap_is_refused(editor, media_storage):
    with pytest.raises(ValidationError) as exc_info:
        actions.upload_attachment(samples.upload(samples.docx_bytes(), "big.docx"), by=editor)
    assert_refused(exc_info, "过大")
    assert_nothing_left(media_storage)


# --- a rolled-back upload leaves no orphan original ----------------------------------------------

class Boom(Exception):
    pass


def _upload_then_fail(upload, **kw):
    with pytest.raises(Boom):
        with transaction.atomic():
            upload(**kw)
            raise Boom  # e.g. the page that was to use the media failed to save


def test_an_upload_whose_transaction_rolls_back_leaves_no_original(editor, media_storage, tmp_path):
    _upload_then_fail(lambda: actions.upload_image(samples.photo(), by=editor))
    _upload_then_fail(lambda: actions.upload_video(
        samples.upload(samples.video_bytes(tmp_path=tmp_path), "clip.mp4"), by=editor))
    _upload_then_fail(lambda: actions.upload_attachment(samples.upload(samples.pdf_bytes(), "a.pdf"), by=editor))
    assert_nothing_left(media_storage)


def test_an_upload_in_a_savepoint_that_rolls_back_leaves_no_original(editor, media_storage):
    kept = actions.upload_image(samples.photo(seed=1), by=editor)
    _upload_then_fail(lambda: actions.upload_image(samples.photo(seed=2), by=editor))  # a savepoint here
    assert list(Image.objects.all()) == [kept]
    assert files_under(media_storage[1]) == [kept.original.name]


def test_an_error_inside_the_upload_after_the_write_removes_the_original_at_once(
    editor, media_storage, monkeypatch
):
    def failing_audit(*args, **kwargs):
        raise Boom

    monkeypatch.setattr(actions.images, "audit", failing_audit)  # the image upload's audit row
    with pytest.raises(Boom) as exc_info:  # the traceback keeps the upload's frame alive
        actions.upload_image(samples.photo(), by=editor)
    assert exc_info.value and files_under(media_storage[1]) == []
    assert not Image.objects.exists()


def test_a_rolled_back_reupload_does_not_delete_the_file_of_the_existing_image(editor, media_storage):
    data = samples.jpeg_bytes()
    image = actions.upload_image(samples.upload(data, "a.jpg"), by=editor)
    _upload_then_fail(lambda: actions.upload_image(samples.upload(data, "again.jpg"), by=editor, alt_text="x"))
    assert files_under(media_storage[1]) == [image.original.name]
    assert Image.objects.get().alt_text == ""


def test_a_committed_upload_keeps_its_original(editor, media_storage, django_capture_on_commit_callbacks):
    import gc

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        image = actions.upload_image(samples.photo(), by=editor)
        attachment = actions.upload_attachment(samples.upload(samples.pdf_bytes(), "a.pdf"), by=editor)
    del callbacks
    gc.collect()
    assert files_under(media_storage[1]) == sorted([image.original.name, attachment.file.name])


@pytest.mark.django_db(transaction=True)
def test_a_committed_upload_keeps_its_original_when_an_earlier_on_commit_callback_fails(editor, media_storage):
    # Django skips the remaining on-commit callbacks when one raises: the upload's
    # "keep" is then dropped uncalled, but its row is committed and names the file.
    import gc

    def earlier_callback_fails():
        raise Boom

    with pytest.raises(Boom):
        with transaction.atomic():
            transaction.on_commit(earlier_callback_fails)
            image = actions.upload_image(samples.photo(seed=3), by=editor)
    gc.collect()
    assert Image.objects.filter(pk=image.pk).exists()
    assert files_under(media_storage[1]) == [image.original.name]


# --- a server without the video tools ------------------------------------------------------------

@contextlib.contextmanager
def ffmpeg_missing(monkeypatch, tmp_path):
    """ffmpeg is not where the configuration says (imageio-ffmpeg honours IMAGEIO_FFMPEG_EXE)."""
    from apps.media import video as video_tools

    monkeypatch.setenv("IMAGEIO_FFMPEG_EXE", str(tmp_path / "no-such-ffmpeg"))
    video_tools.ffmpeg_exe.cache_clear()
    try:
        yield
    finally:
        monkeypatch.delenv("IMAGEIO_FFMPEG_EXE")
        video_tools.ffmpeg_exe.cache_clear()


def test_without_ffmpeg_a_video_upload_is_refused_with_a_chinese_message_and_leaves_nothing(
    editor, media_storage, tmp_path, monkeypatch
):
    data = samples.video_bytes(tmp_path=tmp_path)
    with ffmpeg_missing(monkeypatch, tmp_path), pytest.raises(ValidationError, match="视频处理组件（FFmpeg"):
        actions.upload_video(samples.upload(data, "clip.mp4"), by=editor)
    assert not Video.objects.exists() and files_under(media_storage[1]) == []


def test_without_pyav_a_video_upload_is_refused_with_a_chinese_message(editor, media_storage, tmp_path, monkeypatch):
    data = samples.video_bytes(tmp_path=tmp_path)
    monkeypatch.setitem(sys.modules, "av", None)  # "import av" raises ImportError
    with pytest.raises(ValidationError, match="视频处理组件（PyAV"):
        actions.upload_video(samples.upload(data, "clip.mp4"), by=editor)
    assert not Video.objects.exists()
