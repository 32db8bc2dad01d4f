"""{% picture %} and {% video_player %} render processed files only."""

import pytest
from django.template import Context, Template

from apps.media import actions
from apps.media.models import Rendition
from tests.media import samples
from tests.media.conftest import files_under

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    return Template("{% load media_tags %}" + source).render(Context(context))


@pytest.fixture
def image(make_user, media_storage):
    editor = make_user("editor", roles=["editor"])
    return actions.upload_image(samples.photo(size=(2400, 1600)), by=editor, alt_text="园区全景")


def test_a_ready_image_is_a_picture_with_avif_webp_and_jpeg_sources(image):
    actions.process_image(image.pk)
    image.refresh_from_db()
    html = render('{% picture image sizes="(min-width: 60em) 50vw, 100vw" %}', image=image)
    assert html.startswith('<picture><source type="image/avif" srcset="')
    assert '<source type="image/webp"' in html
    assert "320w" in html and "1920w" in html and "2400w" not in html
    assert 'sizes="(min-width: 60em) 50vw, 100vw"' in html
    assert 'width="1920" height="1280"' in html and 'alt="园区全景"' in html
    assert 'loading="lazy"' in html and "fetchpriority" not in html


def test_above_the_fold_the_picture_is_eager_and_a_crop_is_square(image):
    actions.process_image(image.pk)
    image.refresh_from_db()
    assert 'fetchpriority="high"' in render("{% picture image eager=True %}", image=image)
    crop = render("{% picture image crop=400 %}", image=image)
    assert 'width="400" height="400"' in crop and "320w" not in crop


def test_an_image_not_ready_is_a_placeholder_and_nothing_is_generated(image, media_storage):
    html = render("{% picture image %}", image=image)
    assert 'class="media-placeholder" role="img" aria-label="园区全景"' in html
    assert "aspect-ratio: 2400 / 1600" in html and "<picture" not in html
    assert not Rendition.objects.exists() and files_under(media_storage[0]) == []


def test_a_video_is_a_player_with_poster_and_captions_only_when_ready(make_user, media_storage, tmp_path):
    editor = make_user("editor", roles=["editor"])
    video = actions.upload_video(samples.upload(samples.video_bytes(tmp_path=tmp_path), "c.mp4"), by=editor,
                                 captions=samples.upload(samples.VTT, "c.vtt"), title="园区视频")
    assert "视频正在处理" in render("{% video_player video %}", video=video)
    actions.process_video(video.pk)
    video.refresh_from_db()
    html = render("{% video_player video %}", video=video)
    assert html.startswith('<video controls preload="none" poster="/media/videos/')
    assert '<track kind="captions" src="/media/videos/' in html and 'srclang="zh-Hans"' in html
    assert '<source src="/media/videos/' in html and 'type="video/mp4"' in html
