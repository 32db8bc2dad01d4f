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


# --- Issue 15: focal points are form errors in Chinese, never a 500 --------------------------

@pytest.mark.parametrize("focal, field_error", [
    ({"focal_x": "0.5", "focal_y": ""}, "焦点需同时填写横坐标和纵坐标"),
    ({"focal_x": "", "focal_y": "0.3"}, "焦点需同时填写横坐标和纵坐标"),
    ({"focal_x": "1.5", "focal_y": "0.2"}, "焦点坐标应在 0 到 1 之间"),
])
def test_a_bad_focal_point_on_upload_is_a_chinese_form_error(editor_client, media_storage, focal, field_error):
    response = editor_client.post("/admin/media/image/add/", {
        "upload": samples.photo(), "title": "生产线", "alt_text": "五层共挤生产线", **focal,
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="errorlist' in html and field_error in html
    assert "media_image_focal_point_in_range" not in html
    assert not Image.objects.exists()


@pytest.mark.parametrize("focal, message", [
    ({"focal_x": "0.5", "focal_y": ""}, "焦点需同时填写横坐标和纵坐标"),
    ({"focal_x": "0.5", "focal_y": "7"}, "焦点坐标应在 0 到 1 之间"),
    ({"focal_x": "-0.1", "focal_y": "0.5"}, "焦点坐标应在 0 到 1 之间"),
])
def test_a_bad_focal_point_on_edit_is_a_chinese_form_error(editor_client, media_storage, focal, message):
    image = actions.upload_image(samples.photo(), by=editor_client.editor, title="生产线", alt_text="五层共挤生产线")
    response = editor_client.post(f"/admin/media/image/{image.pk}/change/", {
        "title": "生产线", "alt_text": "五层共挤生产线", "caption": "", "credit": "", "copyright": "", **focal,
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "media_image_focal_point_in_range" not in html
    image.refresh_from_db()
    assert image.focal_x is None and image.focal_y is None


def test_the_focal_point_constraint_speaks_chinese(editor_client, media_storage):
    from django.core.exceptions import ValidationError

    image = actions.upload_image(samples.photo(), by=editor_client.editor, alt_text="五层共挤生产线")
    image.focal_x, image.focal_y = 0.5, None
    with pytest.raises(ValidationError) as exc_info:
        image.validate_constraints()
    assert "焦点须同时填写横坐标和纵坐标" in str(exc_info.value)


# --- Issue 15: the same file uploaded again is never a silent loss of the new title ---------

def test_uploading_the_same_attachment_again_says_the_new_title_was_not_saved(editor_client, media_storage):
    data = samples.pdf_bytes()
    editor_client.post("/admin/media/attachment/add/", {"upload": samples.upload(data, "a.pdf"), "title": "申报指南"})
    response = editor_client.post(
        "/admin/media/attachment/add/", {"upload": samples.upload(data, "b.pdf"), "title": "2027年申报指南"}, follow=True,
    )
    html = response.content.decode()
    assert Attachment.objects.count() == 1 and Attachment.objects.get().title == "申报指南"
    assert "该文件此前已上传过（“申报指南”" in html and "您新填写的标题“2027年申报指南”没有保存" in html


def test_uploading_the_same_video_again_says_so(editor_client, media_storage, tmp_path):
    clip = samples.video_bytes(tmp_path=tmp_path)
    editor_client.post("/admin/media/video/add/", {"upload": samples.upload(clip, "a.mp4"), "title": "园区宣传片",
                                                   "captions_language": "zh-Hans"})
    response = editor_client.post("/admin/media/video/add/", {
        "upload": samples.upload(clip, "b.mp4"), "title": "新的宣传片标题", "captions_language": "zh-Hans",
    }, follow=True)
    html = response.content.decode()
    assert Video.objects.count() == 1 and Video.objects.get().title == "园区宣传片"
    assert "该文件此前已上传过（“园区宣传片”" in html and "您新填写的标题“新的宣传片标题”没有保存" in html


def test_a_reupload_fills_a_blank_title_without_a_warning_about_it(editor_client, media_storage):
    data = samples.pdf_bytes()
    attachment = actions.upload_attachment(samples.upload(data, "a.pdf"), by=editor_client.editor, title="")
    again = actions.upload_attachment(samples.upload(data, "a.pdf"), by=editor_client.editor, title="")
    assert again.pk == attachment.pk and again.reused and again.ignored == {}
