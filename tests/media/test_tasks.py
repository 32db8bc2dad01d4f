"""The processing tasks: queued after commit on their own queues, idempotent,
safe to re-run after a worker was killed half-way, failures recorded on the row,
and a sweep that re-queues what the broker lost."""

import json
import time
from datetime import timedelta
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image as PILImage

from apps.media import actions, tasks
from apps.media.models import Image, Rendition, Status, Video
from tests.conftest import run_django
from tests.media import samples
from tests.media.conftest import files_under

pytestmark = pytest.mark.django_db

NOTHING_LISTENS = "127.0.0.1:9"


@pytest.fixture
def editor(make_user):
    return make_user("editor", roles=["editor"])


def upload_and_queue(editor, django_capture_on_commit_callbacks, **kw):
    with django_capture_on_commit_callbacks(execute=True):
        return actions.upload_image(samples.photo(**kw), by=editor, alt_text="园区")


def rendition_state(image):
    return sorted(Rendition.objects.filter(image=image).values_list("kind", "size", "format", "file"))


def assert_no_metadata(data: bytes):
    with PILImage.open(BytesIO(data)) as im:
        assert not im.getexif(), "EXIF left in a public file"
        assert "exif" not in im.info and "xmp" not in im.info and "icc_profile" not in im.info
        assert b"GPS" not in data and b"TestCam" not in data


def test_the_render_task_is_routed_to_the_media_queue_and_makes_every_rendition(
    editor, media_storage, media_queues, django_capture_on_commit_callbacks
):
    image = upload_and_queue(editor, django_capture_on_commit_callbacks)
    assert media_queues["media"].run() == ["ready"]
    image.refresh_from_db()
    assert image.status == Status.READY and image.attempts == 1 and image.error == ""
    # 1600 px wide: 320, 640 and 1280 (never upscaled to 1920), plus the 400 crop; 3 formats each.
    specs = {(k, s) for k, s, _f, _n in rendition_state(image)}
    assert specs == {("width", 320), ("width", 640), ("width", 1280), ("crop", 400)}
    assert Rendition.objects.filter(image=image).count() == 12
    public = media_storage[0]
    for rendition in Rendition.objects.filter(image=image):
        assert rendition.file.name.startswith(f"renditions/{image.content_hash[:2]}/")
        data = (public / rendition.file.name).read_bytes()
        assert len(data) == rendition.size_bytes
        if rendition.format in ("jpeg", "webp"):
            assert_no_metadata(data)
        assert b"GPS" not in data


def test_running_the_render_task_twice_is_harmless(editor, media_storage, django_capture_on_commit_callbacks):
    image = upload_and_queue(editor, django_capture_on_commit_callbacks)
    assert tasks.render_image.apply(args=[image.pk]).get() == "ready"
    before, files = rendition_state(image), files_under(media_storage[0])
    assert tasks.render_image.apply(args=[image.pk]).get() == "skipped"
    image.refresh_from_db()
    assert image.status == Status.READY and image.attempts == 1
    assert rendition_state(image) == before and files_under(media_storage[0]) == files


def test_a_task_killed_half_way_is_finished_by_the_next_run_without_duplicates(
    editor, media_storage, django_capture_on_commit_callbacks
):
    image = upload_and_queue(editor, django_capture_on_commit_callbacks)
    actions.process_image(image.pk)
    complete, files = rendition_state(image), files_under(media_storage[0])
    # The state a killed worker leaves: processing, some renditions, one file written
    # whose row never was, and the rest missing altogether.
    doomed = list(Rendition.objects.filter(image=image, format="avif"))
    orphan = doomed[0]
    for rendition in doomed[1:]:
        rendition.file.delete(save=False)
    Rendition.objects.filter(pk__in=[r.pk for r in doomed]).delete()
    Image.objects.filter(pk=image.pk).update(status=Status.PROCESSING, started_at=timezone.now())
    assert (media_storage[0] / orphan.file.name).exists()

    assert tasks.render_image.apply(args=[image.pk]).get() == "ready"
    image.refresh_from_db()
    assert image.status == Status.READY and image.attempts == 2
    assert rendition_state(image) == complete  # the same names: content-hashed, orphan reused
    assert files_under(media_storage[0]) == files


def test_a_missing_original_fails_at_once_with_the_reason_and_reprocess_queues_it_again(
    editor, media_storage, django_capture_on_commit_callbacks
):
    image = upload_and_queue(editor, django_capture_on_commit_callbacks)
    image.original.storage.delete(image.original.name)
    assert tasks.render_image.apply(args=[image.pk]).get() == "failed"
    image.refresh_from_db()
    assert image.status == Status.FAILED and "原图文件不存在" in image.error
    assert tasks.render_image.apply(args=[image.pk]).get() == "skipped"  # a stray message does nothing
    with django_capture_on_commit_callbacks() as callbacks:
        actions.reprocess(image, by=editor)
    image.refresh_from_db()
    assert image.status == Status.PENDING and image.error == "" and len(callbacks) == 1


def test_a_transient_error_is_retried_with_backoff_and_the_final_failure_is_recorded(
    editor, media_storage, settings, django_capture_on_commit_callbacks
):
    image = upload_and_queue(editor, django_capture_on_commit_callbacks)
    # Public storage that cannot be written: a file where the folder should be.
    blocker = media_storage[0].parent / "not-a-folder"
    blocker.write_text("x")
    settings.MEDIA_ROOT = str(blocker)
    result = tasks.render_image.apply(args=[image.pk])
    image.refresh_from_db()
    assert image.status == Status.FAILED
    assert "重试 3 次后仍失败" in image.error
    assert image.attempts == 1 + settings.PARKPORTAL_MEDIA_MAX_RETRIES
    assert result.get() == "failed"


def test_the_tasks_are_late_acknowledged_time_limited_and_retried(settings):
    for task in (tasks.render_image, tasks.transcode_video):
        assert task.acks_late is True
        assert task.soft_time_limit and task.time_limit > task.soft_time_limit
        assert task.max_retries == settings.PARKPORTAL_MEDIA_MAX_RETRIES
    assert settings.CELERY_TASK_ROUTES["media.render_image"] == {"queue": "media"}
    assert settings.CELERY_TASK_ROUTES["media.transcode_video"] == {"queue": "video"}
    assert "media.sweep_stale" in {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}


# --- the sweep --------------------------------------------------------------------------------

def test_the_sweep_requeues_an_image_left_pending_and_leaves_recent_ones_alone(
    editor, media_storage, media_queues, settings
):
    image = actions.upload_image(samples.photo(), by=editor)  # never queued: no on-commit here
    assert actions.sweep_stale() == {"requeued": 0, "failed": 0}  # just queued: not stale yet
    later = timezone.now() + settings.PARKPORTAL_MEDIA_REQUEUE_PENDING_AFTER + timedelta(seconds=1)
    assert actions.sweep_stale(now=later) == {"requeued": 1, "failed": 0}


def test_the_sweep_requeues_work_a_killed_worker_left_processing(
    editor, media_storage, settings, django_capture_on_commit_callbacks, media_queues
):
    image = actions.upload_image(samples.photo(), by=editor)
    long_ago = timezone.now() - timedelta(seconds=settings.PARKPORTAL_MEDIA_IMAGE_TIME_LIMIT) - timedelta(hours=1)
    Image.objects.filter(pk=image.pk).update(status=Status.PROCESSING, started_at=long_ago, attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.sweep_stale()["requeued"] == 1
    assert media_queues["media"].run() == ["ready"]
    image.refresh_from_db()
    assert image.status == Status.READY and image.attempts == 2


def test_a_killed_worker_s_image_is_back_in_the_queue_within_a_few_minutes(
    editor, media_storage, settings, django_capture_on_commit_callbacks
):
    (entry,) = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "media.sweep_stale"]
    assert entry["schedule"] == settings.PARKPORTAL_MEDIA_SWEEP_INTERVAL
    heartbeat = settings.PARKPORTAL_MEDIA_PROCESSING_HEARTBEAT
    grace = settings.PARKPORTAL_MEDIA_REQUEUE_PROCESSING_GRACE
    assert grace >= 3 * heartbeat  # a live run is never taken for a dead one
    assert grace + settings.PARKPORTAL_MEDIA_SWEEP_INTERVAL <= timedelta(minutes=3)
    image = actions.upload_image(samples.photo(), by=editor)
    now = timezone.now()
    # Started long ago (a long run) but its run touched the row a heartbeat ago: alive.
    Image.objects.filter(pk=image.pk).update(
        status=Status.PROCESSING, started_at=now - timedelta(hours=1), alive_at=now - heartbeat, attempts=1
    )
    assert actions.sweep_stale(now=now)["requeued"] == 0
    assert actions.sweep_stale(now=now - heartbeat + grace)["requeued"] == 0  # may still be running
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.sweep_stale(now=now - heartbeat + grace + timedelta(seconds=1))["requeued"] == 1


def test_a_video_whose_worker_died_is_requeued_long_before_its_25_minute_time_limit(
    editor, media_storage, settings
):
    video = Video.objects.create(
        content_hash="f" * 64, original="originals/videos/ff/x.mp4", status=Status.PROCESSING,
        created_by=editor, updated_by=editor, attempts=1,
    )
    now = timezone.now()
    Video.objects.filter(pk=video.pk).update(started_at=now - timedelta(minutes=3), alive_at=now - timedelta(minutes=2))
    assert actions.sweep_stale(now=now) == {"requeued": 1, "failed": 0}


@pytest.mark.django_db(transaction=True)  # the touching thread has its own connection
def test_a_running_render_keeps_its_row_alive(editor, media_storage, settings):
    settings.PARKPORTAL_MEDIA_PROCESSING_HEARTBEAT = timedelta(seconds=0.05)
    image = actions.upload_image(samples.photo(), by=editor)
    Image.objects.filter(pk=image.pk).update(status=Status.PROCESSING, alive_at=None)
    from apps.media.processing import kept_alive

    with kept_alive(Image, image.pk):
        deadline = time.monotonic() + 10
        while Image.objects.get(pk=image.pk).alive_at is None and time.monotonic() < deadline:
            time.sleep(0.05)
    assert Image.objects.get(pk=image.pk).alive_at is not None


def test_the_video_task_ends_before_rabbitmq_s_consumer_timeout_closes_its_channel():
    assert tasks.transcode_video.time_limit < 30 * 60


def test_the_sweep_fails_an_item_that_keeps_getting_killed(editor, media_storage, settings):
    image = actions.upload_image(samples.photo(), by=editor)
    long_ago = timezone.now() - timedelta(days=1)
    Image.objects.filter(pk=image.pk).update(
        status=Status.PROCESSING, started_at=long_ago, attempts=settings.PARKPORTAL_MEDIA_MAX_ATTEMPTS
    )
    assert actions.sweep_stale() == {"requeued": 0, "failed": 1}
    image.refresh_from_db()
    assert image.status == Status.FAILED and "仍未完成" in image.error


UPLOAD_WITH_BROKER_DOWN = r"""
import json, time
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth.models import Group
from django.test import Client
from apps.accounts.models import User
from apps.media.models import Image, Rendition
from tests.media import samples
user = User.objects.create_user("editor", password="irrelevant-password-123", is_staff=True)
user.groups.set(Group.objects.filter(name="编辑"))
client = Client()
client.force_login(user)
started = time.monotonic()
response = client.post("/admin/media/image/add/", {"upload": samples.photo(), "alt_text": "园区", "title": "t"})
elapsed = time.monotonic() - started
image = Image.objects.first()
from apps.core.models import OutboxMessage
print(json.dumps({"status_code": response.status_code, "elapsed": elapsed,
                  "image": image and image.status, "renditions": Rendition.objects.count(),
                  "outbox": list(OutboxMessage.objects.pending().values_list("task_name", "args"))}))
"""


def test_an_upload_while_the_broker_is_unreachable_still_commits_as_pending(tmp_path):
    result = run_django(UPLOAD_WITH_BROKER_DOWN, env={
        "PARKPORTAL_VAR_DIR": str(tmp_path), "DATABASE_URL": None, "REDIS_URL": None,
        "CELERY_BROKER_URL": f"redis://{NOTHING_LISTENS}/0",
    })
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["status_code"] == 302  # saved, redirected to the list
    assert out["image"] == "pending" and out["renditions"] == 0
    assert out["elapsed"] < 15
    assert out["outbox"] == [["media.render_image", [1]]]  # beat's core.deliver_outbox sends it later
    assert "outbox: broker refused media.render_image" in result.stderr


def test_after_the_broker_comes_back_the_sweep_queues_the_pending_upload_and_the_worker_finishes_it(
    editor, media_storage, media_queues, settings, django_capture_on_commit_callbacks
):
    # What the failed send leaves: a pending row, nothing on the broker.
    image = actions.upload_image(samples.photo(), by=editor)
    assert media_queues["media"].drain() == []
    later = timezone.now() + settings.PARKPORTAL_MEDIA_REQUEUE_PENDING_AFTER + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.sweep_stale(now=later)["requeued"] == 1
    assert media_queues["media"].run() == ["ready"]
    image.refresh_from_db()
    assert image.status == Status.READY and image.renditions.count() == 12


# --- the reprocess command ---------------------------------------------------------------------

def test_reprocess_media_queues_the_failed_ones_or_the_ids_given(
    editor, media_storage, django_capture_on_commit_callbacks
):
    ok = actions.upload_image(samples.photo(seed=1), by=editor)
    bad = actions.upload_image(samples.photo(seed=2), by=editor)
    actions.process_image(ok.pk)
    actions.record_failure(Image, bad.pk, "测试失败")
    out = StringIO()
    call_command("reprocess_media", "--failed", "--by", "editor", stdout=out)
    assert "queued 1" in out.getvalue()
    assert Image.objects.get(pk=bad.pk).status == Status.PENDING
    assert Image.objects.get(pk=ok.pk).status == Status.READY
    call_command("reprocess_media", "--ids", "--images", str(ok.pk), "--rebuild", "--by", "editor", stdout=out)
    ok.refresh_from_db()
    assert ok.status == Status.PENDING and not ok.renditions.exists()


# --- videos -------------------------------------------------------------------------------------

ffprobe = samples.probe


def test_the_transcode_task_makes_a_faststart_h264_aac_mp4_of_at_most_1080p_and_a_poster(
    editor, media_storage, media_queues, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        video = actions.upload_video(
            samples.upload(samples.video_bytes(size="2560x1440", tmp_path=tmp_path), "clip.mp4"), by=editor
        )
    assert media_queues["video"].run() == ["ready"]
    video.refresh_from_db()
    assert video.status == Status.READY and video.attempts == 1
    web = media_storage[0] / video.web_file.name
    info = ffprobe(web)
    codecs = {s["codec_type"]: s for s in info["streams"]}
    assert codecs["video"]["codec_name"] == "h264" and codecs["audio"]["codec_name"] == "aac"
    assert (codecs["video"]["width"], codecs["video"]["height"]) == (1920, 1080)
    assert (video.web_width, video.web_height) == (1920, 1080)
    original = ffprobe(video.original.path)
    assert "+43.8256" in json.dumps(original)  # the upload carries a location tag ...
    assert "+43.8256" not in json.dumps(info) and b"43.8256" not in web.read_bytes()  # ... the public file none
    data = web.read_bytes()
    assert data.find(b"moov") < data.find(b"mdat")  # +faststart
    poster = media_storage[0] / video.poster.name
    with PILImage.open(poster) as im:
        assert im.format == "JPEG" and im.size == (1920, 1080)
    # Twice is harmless.
    files = files_under(media_storage[0])
    assert tasks.transcode_video.apply(args=[video.pk]).get() == "skipped"
    assert files_under(media_storage[0]) == files


def test_a_video_task_killed_after_the_transcode_only_makes_the_poster_on_the_next_run(
    editor, media_storage, tmp_path
):
    video = actions.upload_video(samples.upload(samples.video_bytes(tmp_path=tmp_path), "clip.mp4"), by=editor)
    actions.process_video(video.pk)
    video.refresh_from_db()
    web, poster = video.web_file.name, video.poster.name
    (media_storage[0] / poster).unlink()
    Video.objects.filter(pk=video.pk).update(status=Status.PROCESSING, poster="")
    assert tasks.transcode_video.apply(args=[video.pk]).get() == "ready"
    video.refresh_from_db()
    assert video.web_file.name == web and video.poster.name == poster
    assert (media_storage[0] / poster).exists()


# --- videos: retries, the sweep, reprocess_media ----------------------------------------------------

def upload_clip(editor, tmp_path, seed_seconds=1.0):
    return actions.upload_video(
        samples.upload(samples.video_bytes(seconds=seed_seconds, tmp_path=tmp_path), "clip.mp4"), by=editor
    )


def test_a_video_whose_transcode_keeps_failing_is_retried_then_failed_with_the_reason(
    editor, media_storage, settings, tmp_path
):
    video = upload_clip(editor, tmp_path)
    # The stored original went bad after the upload was validated: ffmpeg fails every time.
    original = media_storage[1] / video.original.name
    original.write_bytes(original.read_bytes()[:4000])
    result = tasks.transcode_video.apply(args=[video.pk])
    video.refresh_from_db()
    assert result.get() == "failed"
    assert video.status == Status.FAILED
    assert f"重试 {settings.PARKPORTAL_MEDIA_MAX_RETRIES} 次后仍失败" in video.error and "ffmpeg" in video.error
    assert video.attempts == 1 + settings.PARKPORTAL_MEDIA_MAX_RETRIES
    assert not video.web_file and not video.poster and files_under(media_storage[0]) == []
    assert tasks.transcode_video.apply(args=[video.pk]).get() == "skipped"  # a stray message does nothing


def test_a_video_that_fails_once_is_ready_after_the_retry(editor, media_storage, tmp_path, monkeypatch):
    from apps.media import video as video_tools

    video = upload_clip(editor, tmp_path)
    real, calls = video_tools.transcode, []

    def flaky(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise video_tools.VideoToolFailed("ffmpeg failed: the disk was briefly full")
        return real(*args, **kwargs)

    monkeypatch.setattr(video_tools, "transcode", flaky)
    assert tasks.transcode_video.apply(args=[video.pk]).get() == "ready"
    video.refresh_from_db()
    assert video.status == Status.READY and video.error == "" and video.attempts == 2 and len(calls) == 2
    assert video.web_file and video.poster


def test_the_sweep_requeues_a_video_left_pending_on_the_video_queue_and_the_worker_finishes_it(
    editor, media_storage, media_queues, settings, tmp_path, django_capture_on_commit_callbacks
):
    video = upload_clip(editor, tmp_path)  # never queued: no on-commit here (the broker was down)
    assert actions.sweep_stale() == {"requeued": 0, "failed": 0}
    later = timezone.now() + settings.PARKPORTAL_MEDIA_REQUEUE_PENDING_AFTER + timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.sweep_stale(now=later) == {"requeued": 1, "failed": 0}
    assert media_queues["media"].drain() == []
    assert media_queues["video"].run() == ["ready"]
    video.refresh_from_db()
    assert video.status == Status.READY and video.attempts == 1 and video.web_file and video.poster


def test_the_sweep_fails_a_video_that_keeps_getting_killed(editor, media_storage, settings, tmp_path):
    video = upload_clip(editor, tmp_path)
    Video.objects.filter(pk=video.pk).update(
        status=Status.PROCESSING, started_at=timezone.now() - timedelta(days=1),
        attempts=settings.PARKPORTAL_MEDIA_MAX_ATTEMPTS,
    )
    assert actions.sweep_stale() == {"requeued": 0, "failed": 1}
    video.refresh_from_db()
    assert video.status == Status.FAILED and "仍未完成" in video.error


def test_reprocess_media_videos_by_id_rebuilds_only_that_video(
    editor, media_storage, tmp_path, django_capture_on_commit_callbacks
):
    first = upload_clip(editor, tmp_path, 1.0)
    second = upload_clip(editor, tmp_path, 1.2)
    for video in (first, second):
        assert actions.process_video(video.pk) == "ready"
    first.refresh_from_db()
    old_files = {first.web_file.name, first.poster.name}
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("reprocess_media", "--ids", "--videos", str(first.pk), "--rebuild", "--by", "editor", stdout=out)
    assert "queued 1" in out.getvalue() and len(callbacks) == 2  # the file deletion, the task
    first.refresh_from_db()
    assert first.status == Status.PENDING and not first.web_file and not first.poster
    assert not any((media_storage[0] / name).exists() for name in old_files)
    assert Video.objects.get(pk=second.pk).status == Status.READY
    assert tasks.transcode_video.apply(args=[first.pk]).get() == "ready"
    first.refresh_from_db()
    assert first.status == Status.READY
    assert (media_storage[0] / first.web_file.name).exists() and (media_storage[0] / first.poster.name).exists()


def test_reprocess_media_all_queues_every_image_and_video(editor, media_storage, tmp_path):
    image = actions.upload_image(samples.photo(), by=editor)
    video = upload_clip(editor, tmp_path)
    actions.process_image(image.pk)
    actions.process_video(video.pk)
    out = StringIO()
    call_command("reprocess_media", "--all", "--by", "editor", stdout=out)
    assert "queued 2" in out.getvalue()
    image.refresh_from_db()
    video.refresh_from_db()
    assert image.status == Status.PENDING and video.status == Status.PENDING
    assert image.renditions.count() == 12 and video.web_file  # without --rebuild the files are kept
