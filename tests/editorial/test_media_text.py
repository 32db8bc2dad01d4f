"""Issue 15: the text of media a published item shows (alt text, captions, titles) comes
from the item's reviewed revision, never straight from the shared media row. Editing an
image, video or attachment in 媒体资源 changes no live page until a new version of the
item is reviewed and published."""

import pytest

from apps.editorial import actions as editorial
from apps.editorial.diff import compare
from apps.editorial.models import Revision, Status
from apps.media import actions as media
from apps.pages.models import Page
from tests.enterprises.conftest import kinds, enterprises, platforms  # noqa: F401  (fixtures)
from tests.news.conftest import assets, releases  # noqa: F401  (fixtures)
from tests.media.conftest import media_queues, media_storage  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def refresh(item):
    return type(item)._base_manager.get(pk=item.pk)


def relabel(image, people, **fields):
    """What an editor does in 媒体资源."""
    return media.update_image(refresh(image), by=people.editor2, fields=fields)


def republish(item, people):
    # The editor saves the item again: the new version takes the library's text.
    assert editorial.save_draft(item, by=people.editor2) is not None
    editorial.submit(item, by=people.editor2)
    editorial.approve(item, by=people.reviewer)
    editorial.approve(item, by=people.publisher, major=False)  # 签发 publishes
    return refresh(item)


def test_editing_a_cover_image_in_the_library_does_not_change_the_live_release(client, releases, assets, people):
    cover = assets.image(alt_text="五层共挤薄膜生产线", caption="园区新材料企业的生产车间")
    release = releases.published(cover=cover)
    relabel(cover, people, alt_text="未经审核的替代文本", caption="未经审核的说明")

    detail = client.get(release.get_absolute_url()).content.decode()
    assert 'alt="五层共挤薄膜生产线"' in detail and "园区新材料企业的生产车间" in detail
    assert "未经审核" not in detail
    listing = client.get("/news/").content.decode()
    assert 'alt="五层共挤薄膜生产线"' in listing and "未经审核" not in listing


def test_new_media_text_goes_live_with_the_next_reviewed_version(client, releases, assets, people):
    cover = assets.image(alt_text="旧的替代文本")
    release = releases.published(cover=cover)
    relabel(cover, people, alt_text="新的替代文本")

    # Saving the release again takes the library's text into a new version.
    assert editorial.save_draft(release, by=people.editor2) is not None
    editorial.submit(release, by=people.editor2)
    release = refresh(release)
    assert release.latest_revision.snapshot["fields"]["media_text"]["media.image"][str(cover.pk)]["alt_text"] == "新的替代文本"
    assert 'alt="旧的替代文本"' in client.get(release.get_absolute_url()).content.decode()  # still in review
    # The reviewers see the change in the version diff.
    previous = Revision.objects.get(object_id=str(release.pk), number=release.latest_revision.number - 1)
    changed = [d for d in compare(type(release), previous.snapshot, release.latest_revision.snapshot) if d.changed]
    assert [d.name for d in changed] == ["media_text"] and "替代文本：<del>旧</del><ins>新</ins>" in changed[0].html

    editorial.approve(release, by=people.reviewer)
    editorial.approve(release, by=people.publisher, major=False)  # 签发 publishes
    html = client.get(release.get_absolute_url()).content.decode()
    assert 'alt="新的替代文本"' in html and "旧的替代文本" not in html


def test_an_edit_during_review_is_not_what_gets_published(client, releases, assets, people):
    cover = assets.image(alt_text="审核过的替代文本")
    release = releases.draft(cover=cover)
    editorial.submit(release, by=people.editor)
    editorial.approve(release, by=people.reviewer)
    relabel(cover, people, alt_text="审核期间改的文本")
    editorial.approve(release, by=people.publisher)  # 签发 publishes the reviewed version
    html = client.get(refresh(release).get_absolute_url()).content.decode()
    assert 'alt="审核过的替代文本"' in html and "审核期间改的文本" not in html


def test_gallery_videos_and_attachments_show_the_reviewed_text(client, releases, assets, people, tmp_path):
    picture = assets.image(alt_text="研发中心外景", caption="研发中心")
    video = assets.video(tmp_path)
    media.update_video(refresh(video), by=people.editor, fields={"title": "生产线视频", "description": "五层共挤生产线运行"})
    attachment = assets.attachment(title="申报指南（审核版）")
    release = releases.published(gallery=[(picture, "")], videos=[video], attachments=[attachment])

    relabel(picture, people, alt_text="改过的外景", caption="改过的说明")
    media.update_video(refresh(video), by=people.editor2, fields={"description": "改过的视频说明"})
    media.update_attachment(refresh(attachment), by=people.editor2, title="改过的附件标题")

    html = client.get(release.get_absolute_url()).content.decode()
    assert 'alt="研发中心外景"' in html and "<figcaption>研发中心" in html
    assert "五层共挤生产线运行" in html and "申报指南（审核版）" in html
    assert "改过的" not in html
    from django.urls import reverse

    response = client.get(reverse("news:attachment", args=[release.pk, attachment.pk]))
    assert "申报指南（审核版）" in response["Content-Disposition"] or "%E7%94%B3%E6%8A%A5" in response["Content-Disposition"]


def test_enterprise_logo_and_photos_show_the_reviewed_text(client, enterprises, assets, people):
    logo = assets.image(alt_text="天山新材料标志", caption="")
    photo = assets.image(alt_text="生产车间", caption="自带说明")
    item = enterprises.published(logo=logo, photos=[{"image": photo, "caption": ""}])
    relabel(logo, people, alt_text="未审核的标志")
    relabel(photo, people, alt_text="未审核的车间", caption="未审核的说明")

    html = client.get(item.get_absolute_url()).content.decode()
    assert 'alt="天山新材料标志"' in html and 'alt="生产车间"' in html and "<figcaption>自带说明</figcaption>" in html
    assert "未审核" not in html
    directory = client.get("/enterprises/").content.decode()
    assert 'alt="天山新材料标志"' in directory and "未审核" not in directory

    item = republish(item, people)
    html = client.get(item.get_absolute_url()).content.decode()
    assert 'alt="未审核的标志"' in html and "<figcaption>未审核的说明</figcaption>" in html


def test_platform_photos_show_the_reviewed_text(client, platforms, assets, people):
    photo = assets.image(alt_text="孵化器大厅", caption="众创空间")
    item = platforms.published(photos=[{"image": photo, "caption": ""}])
    relabel(photo, people, alt_text="未审核的大厅", caption="未审核的空间")
    html = client.get(item.get_absolute_url()).content.decode()
    assert 'alt="孵化器大厅"' in html and "<figcaption>众创空间</figcaption>" in html and "未审核" not in html


def test_a_preview_shows_the_text_of_the_version_it_previews(client, releases, assets, people):
    from apps.editorial.public import render_revision
    from django.test import RequestFactory

    cover = assets.image(alt_text="版本里的替代文本")
    release = releases.draft(cover=cover)
    revision = refresh(release).latest_revision
    relabel(cover, people, alt_text="媒体库里更新的文本")
    request = RequestFactory().get("/")
    request.user = people.reviewer
    html = render_revision(request, refresh(release), revision).content.decode()
    assert 'alt="版本里的替代文本"' in html


def test_pages_have_no_media_and_keep_an_empty_media_text(people):
    # Column pages refer to no image, video or attachment (their rich text allows none):
    # the mechanism leaves them alone, and their versions say so.
    page = editorial.create_draft(Page, by=people.editor, fields={"title": "园区概况", "slug": "overview-media", "body": "<p>概况</p>"})
    assert refresh(page).latest_revision.snapshot["fields"]["media_text"] == {}
    assert not any(getattr(f.related_model, "REVIEWED_TEXT_FIELDS", None) for f in Page._meta.get_fields() if f.is_relation)


def test_submission_takes_text_edited_in_the_library_after_the_draft_was_saved(releases, assets, people):
    cover = assets.image(alt_text="")
    release = releases.draft(cover=cover)
    relabel(cover, people, alt_text="补上的替代文本")
    editorial.submit(release, by=people.editor)
    release = refresh(release)
    assert release.latest_revision.snapshot["fields"]["media_text"]["media.image"][str(cover.pk)]["alt_text"] == "补上的替代文本"
    assert release.latest_revision.created_by == people.editor


def test_submission_refreshes_text_only_when_it_changed(releases, assets, people):
    cover = assets.image(alt_text="不变的替代文本")
    release = releases.draft(cover=cover)
    before = refresh(release).latest_revision_id
    editorial.submit(release, by=people.editor)
    assert refresh(release).latest_revision_id == before
    assert refresh(release).status == Status.IN_REVIEW


# --- Talent programmes and service stations use media too ---------------------------------

from tests.stations.conftest import stations  # noqa: E402,F401  (fixture)
from tests.talent.conftest import programmes  # noqa: E402,F401  (fixture)


def test_a_talent_programme_shows_its_reviewed_cover_and_template_titles(client, programmes, assets, people):
    cover = assets.image(alt_text="天山火炬之星颁奖现场")
    template = assets.attachment(title="申报书模板（审核版）")
    item = programmes.published(cover_image=cover, materials=[{"position": 0, "name": "申报书", "template": template}])
    relabel(cover, people, alt_text="未审核的封面")
    media.update_attachment(refresh(template), by=people.editor2, title="未审核的模板")
    html = client.get(item.get_absolute_url()).content.decode()
    assert 'alt="天山火炬之星颁奖现场"' in html and "申报书模板（审核版）" in html
    assert "未审核" not in html


def test_a_service_station_shows_its_reviewed_photo_text(client, stations, assets, people):
    photo = assets.image(alt_text="服务站接待大厅", caption="移动金融服务站")
    station = stations.draft()
    editorial.save_draft(station, by=people.editor, children={"photos": [{"position": 0, "image": photo, "caption": ""}]})
    editorial.submit(station, by=people.editor)
    editorial.approve(station, by=people.reviewer)
    editorial.approve(station, by=people.publisher)  # 签发 publishes
    relabel(photo, people, alt_text="未审核的大厅", caption="未审核的说明")
    html = client.get(refresh(station).get_absolute_url()).content.decode()
    assert 'alt="服务站接待大厅"' in html and "移动金融服务站" in html and "未审核" not in html


from tests.policies.conftest import documents, interpretations  # noqa: E402,F401  (fixtures)


def test_a_policy_document_and_its_graphic_interpretation_show_their_reviewed_text(client, documents, interpretations,
                                                                                 assets, people):
    original = assets.attachment(title="政策原文（审核版）")
    chart = assets.image(alt_text="政策要点图解", caption="三项支持措施")
    doc = documents.published(attachments=[original])
    from apps.policies.models import PolicyInterpretation

    draft = editorial.create_draft(PolicyInterpretation, by=people.editor, fields={
        "title": "一图读懂", "document": doc, "kind": "graphic", "interpreter": "经发局"},
        children={"images": [{"image": chart, "position": 0}]})
    editorial.submit(draft, by=people.editor)
    editorial.approve(draft, by=people.reviewer)
    editorial.approve(draft, by=people.publisher)  # 签发 publishes
    graphic = refresh(draft)

    media.update_attachment(refresh(original), by=people.editor2, title="改过的原文标题")
    relabel(chart, people, alt_text="改过的图解", caption="改过的说明")

    html = client.get(doc.get_absolute_url()).content.decode()
    assert "政策原文（审核版）" in html and "改过的" not in html
    html = client.get(graphic.get_absolute_url()).content.decode()
    assert 'alt="政策要点图解"' in html and "改过的" not in html
