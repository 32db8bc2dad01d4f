"""Issue 10, item 4: a worker killed mid-rendition loses nothing and duplicates nothing.

(a) One pool process is SIGKILLed while it renders: the task goes back to the queue
    at once (``acks_late`` + ``reject_on_worker_lost``) and the worker's new pool
    process finishes it.
(b) The whole worker (main process and pool) is SIGKILLed, as in a crash: Redis would
    hand the message out again only after its visibility timeout (30 min), so recovery
    is the sweep's: the run stopped touching the row (``alive_at``), the sweep run by
    beat queues it again after PARKPORTAL_MEDIA_REQUEUE_PROCESSING_GRACE, and a worker
    started again renders it. Production: 90 s + a sweep every minute (≤ 2½ min); here
    ``tests.faults.settings`` runs the same rules at 4 s + 2 s.
Both: every rendition exactly once (rows and files), the image ready.
"""

import io
import os
import signal
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from apps.media import actions
from apps.media.models import Image, Rendition, Status

from . import settings as fault_settings
from .conftest import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

#: 4 widths (320/640/1280/1920, the photo is wider) and the 400×400 crop, each in AVIF, WebP, JPEG.
EXPECTED_RENDITIONS = 15


def big_photo(width=6000, height=4000) -> SimpleUploadedFile:
    """A 24 MP photo with texture: a second or more of rendering, time to kill it mid-way."""
    noise = PILImage.effect_noise((width // 4, height // 4), 60).resize((width, height))
    gradient = PILImage.linear_gradient("L").resize((width, height))
    picture = PILImage.merge("RGB", (noise, gradient, PILImage.eval(noise, lambda v: 255 - v)))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile("big.jpg", buffer.getvalue(), content_type="image/jpeg")


def rendition_files(image: Image) -> list[str]:
    h = image.content_hash
    folder = Path(settings.MEDIA_ROOT) / "renditions" / h[:2] / h[:16]
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def upload_and_wait_until_processing(editor, check) -> Image:
    image = actions.upload_image(big_photo(), by=editor, alt_text="园区全景")  # committed: the outbox sends it
    row, seconds = wait_until(lambda: Image.objects.filter(pk=image.pk, status=Status.PROCESSING).first(),
                              timeout=60, interval=0.02)
    check(row is not None, f"the worker took the image and marked it processing ({seconds:.1f} s after upload)")
    return row


def check_rendered_once(image: Image, check, *, attempts: int) -> None:
    image.refresh_from_db()
    keys = list(Rendition.objects.filter(image=image).values_list("kind", "size", "format"))
    files = rendition_files(image)
    check(image.status == Status.READY and image.error == "", f"image ready (status={image.status})")
    check(len(keys) == len(set(keys)) == EXPECTED_RENDITIONS,
          f"{len(keys)} rendition rows, {len(set(keys))} distinct, {EXPECTED_RENDITIONS} expected: no duplicates")
    check(len(files) == EXPECTED_RENDITIONS, f"{len(files)} rendition files on disk: one per row")
    check(image.attempts == attempts, f"rendered in {image.attempts} attempts ({attempts} expected)")


def test_a_killed_pool_process_s_rendition_is_finished_by_the_worker_without_duplicates(
    stack, people, check
):
    worker = stack.worker(concurrency=1)
    (pool_process,) = worker.children()
    image = upload_and_wait_until_processing(people.editor, check)

    os.kill(pool_process, signal.SIGKILL)
    killed_at = time.monotonic()
    check(Rendition.objects.filter(image=image).count() < EXPECTED_RENDITIONS,
          f"pool process {pool_process} SIGKILLed mid-rendition "
          f"({Rendition.objects.filter(image=image).count()} of {EXPECTED_RENDITIONS} renditions written)")

    done, _ = wait_until(lambda: Image.objects.filter(pk=image.pk, status=Status.READY).exists(), timeout=90)
    recovered = time.monotonic() - killed_at
    check(done, f"the worker's new pool process finished it {recovered:.1f} s after the kill (no sweep needed)")
    check(worker.popen.poll() is None and pool_process not in worker.children(), "the worker lives on with a new pool process")
    check_rendered_once(image, check, attempts=2)


def test_a_crashed_worker_s_rendition_is_requeued_by_the_sweep_and_finished_once_a_worker_runs_again(
    stack, people, check
):
    worker = stack.worker(concurrency=1)
    image = upload_and_wait_until_processing(people.editor, check)
    worker.kill_all()
    killed_at = time.monotonic()
    image.refresh_from_db()
    check(image.status == Status.PROCESSING and Rendition.objects.filter(image=image).count() < EXPECTED_RENDITIONS,
          "the whole worker SIGKILLed mid-rendition: the image is left processing")

    stack.beat()
    stack.worker(concurrency=1)
    restarted = time.monotonic() - killed_at
    done, _ = wait_until(lambda: Image.objects.filter(pk=image.pk, status=Status.READY).exists(), timeout=90)
    recovered = time.monotonic() - killed_at
    grace = fault_settings.PARKPORTAL_MEDIA_REQUEUE_PROCESSING_GRACE.total_seconds()
    check(done, f"ready {recovered:.1f} s after the crash (worker and beat running again after {restarted:.1f} s; "
                f"with these settings the sweep re-queues after {grace:g} s without a sign of life, "
                f"in production after 90 s + a sweep every minute)")
    check_rendered_once(image, check, attempts=2)
