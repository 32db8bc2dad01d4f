"""Media changes that public pages show bump the page cache's content generation
after commit (apps.core.pagecache): a rendition set or poster made for media that
a page uses, and 重新处理 or an edit by staff. Media no page uses leaves it alone."""

import pytest

from apps.core import pagecache
from apps.media import actions, processing
from apps.news.models import PressRelease
from tests.media import samples
from tests.editorial.conftest import people  # noqa: F401  (fixture)
from tests.news.conftest import assets, refresh, releases  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def bumped(callbacks_fixture, action) -> bool:
    """Whether ``action`` moved the content generation once its transaction committed (the
    page cache may also bump at once; the bump after commit is what drops a page rendered
    from the state before the commit)."""
    with callbacks_fixture(execute=True):
        action()
        during = pagecache.generation()
    return pagecache.generation() != during


def test_renditions_made_for_an_image_that_a_page_uses_bump_the_generation(
    assets, releases, django_capture_on_commit_callbacks
):
    image = assets.image(ready=False)
    releases.draft(cover=image)  # a release goes public only once its images are ready
    assert bumped(django_capture_on_commit_callbacks, lambda: processing.process_image(image.pk))


def test_renditions_for_an_image_that_no_page_uses_leave_the_generation_alone(
    assets, django_capture_on_commit_callbacks
):
    image = assets.image(ready=False)
    assert not bumped(django_capture_on_commit_callbacks, lambda: processing.process_image(image.pk))


def test_staff_reprocessing_a_used_image_bumps_the_generation_now_and_when_it_is_ready(
    assets, releases, people, django_capture_on_commit_callbacks
):
    image = assets.image()
    made = image.renditions.count()
    release = releases.published(cover=image)
    assert PressRelease.objects.published().filter(pk=release.pk).exists()
    assert bumped(django_capture_on_commit_callbacks,
                 lambda: actions.reprocess(image, by=people.editor, rebuild=True))
    assert not refresh(image).renditions.exists()
    assert bumped(django_capture_on_commit_callbacks, lambda: processing.process_image(image.pk))
    assert refresh(image).renditions.count() == made


def test_a_new_focal_point_or_alt_text_of_a_used_image_bumps_the_generation(
    assets, releases, people, django_capture_on_commit_callbacks
):
    image = assets.image()
    releases.draft(gallery=[(image, "")])  # a gallery row refers to it (related_name="+")
    assert bumped(django_capture_on_commit_callbacks, lambda: actions.update_image(
        image, by=people.editor, fields={"alt_text": "园区新材料生产车间外景"}))
    assert bumped(django_capture_on_commit_callbacks, lambda: actions.update_image(
        image, by=people.editor, fields={"focal_x": 0.2, "focal_y": 0.3}))


def test_the_web_video_and_poster_made_for_a_used_video_bump_the_generation(
    assets, releases, people, tmp_path, django_capture_on_commit_callbacks
):
    video = assets.video(tmp_path, ready=False)
    releases.draft(videos=[video])
    assert bumped(django_capture_on_commit_callbacks, lambda: processing.process_video(video.pk))
    assert refresh(video).poster


def test_a_new_title_for_a_used_attachment_bumps_the_generation(
    assets, releases, people, django_capture_on_commit_callbacks
):
    attachment = assets.attachment()
    releases.published(attachments=[attachment])
    assert bumped(django_capture_on_commit_callbacks, lambda: actions.update_attachment(
        attachment, by=people.editor, title="2027 年申报指南"))
    unused = actions.upload_attachment(samples.upload(samples.docx_bytes(), "b.docx"), by=people.editor)
    assert not bumped(django_capture_on_commit_callbacks, lambda: actions.update_attachment(
        unused, by=people.editor, title="另一份指南"))
