"""Finding terms in text as readers see it: HTML stripped, full-width folded."""

from apps.inspection.matching import Entry, Matcher, fold
from apps.inspection.texts import visible_text
from apps.inspection.wording import scan


def entry(term, suggestion="", severity="block"):
    return Entry(1, term, "serious", severity, suggestion)


def test_fold_maps_full_width_ascii_one_to_one():
    assert fold("ＡＢＣ１２３，　ｘ") == "abc123, x"
    assert len(fold("ＡＢＣ")) == 3


def test_a_term_is_found_across_inline_html_tags():
    text = visible_text("<p>乌鲁<strong>木齐</strong>高新区</p>")
    hits = Matcher([entry("乌鲁木齐")]).find(text)
    assert [(text[h.start:h.end]) for h in hits] == ["乌鲁木齐"]


def test_a_term_never_spans_two_paragraphs():
    text = visible_text("<p>乌鲁</p><p>木齐</p>")
    assert Matcher([entry("乌鲁木齐")]).find(text) == []


def test_full_width_letters_and_digits_match_a_half_width_term():
    hits = Matcher([entry("ABC123")]).find("公司ＡＢＣ１２３项目")
    assert len(hits) == 1 and hits[0].start == 2 and hits[0].end == 8


def test_entities_are_decoded_before_matching():
    text = visible_text("<p>高新&#21306;</p>")
    assert Matcher([entry("高新区")]).find(text)


def test_alt_texts_inside_rich_text_are_texts_of_their_own():
    from apps.inspection.texts import content_of_snapshot
    from apps.pages.models import Page

    content = content_of_snapshot(Page, {"fields": {"body": '<p>文<img src="/a.png" alt="插图错误提法">字</p>'}})
    assert ("正文中的图片替代文本", "插图错误提法") in [(t.label, t.text) for t in content.texts]
    assert "错误提法" not in [t.text for t in content.texts if t.label == "正文"][0]


def test_a_term_inside_its_own_correct_form_is_not_a_hit():
    matcher = Matcher([entry("新市区", suggestion="乌鲁木齐市新市区")])
    assert matcher.find("乌鲁木齐市新市区管委会") == []
    assert len(matcher.find("位于新市区")) == 1


def test_hits_in_title_body_caption_and_alt_text(releases, assets, wording):
    wording.add("错误提法")
    image = assets.image(alt_text="一张错误提法的图片", caption="图中的错误提法")
    release = releases.draft(
        title="关于错误提法的通知", cover=image,
        body='<p>正文含<em>错误</em>提法。</p>',
        gallery=[(image, "组图说明：错误提法")],
    )
    labels = {f.label for f in scan(release)}
    assert "标题" in labels
    assert "正文" in labels
    assert "图片替代文本" in labels and "图片说明" in labels
    assert any(label.startswith("组图图片 1 图片说明") for label in labels)
    assert any(label.startswith("组图图片 1 图片替代文本") for label in labels)


def test_attachment_titles_are_checked(releases, assets, wording):
    wording.add("错误提法")
    attachment = assets.attachment(title="错误提法附件")
    release = releases.draft(attachments=[attachment])
    assert [f.label for f in scan(release)] == ["附件标题"]


def test_the_live_version_is_read_with_its_reviewed_media_text_not_the_librarys(releases, assets, people, wording):
    from apps.inspection.texts import content_of_snapshot
    from apps.media import actions as media
    from apps.news.models import PressRelease
    from tests.editorial.conftest import refresh

    wording.add("错误提法")
    image = assets.image(alt_text="审核过的替代文本", caption="审核过的说明", credit="审核过的来源")
    release = releases.published(cover=image)
    media.update_image(refresh(image), by=people.editor2, fields={"alt_text": "错误提法", "credit": "改过的来源"})

    live = refresh(release).live_revision.snapshot
    texts = [(t.label, t.text) for t in content_of_snapshot(PressRelease, live).texts]
    assert ("图片替代文本", "审核过的替代文本") in texts and ("图片说明", "审核过的说明") in texts
    assert ("图片摄影 / 来源", "审核过的来源") in texts  # every reviewed field, the credit too
    assert not [t for t in texts if "错误提法" in t[1] or "改过的" in t[1]]


def test_pinyin_annotations_are_read_as_the_public_reads_them():
    from apps.inspection.texts import Text

    text = Text("正文", "高新区(qū)管委会").text
    assert text == "高新区管委会"
    assert Matcher([entry("高新区管委会")]).find(text)
