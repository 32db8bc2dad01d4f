"""URLs for tests/media/test_render_guard.py: views that (wrongly) render inside a request."""

import io

from asgiref.sync import sync_to_async
from django.http import HttpResponse
from django.urls import path
from PIL import Image

from apps.media import actions, renditions, video


def process_in_view(request, pk):
    return HttpResponse(actions.process_image(pk))


def render_in_view(request):
    data = io.BytesIO()
    Image.new("RGB", (64, 48)).save(data, "PNG")
    renditions.render_renditions(io.BytesIO(data.getvalue()))
    return HttpResponse("rendered")


def swallow_in_view(request, pk):
    try:
        actions.process_image(pk)
    except Exception:  # noqa: BLE001 - the very mistake the suite-wide guard still catches
        pass
    return HttpResponse("ok")


def transcode_in_view(request):
    video.transcode("/nonexistent/in.mp4", "/nonexistent/out.mp4", has_audio=False, timeout=5)
    return HttpResponse("transcoded")


async def render_in_async_view(request):
    data = io.BytesIO()
    Image.new("RGB", (64, 48)).save(data, "PNG")
    await sync_to_async(renditions.render_renditions)(io.BytesIO(data.getvalue()))
    return HttpResponse("rendered")


urlpatterns = [
    path("guard/process/<int:pk>/", process_in_view),
    path("guard/render/", render_in_view),
    path("guard/swallow/<int:pk>/", swallow_in_view),
    path("guard/transcode/", transcode_in_view),
    path("guard/async-render/", render_in_async_view),
]
