"""The demo newsroom: real workflow, generated pictures, processing left to the worker."""

import pytest
from django.core.management import call_command

from apps.core.models import AuditEntry
from apps.editorial.models import Status, Visibility
from apps.media.models import Image, Rendition
from apps.media.models import Status as MediaStatus
from apps.news import demo
from apps.news.models import PressRelease

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_releases_through_the_workflow_and_leaves_pictures_to_the_worker(
    settings, tmp_path, media_storage, media_queues, django_capture_on_commit_callbacks
):
    settings.VAR_DIR = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    releases = list(PressRelease.objects.published())
    assert len(releases) == len(demo.RELEASES) >= 6
    assert not Rendition.objects.exists()  # nothing rendered by the loader
    assert set(Image.objects.values_list("status", flat=True)) == {MediaStatus.PENDING}
    assert all(r.has_unpublished_changes and r.status == Status.DRAFT for r in releases)
    assert all(r.created_by.username == "editor" for r in releases)
    publishers = AuditEntry.objects.filter(action="editorial.publish", content_type__model="pressrelease").values_list("actor__username", flat=True)
    assert list(publishers) == ["publisher"] * len(releases)  # 签发: the signer's approval publishes

    # The worker renders the pictures; the finishing task then publishes the picture versions.
    media_queues["media"].run()
    assert set(Image.objects.values_list("status", flat=True)) == {MediaStatus.READY}
    for release in releases:
        assert demo.finish(release)
    for release in PressRelease.objects.published():
        assert release.visibility == Visibility.LIVE and release.status == Status.PUBLISHED
        assert release.cover_image is not None and release.cover_image.alt_text
    # Running the loader again changes nothing.
    counts = (PressRelease.objects.count(), Image.objects.count())
    call_command("load_demo")
    assert (PressRelease.objects.count(), Image.objects.count()) == counts


def test_demo_pictures_are_generated_jpegs():
    from io import BytesIO

    from PIL import Image as PILImage

    data = demo.make_picture("示例", (10, 20, 30), (200, 210, 220), seed=1)
    with PILImage.open(BytesIO(data)) as im:
        assert im.format == "JPEG" and im.size == (1600, 1000)
