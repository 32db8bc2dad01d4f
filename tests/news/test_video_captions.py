"""Issue 15, WCAG 2.1 1.2.2 (level A): a video with sound needs captions (WebVTT) or a
transcript before the item that shows it can go to review; the player offers both."""

import pytest

from apps.core.errors import InvalidTransition
from apps.editorial import actions as editorial
from apps.media import actions as media
from tests.media import samples

from .conftest import refresh

pytestmark = pytest.mark.django_db


def upload(people, tmp_path, *, audio=True, captions=None, title="园区宣传片"):
    video = media.upload_video(samples.upload(samples.video_bytes(tmp_path=tmp_path, audio=audio), "clip.mp4"),
                               by=people.editor, title=title, captions=captions)
    media.process_video(video.pk)
    return refresh(video)


def test_a_video_with_sound_and_no_captions_or_transcript_cannot_be_submitted(releases, people, tmp_path):
    video = upload(people, tmp_path)
    assert video.has_audio
    release = releases.draft(videos=[video])
    with pytest.raises(InvalidTransition, match="视频“园区宣传片”有声音，但没有字幕文件（WebVTT）或文字稿"):
        editorial.submit(release, by=people.editor)
    assert refresh(release).status == "draft"


def test_urgent_publish_refuses_it_too(releases, people, tmp_path):
    release = releases.draft(videos=[upload(people, tmp_path)])
    with pytest.raises(InvalidTransition, match="没有字幕文件"):
        editorial.urgent_publish(release, by=people.publisher, reason="突发")


def test_a_transcript_is_enough_and_is_shown_under_the_player(client, releases, people, tmp_path):
    video = upload(people, tmp_path)
    media.update_video(video, by=people.editor, fields={"transcript": "解说：乌鲁木齐高新区是新疆第一个国家级高新区。"})
    release = releases.published(videos=[refresh(video)])
    html = client.get(release.get_absolute_url()).content.decode()
    assert '<details class="transcript"><summary>视频文字稿</summary>' in html
    assert "解说：乌鲁木齐高新区是新疆第一个国家级高新区。" in html


def test_a_captions_file_is_enough_and_the_player_shows_the_track(client, releases, people, tmp_path):
    video = upload(people, tmp_path, captions=samples.upload(samples.VTT, "clip.vtt"))
    release = releases.published(videos=[video])
    html = client.get(release.get_absolute_url()).content.decode()
    assert '<track kind="captions"' in html and 'srclang="zh-Hans"' in html


def test_a_silent_video_needs_neither(releases, people, tmp_path):
    video = upload(people, tmp_path, audio=False)
    assert not video.has_audio
    release = releases.draft(videos=[video])
    editorial.submit(release, by=people.editor)
    assert refresh(release).status == "in_review"
