"""A press release goes through the editorial workflow; submission waits for its media."""

import pytest

from apps.core.errors import InvalidTransition
from apps.editorial import actions as editorial
from apps.editorial.models import Revision, Status, Visibility
from apps.media import actions as media
from apps.media.models import Image
from apps.news.models import PressRelease
from tests.news.conftest import refresh

pytestmark = pytest.mark.django_db


def test_a_release_with_ready_media_goes_through_review_and_is_published(releases, assets, people, tmp_path):
    cover = assets.image()
    release = releases.published(cover=cover, gallery=[(assets.image(), "车间一角")], videos=[assets.video(tmp_path)],
                                 attachments=[assets.attachment()])
    assert release.visibility == Visibility.LIVE and release.status == Status.PUBLISHED
    assert PressRelease.objects.published().get() == release
    assert [g.caption for g in release.gallery_items.all()] == ["车间一角"]
    snapshot = Revision.objects.get(pk=release.live_revision_id).snapshot
    assert snapshot["children"]["gallery_items"][0]["caption"] == "车间一角"
    assert snapshot["fields"]["cover_image_id"] == cover.pk


def test_submission_is_refused_while_an_image_lacks_alt_text(releases, assets, people):
    release = releases.draft(cover=assets.image(alt_text=""))
    with pytest.raises(InvalidTransition) as exc_info:
        editorial.submit(release, by=people.editor)
    assert "缺少替代文本" in exc_info.value.message
    assert refresh(release).status == Status.DRAFT


def test_submission_is_refused_while_a_gallery_image_is_still_processing(releases, assets, people):
    release = releases.draft(cover=assets.image(), gallery=[(assets.image(ready=False), "")])
    with pytest.raises(InvalidTransition) as exc_info:
        editorial.submit(release, by=people.editor)
    assert "仍在处理中" in exc_info.value.message


def test_submission_is_refused_while_a_video_failed_and_says_why(releases, assets, people, tmp_path):
    video = assets.video(tmp_path, ready=False)
    media.record_failure(type(video), video.pk, "转码失败")
    release = releases.draft(videos=[video])
    with pytest.raises(InvalidTransition) as exc_info:
        editorial.submit(release, by=people.editor)
    assert "处理失败" in exc_info.value.message and "转码失败" in exc_info.value.message


def test_once_processing_finishes_the_same_draft_can_be_submitted(releases, assets, people):
    image = assets.image(ready=False)
    release = releases.draft(cover=image)
    with pytest.raises(InvalidTransition):
        editorial.submit(release, by=people.editor)
    media.process_image(image.pk)
    editorial.submit(release, by=people.editor)
    assert refresh(release).status == Status.IN_REVIEW


def test_the_check_reads_the_new_draft_of_a_published_release_not_the_public_row(releases, assets, people):
    release = releases.published(cover=assets.image())
    pending = assets.image(ready=False)
    editorial.save_draft(release, by=people.editor, fields={"cover_image": pending})
    release = refresh(release)
    assert release.cover_image_id != pending.pk  # the public row keeps the published cover
    with pytest.raises(InvalidTransition) as exc_info:
        editorial.submit(release, by=people.editor)
    assert "仍在处理中" in exc_info.value.message


def test_the_url_is_stable_when_the_title_is_edited(releases, assets, people):
    release = releases.published(title="旧标题")
    url = release.get_absolute_url()
    editorial.save_draft(release, by=people.editor, fields={"title": "新标题"})
    release = refresh(release)
    editorial.submit(release, by=people.editor)
    editorial.approve(release, by=people.reviewer)
    editorial.approve(release, by=people.publisher, publish=False)
    editorial.publish(release, by=people.publisher2, major=False)
    release = refresh(release)
    assert release.title == "新标题" and release.get_absolute_url() == url
    assert url.startswith("/news/") and f"/{release.pk}/" in url


def test_a_published_image_cannot_be_deleted_from_under_a_release(releases, assets):
    from django.db.models import ProtectedError

    cover = assets.image()
    releases.published(cover=cover)
    with pytest.raises(ProtectedError):
        Image.objects.filter(pk=cover.pk).delete()
