"""Factories per state, built through the real actions (media and editorial)."""

import pytest

from apps.editorial import actions as editorial
from apps.media import actions as media
from apps.news.models import PressRelease
from tests.editorial.conftest import people  # noqa: F401  (fixture)
from tests.media.conftest import media_queues, media_storage  # noqa: F401  (fixtures)
from tests.media import samples


def refresh(item):
    return type(item)._base_manager.get(pk=item.pk)


@pytest.fixture
def assets(people, media_storage):  # noqa: F811
    class Assets:
        seed = 100

        @classmethod
        def image(cls, *, ready=True, alt_text="园区新材料生产车间", caption="五层共挤生产线", size=(800, 500), **kw):
            cls.seed += 1
            image = media.upload_image(samples.photo(size=size, seed=cls.seed), by=people.editor,
                                       alt_text=alt_text, caption=caption, title=f"图片{cls.seed}", **kw)
            if ready:
                media.process_image(image.pk)
            return refresh(image)

        @classmethod
        def video(cls, tmp_path, *, ready=True):
            video = media.upload_video(samples.upload(samples.video_bytes(tmp_path=tmp_path), "clip.mp4"),
                                       by=people.editor, title="生产线视频",
                                       captions=samples.upload(samples.VTT, "clip.vtt"))
            if ready:
                media.process_video(video.pk)
            return refresh(video)

        @classmethod
        def attachment(cls, title="申报指南"):
            return media.upload_attachment(samples.upload(samples.pdf_bytes(), "guide.pdf"), by=people.editor,
                                           title=title)

    return Assets


@pytest.fixture
def releases(people):  # noqa: F811
    class Releases:
        counter = 0

        @classmethod
        def draft(cls, *, by=None, cover=None, gallery=(), videos=(), attachments=(), clusters=(), **fields):
            cls.counter += 1
            values = {
                "title": f"园区新闻 {cls.counter}",
                "summary": "乌鲁木齐高新区（新市区）的一条园区新闻。",
                "body": "<p>园区以现代服务业为支柱，培育三大主导产业。</p>",
                "responsible_editor": "王编辑",
                "source": "高新区管委会",
                "cover_image": cover,
            }
            values.update(fields)
            return editorial.create_draft(
                PressRelease, by=by or people.editor, fields=values,
                m2m={"videos": [v.pk for v in videos], "attachments": [a.pk for a in attachments],
                     "clusters": [c.pk for c in clusters]},
                children={"gallery_items": [
                    {"position": i, "image": image, "caption": caption} for i, (image, caption) in enumerate(gallery)
                ]},
            )

        @classmethod
        def published(cls, **kw):
            release = cls.draft(**kw)
            editorial.submit(release, by=people.editor)
            editorial.approve(release, by=people.reviewer)
            editorial.approve(release, by=people.publisher, publish=False)
            editorial.publish(release, by=people.publisher2)
            return refresh(release)

    return Releases
