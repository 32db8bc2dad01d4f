"""The media library in the admin: uploads through the actions, refusals as form
errors, "重新处理", and no rendition made during any request."""

import pytest

from apps.core.models import AuditEntry
from apps.media import actions
from apps.media.models import Attachment, Image, Rendition, Status, Video
from tests.media import samples
from tests.media.conftest import files_under

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, make_user):
    editor = make_user("editor", roles=["editor"])
    client.force_login(editor)
    client.editor = editor
    return client


def test_no_rendition_is_generated_during_any_request_only_by_the_task(
    editor_client, media_storage, media_queues, django_capture_on_commit_callbacks
):
    public = media_storage[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post("/admin/media/image/add/", {
            "upload": samples.photo(), "title": "生产线", "alt_text": "五层共挤生产线",
        })
    assert response.status_code == 302
    image = Image.objects.get()
    # After the upload view returned: a pending row, the original private, nothing public.
    assert image.status == Status.PENDING
    assert not Rendition.objects.exists() and files_under(public) == []
    # Pages that show the image do not make renditions either.
    for url in ("/admin/media/image/", f"/admin/media/image/{image.pk}/change/"):
        assert editor_client.get(url).status_code == 200
    assert not Rendition.objects.exists() and files_under(public) == []
    # The worker does it.
    assert media_queues["media"].run() == ["ready"]
    assert Rendition.objects.filter(image=image).count() == 12
    assert len(files_under(public)) == 12
    html = editor_client.get(f"/admin/media/image/{image.pk}/change/").content.decode()
    assert "<picture>" in html


def test_a_refused_upload_is_a_form_error_in_chinese_with_no_row_and_no_file(editor_client, media_storage):
    response = editor_client.post("/admin/media/image/add/", {
        "upload": samples.upload(b"<html><script>alert(1)</script></html>", "photo.jpg"), "alt_text": "x",
    })
    assert response.status_code == 200
    assert "不是有效的图片" in response.content.decode()
    assert not Image.objects.exists()
    assert files_under(media_storage[0]) == [] and files_under(media_storage[1]) == []


def test_a_video_and_an_attachment_are_uploaded_through_the_admin(editor_client, media_storage, tmp_path):
    response = editor_client.post("/admin/media/video/add/", {
        "upload": samples.upload(samples.video_bytes(tmp_path=tmp_path), "clip.mp4"), "title": "视频",
        "captions_file": samples.upload(samples.VTT, "clip.vtt"), "captions_language": "zh-Hans",
    })
    assert response.status_code == 302, response.content.decode()[-2000:]
    video = Video.objects.get()
    assert video.status == Status.PENDING and video.captions and video.created_by == editor_client.editor
    response = editor_client.post("/admin/media/attachment/add/", {
        "upload": samples.upload(samples.docx_bytes(), "办事指南.docx"), "title": "",
    })
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.kind == "docx" and attachment.title == "办事指南"
    bad = editor_client.post("/admin/media/attachment/add/", {"upload": samples.upload(b"MZ" + b"\0" * 99, "a.pdf")})
    assert bad.status_code == 200 and "不支持的附件类型" in bad.content.decode()
    assert Attachment.objects.count() == 1


def test_the_admin_offers_reprocess_for_a_failed_image_and_shows_why_it_failed(editor_client, media_storage):
    image = actions.upload_image(samples.photo(), by=editor_client.editor)
    actions.record_failure(Image, image.pk, "解码失败：测试")
    listing = editor_client.get("/admin/media/image/").content.decode()
    assert "解码失败：测试" in listing and "重新处理" in listing
    response = editor_client.post("/admin/media/image/", {
        "action": "reprocess_selected", "_selected_action": [image.pk],
    })
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.status == Status.PENDING and image.error == ""
    assert AuditEntry.objects.filter(action="media.reprocess", actor=editor_client.editor).exists()


def test_a_video_upload_through_the_admin_without_ffmpeg_shows_a_chinese_error_not_a_500(
    editor_client, media_storage, tmp_path, monkeypatch
):
    from tests.media.test_uploads import ffmpeg_missing

    data = samples.video_bytes(tmp_path=tmp_path)
    with ffmpeg_missing(monkeypatch, tmp_path):
        response = editor_client.post("/admin/media/video/add/", {
            "upload": samples.upload(data, "clip.mp4"), "title": "视频", "captions_language": "zh-Hans",
        })
    assert response.status_code == 200 and "视频处理组件（FFmpeg" in response.content.decode()
    assert not Video.objects.exists()
