"""The suite-wide guard (tests/conftest.py): rendering an image or transcoding a
video while a request is being handled is an error in every test, while the
worker's own calls (a task run by the test, outside any request) are fine."""

import pytest
from asgiref.sync import async_to_sync
from django.test import AsyncClient

from apps.media import actions
from apps.media.models import Image, Rendition, Status
from tests.conftest import RenderedDuringRequest
from tests.media import samples

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.media.guard_urls")]


@pytest.fixture
def image(make_user, media_storage):
    return actions.upload_image(samples.photo(size=(400, 300)), by=make_user("editor", roles=["editor"]))


def test_a_view_that_processes_an_image_is_an_error(client, image, render_guard):
    with pytest.raises(RenderedDuringRequest, match="process_image.*/guard/process/"):
        client.get(f"/guard/process/{image.pk}/")
    assert len(render_guard()) == 1
    image.refresh_from_db()
    assert image.status == Status.PENDING and not Rendition.objects.exists()


@pytest.mark.parametrize("url", ["/guard/render/", "/guard/transcode/"])
def test_rendering_or_transcoding_in_a_view_is_an_error(client, url, render_guard):
    with pytest.raises(RenderedDuringRequest):
        client.get(url)
    assert render_guard()


def test_an_async_view_is_guarded_too(render_guard):
    with pytest.raises(RenderedDuringRequest, match="render_renditions"):
        async_to_sync(AsyncClient().get)("/guard/async-render/")
    assert render_guard()


def test_a_view_that_swallows_the_error_is_still_caught(client, image, render_guard):
    assert client.get(f"/guard/swallow/{image.pk}/").status_code == 200
    assert render_guard() == [
        f"apps.media.actions.process_image() called while handling the request /guard/swallow/{image.pk}/: "
        "media are processed by the worker only"
    ]  # without render_guard() reading it, the autouse fixture fails this test


def test_outside_a_request_the_worker_functions_run(image):
    assert actions.process_image(image.pk) == "ready"
    assert Image.objects.get(pk=image.pk).status == Status.READY
