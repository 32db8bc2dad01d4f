"""Pasted text (issue 15): pinyin annotations are cleaned from every text field on
save, Traditional characters in Simplified content are listed with a one-click
conversion, and the admin preview shows what the public page will."""

from django.urls import reverse

from apps.core.models import AuditEntry
from apps.core.scripts import PINYIN_ANNOTATION
from apps.editorial import actions
from apps.media.models import Image
from apps.pages.models import Page
from tests.editorial.conftest import refresh
from tests.editorial.test_admin import CHANGE, client_for, form_data

DIRTY_TITLE = "园区(qū)概况"
DIRTY_SUMMARY = "乌鲁木齐高新区（qū）是新疆第一个国家级高新区"


def test_every_text_field_of_an_admin_form_loses_pinyin_annotations(pages, people):
    page = pages.draft()
    data = form_data(page, title=DIRTY_TITLE, summary=DIRTY_SUMMARY, keywords="园区(yuán qū),高新区",
                     content_source="管委会(guǎn)办公室")
    data.update({"links-TOTAL_FORMS": "1", "links-0-position": "0", "links-0-title": "办事指南(zhǐ nán)",
                 "links-0-url": "https://www.gov.cn/"})
    response = client_for(people.editor).post(reverse(CHANGE, args=[page.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    snapshot = refresh(page).latest_revision.snapshot
    fields = snapshot["fields"]
    assert fields["title"] == "园区概况"
    assert fields["summary"] == "乌鲁木齐高新区是新疆第一个国家级高新区"
    assert fields["keywords"] == "园区,高新区"
    assert fields["content_source"] == "管委会办公室"
    assert snapshot["children"]["links"][0]["title"] == "办事指南"


def test_actions_clean_the_fields_they_are_given(pages, people):
    page = pages.draft(title=DIRTY_TITLE, summary=DIRTY_SUMMARY)
    assert (page.title, page.summary) == ("园区概况", "乌鲁木齐高新区是新疆第一个国家级高新区")
    actions.save_draft(page, by=people.editor, fields={"title": "高(gāo)新(xīn)区"})
    assert refresh(page).latest_revision.snapshot["fields"]["title"] == "高新区"


def test_media_forms_clean_titles_alt_text_and_captions(client, make_user, settings, tmp_path):
    from tests.media import samples

    settings.MEDIA_ROOT = str(tmp_path)
    editor = make_user("media-editor", roles=["editor"])
    client.force_login(editor)
    response = client.post("/admin/media/image/add/", {
        "upload": samples.photo(), "title": "生产线(xiàn)", "alt_text": "五层共挤(jǐ)生产线",
        "caption": "新材料(liào)企业", "credit": "", "copyright": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    image = Image.objects.get()
    assert (image.title, image.alt_text, image.caption) == ("生产线", "五层共挤生产线", "新材料企业")
    response = client.post(f"/admin/media/image/{image.pk}/change/", {
        "title": "生产线", "alt_text": "共挤(jǐ)薄膜", "caption": "", "credit": "", "copyright": "",
    })
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.alt_text == "共挤薄膜"


def test_traditional_characters_are_listed_and_converted_in_one_click(pages, people):
    page = pages.draft(title="園區概況", summary="乌鲁木齐高新區", body="<p>企業發展</p>")
    client = client_for(people.editor)
    html = client.get(reverse(CHANGE, args=[page.pk])).content.decode()
    assert 'id="traditional-characters"' in html
    assert "園、區" in html and "企、業、發" not in html and "業、發" in html
    assert "一键转换为简体" in html
    response = client.post(reverse("admin:pages_page_simplify", args=[page.pk]),
                           {"_editorial_base_revision": page.latest_revision_id})
    assert response.status_code == 302
    fields = refresh(page).latest_revision.snapshot["fields"]
    assert (fields["title"], fields["summary"], fields["body"]) == ("园区概况", "乌鲁木齐高新区", "<p>企业发展</p>")
    assert AuditEntry.objects.filter(action="editorial.save_draft", note__startswith="繁体字转换为简体").exists()
    html = client.get(reverse(CHANGE, args=[page.pk])).content.decode()
    assert 'id="traditional-characters"' not in html


def test_simplified_content_is_not_flagged(pages, people):
    page = pages.draft(title="著名企业着力发展", summary="乾隆年间的干燥气候")
    html = client_for(people.editor).get(reverse(CHANGE, args=[page.pk])).content.decode()
    assert 'id="traditional-characters"' not in html


def test_conversion_is_refused_when_there_is_nothing_to_convert_or_no_right(pages, people):
    page = pages.draft(title="园区概况")
    response = client_for(people.editor).post(reverse("admin:pages_page_simplify", args=[page.pk]),
                                              {"_editorial_base_revision": page.latest_revision_id})
    assert response.status_code == 409 and "没有需要转换的繁体字" in response.content.decode()
    page = pages.in_review(title="園區概況")
    response = client_for(people.editor).post(reverse("admin:pages_page_simplify", args=[page.pk]),
                                              {"_editorial_base_revision": page.latest_revision_id})
    assert response.status_code == 409
    assert refresh(page).latest_revision.snapshot["fields"]["title"] == "園區概況"


def test_admin_preview_shows_what_the_public_page_will(pages, people):
    page = pages.published(title="园区概况", body="<p>园区简介</p>")
    # A version written before the cleaning existed (or by a script): annotations inside.
    current = actions.lock_for_update(page)
    snapshot = {**current.latest_revision.snapshot}
    snapshot["fields"] = {**snapshot["fields"], "summary": "新市区(qū)管委会", "body": "<p>园区(qū)简介</p>"}
    revision = actions.record_revision(current, by=people.editor, snapshot=snapshot)
    preview = client_for(people.reviewer).get(reverse("admin:pages_page_preview", args=[page.pk, revision.number]))
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "新市区管委会" in html and "园区简介" in html
    assert not PINYIN_ANNOTATION.search(html)


def test_conversion_without_the_base_version_or_on_a_stale_form_is_refused(pages, people):
    page = pages.draft(title="園區概況")
    url = reverse("admin:pages_page_simplify", args=[page.pk])
    client = client_for(people.editor)
    assert client.post(url, {}).status_code == 400
    stale = page.latest_revision_id
    actions.save_draft(page, by=people.editor2, fields={"summary": "他人的修改"})
    assert client.post(url, {"_editorial_base_revision": stale}).status_code == 409
    assert refresh(page).latest_revision.snapshot["fields"]["title"] == "園區概況"
