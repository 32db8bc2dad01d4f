"""An editor uploads a phone photo (with GPS tags) and a video, writes a press
release around them and submits it; a reviewer and a publisher approve and it is
published. The public page shows <picture> and <video> served from the files the
worker made, and no served image carries EXIF or GPS (read from the bytes)."""

import re
from io import BytesIO

import pytest
from PIL import Image as PILImage

from apps.media.models import Image, Video
from tests.browser.conftest import describe, run_axe
from apps.news.models import PressRelease
from tests.editorial.conftest import people  # noqa: F401  (fixture)
from tests.media import samples
from tests.media.conftest import media_queues, media_storage  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.news.urls_with_media"),
]

PASSWORD = "irrelevant-password-123"


def login(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def press(page, label, **inputs):
    page.locator("summary", has_text=label).first.click()
    form = page.locator("details[open] form")
    for name, value in inputs.items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def assert_clean_image(data: bytes, url: str):
    assert b"GPS" not in data and b"TestCam" not in data and b"Exif\x00\x00" not in data, url
    if url.endswith((".jpg", ".webp")):
        with PILImage.open(BytesIO(data)) as im:
            assert not im.getexif() and "exif" not in im.info and "xmp" not in im.info, url


def test_an_editor_publishes_a_release_with_a_photo_and_a_video_processed_by_the_worker(
    live_server, browser, people, media_storage, media_queues, artifacts, tmp_path, axe_source  # noqa: F811
):
    photo = samples.jpeg_bytes(size=(2000, 1500), gps=True, orientation=6)
    assert b"GPS" in photo  # the upload really carries a location

    # 1. The editor uploads a photo and a video to the media library.
    editor = login(browser, live_server, "editor")
    editor.goto(f"{live_server.url}/admin/media/image/add/")
    editor.set_input_files("#id_upload", files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    editor.fill("#id_title", "五层共挤生产线")
    editor.fill("#id_alt_text", "工人在五层共挤薄膜生产线旁检查膜卷")
    editor.fill("#id_caption", "新投产的五层共挤生产线")
    editor.click("input[name=_save]")
    editor.wait_for_load_state()
    image = Image.objects.get()
    assert image.status == "pending" and not image.renditions.exists()

    editor.goto(f"{live_server.url}/admin/media/video/add/")
    editor.set_input_files("#id_upload", files=[{
        "name": "line.mp4", "mimeType": "video/mp4", "buffer": samples.video_bytes(tmp_path=tmp_path)}])
    editor.set_input_files("#id_captions_file", files=[{
        "name": "line.vtt", "mimeType": "text/vtt", "buffer": samples.VTT}])
    editor.fill("#id_title", "生产线运行视频")
    editor.click("input[name=_save]")
    editor.wait_for_load_state()
    video = Video.objects.get()

    # 2. The worker processes them (the queued messages, consumed from the real broker).
    assert media_queues["media"].run() == ["ready"]
    assert media_queues["video"].run() == ["ready"]

    # 3. The editor writes the release around them and submits it.
    editor.goto(f"{live_server.url}/admin/news/pressrelease/add/")
    editor.fill("#id_title", "新材料企业五层共挤生产线投产")
    editor.fill("#id_summary", "园区一家新材料企业的五层共挤薄膜生产线投入运行。")
    editor.locator(".ProseMirror[contenteditable=true]").click()
    editor.keyboard.type("新产线可生产更薄、更耐用的农用膜和青贮包装膜。")
    editor.fill("#id_cover_image", str(image.pk))
    editor.fill("#id_videos", str(video.pk))
    editor.fill("#id_gallery_items-0-image", str(image.pk))
    editor.fill("#id_gallery_items-0-caption", "生产线全景")
    editor.fill("#id_source", "高新区管委会")
    editor.fill("#id_responsible_editor", "李编辑")
    editor.click("input[name=_continue]")
    editor.wait_for_load_state()
    release = PressRelease.objects.get()
    press(editor, "提交审核", note="请审核")
    assert "已提交审核" in editor.content()
    public_url = f"{live_server.url}{release.get_absolute_url()}"
    assert editor.request.get(public_url).status == 404

    # 4. Review (复审) and sign-off (签发), then publish.
    change_url = f"{live_server.url}/admin/news/pressrelease/{release.pk}/change/"
    reviewer = login(browser, live_server, "reviewer")
    reviewer.goto(change_url)
    press(reviewer, "审核通过", note="事实无误")
    publisher = login(browser, live_server, "publisher")
    publisher.goto(change_url)
    press(publisher, "签发（审核通过并发布）", note="同意发布")  # 签发 publishes
    assert "已签发，内容已发布" in publisher.content()

    # 5. The public page: <picture> and <video> from processed files.
    reader = browser.new_page()
    assert reader.goto(public_url).status == 200
    reader.screenshot(path=artifacts / "newsroom-release.png", full_page=True)
    assert reader.locator("h1").inner_text() == "新材料企业五层共挤生产线投产"
    assert reader.locator("picture").count() == 2  # cover and gallery
    assert reader.locator("picture img[loading=lazy]").count() == 1
    html = reader.content()
    assert "生产线全景" in html and "责任编辑" in html
    video_el = reader.locator("video")
    assert video_el.get_attribute("preload") == "none"
    assert reader.locator("video track[kind=captions]").count() == 1

    pictures = "".join(re.findall(r"<picture.*?</picture>", html, re.S))
    urls = set()
    for srcset in re.findall(r'srcset="([^"]+)"', pictures):
        urls.update(part.strip().split(" ")[0] for part in srcset.split(","))
    urls.update(re.findall(r'<img src="([^"]+)"', pictures))
    urls.add(video_el.get_attribute("poster"))
    assert urls and all(u.startswith(("/media/renditions/", "/media/videos/")) for u in urls), urls
    for url in urls:
        response = reader.request.get(f"{live_server.url}{url}")
        assert response.status == 200, url
        assert_clean_image(response.body(), url)
    # The browser really loaded a processed picture.
    assert reader.evaluate("document.querySelector('picture img').naturalWidth") > 0

    mp4 = reader.request.get(f"{live_server.url}{reader.locator('video source').get_attribute('src')}")
    assert mp4.status == 200 and mp4.body()[4:8] == b"ftyp"
    # Originals are not reachable.
    assert reader.request.get(f"{live_server.url}/media/{image.original.name}").status == 404

    # WCAG 2.1 AA on the release and on the list.
    violations = run_axe(reader, axe_source)
    assert not violations, describe(violations)
    reader.goto(f"{live_server.url}/news/")
    assert reader.locator("a", has_text="新材料企业五层共挤生产线投产").count() == 1
    violations = run_axe(reader, axe_source)
    assert not violations, describe(violations)
