"""Policy documents: validity marked everywhere, replacement links both ways, filters,
workflow and permissions, 47号 meta, sitemap, Traditional script, constant queries."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.core.errors import InvalidTransition, NotAllowed
from apps.editorial import actions as editorial
from apps.policies.models import PolicyDocument, Topic, Validity

from .conftest import refresh

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(db):
    from apps.core.models import SiteSettings

    SiteSettings.objects.update_or_create(pk=1, defaults={
        "site_name": "测试高新区门户", "site_domain": "www.test-park.gov.cn", "sponsor": "测试高新区管委会"})


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_repealed_document_stays_online_marked_and_links_to_its_replacement_and_back(client, documents):
    new = documents.published(title="“十百千”人才引进实施办法")
    old = documents.published(title="促进人才发展若干措施", issued_on=dt.date(2023, 4, 18), written_on=dt.date(2023, 4, 10))
    old = documents.supersede(old, new, Validity.REPEALED)
    html = page(client, old.get_absolute_url())
    banner = html[html.index('class="validity-banner'):]
    assert "本文件已废止" in banner[:400] and new.get_absolute_url() in banner[:600]
    # shown on the replacing document too
    html = page(client, new.get_absolute_url())
    assert "本文件修订或废止的文件" in html and old.get_absolute_url() in html
    # marked on the list rows
    listing = page(client, "/policies/")
    assert listing.count("有效性：已废止") == 1 and listing.count("有效性：有效") == 1


def test_an_amended_document_is_marked_and_links_to_the_amendment(client, documents):
    amendment = documents.published(title="关于修订若干政策的通知")
    original = documents.supersede(documents.published(title="若干政策"), amendment, Validity.AMENDED)
    html = page(client, original.get_absolute_url())
    assert "本文件已修订" in html and "修订本文件的文件" in html and amendment.get_absolute_url() in html


def test_the_replacement_link_waits_for_the_replacement_to_be_public(client, documents):
    draft = documents.draft(title="尚未发布的新办法")
    old = documents.supersede(documents.published(title="旧办法"), draft, Validity.REPEALED)
    html = page(client, old.get_absolute_url())
    assert "本文件已废止" in html and "尚未发布的新办法" not in html
    assert draft.get_absolute_url() not in html


def test_only_amended_or_repealed_documents_name_a_replacement(documents):
    other = documents.published()
    with pytest.raises(ValidationError):
        documents.draft(validity=Validity.VALID, superseded_by=other)
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyDocument.objects.filter(pk=other.pk).update(superseded_by=other, validity=Validity.REPEALED)


@pytest.mark.parametrize(("query", "shown", "hidden"), [
    ("issuer=高新区科技局", ["科技文件"], ["工业文件", "旧文件"]),
    ("topic=science", ["科技文件"], ["工业文件", "旧文件"]),
    ("year=2023", ["旧文件"], ["工业文件", "科技文件"]),
    ("validity=expired", ["旧文件"], ["工业文件", "科技文件"]),
    ("validity=valid&topic=industry", ["工业文件"], ["科技文件", "旧文件"]),
    ("validity=nonsense&year=abc&issuer=%00x&topic=<b>", ["工业文件", "科技文件", "旧文件"], []),
])
def test_the_list_filters_by_issuer_topic_year_and_validity(client, documents, query, shown, hidden):
    documents.published(title="工业文件")
    documents.published(title="科技文件", issuer="高新区科技局", topic=Topic.SCIENCE)
    documents.published(title="旧文件", validity=Validity.EXPIRED, issued_on=dt.date(2023, 5, 1),
                        written_on=dt.date(2023, 4, 1))
    response = client.get(f"/policies/?{query}")
    assert response.status_code in (200, 400)
    if response.status_code == 400:  # a NUL byte: the site-wide 400
        return
    html = response.content.decode()
    for title in shown:
        assert title in html
    for title in hidden:
        assert title not in html


def test_drafts_never_appear_and_the_detail_of_a_draft_is_404(client, documents):
    draft = documents.draft(title="草稿文件")
    assert "草稿文件" not in page(client, "/policies/")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "草稿文件" not in page(client, "/sitemap.xml")


def test_the_document_page_has_the_47_article_meta_and_the_facts(client, documents):
    doc = documents.published(title="新材料政策", summary="支持新材料企业技术改造。", effective_on=dt.date(2026, 4, 1))
    html = page(client, doc.get_absolute_url())
    for needle in ('<meta name="ArticleTitle" content="新材料政策">', '<meta name="PubDate"',
                   '<meta name="ContentSource" content="乌鲁木齐高新区（新市区）管委会">',
                   '<meta name="ColumnType" content="政策文件">', "乌高新管发〔2026〕", "索引号", "成文日期",
                   "2026年4月1日", "浏览次数"):
        assert needle in html
    assert doc.get_absolute_url() in page(client, "/sitemap.xml")
    traditional = page(client, "/zh-hant" + doc.get_absolute_url())
    assert "發文機關" in traditional and "发文机关" not in traditional


def test_interpretations_link_back_and_the_document_lists_them_all(client, documents, interpretations):
    doc = documents.published(title="人才办法")
    first = interpretations.published(doc, title="一图读懂人才办法")
    second = interpretations.published(doc, title="人才办法问答")
    html = page(client, doc.get_absolute_url())
    assert first.get_absolute_url() in html and second.get_absolute_url() in html
    html = page(client, first.get_absolute_url())
    assert doc.get_absolute_url() in html and "有效性：有效" in html
    listing = page(client, "/policies/interpretations/")
    assert "一图读懂人才办法" in listing and "人才办法问答" in listing
    assert '<meta name="ColumnType" content="政策解读">' in listing


def test_an_interpretation_of_a_document_taken_off_the_site_is_read_by_one_rule_everywhere(
    client, documents, interpretations, people
):
    """The list, the page, the sitemap and search agree (published()); the document
    is named only while the public may read it."""
    from apps.core import pagecache

    doc = documents.published(title="已下线的人才办法")
    item = interpretations.published(doc, title="人才办法要点解读")
    editorial.unpublish(refresh(doc), by=people.publisher, note="发布有误")
    pagecache.bump()
    listing = page(client, "/policies/interpretations/")
    assert item.get_absolute_url() in listing and "已下线的人才办法" not in listing
    detail = page(client, item.get_absolute_url())
    assert "人才办法要点解读" in detail and "已下线的人才办法" not in detail
    assert item.get_absolute_url() in page(client, "/sitemap.xml")


def test_a_video_interpretation_needs_a_video_and_a_graphic_needs_images(documents, interpretations, people):
    from apps.policies.models import PolicyInterpretation

    doc = documents.published()
    with pytest.raises(ValidationError):
        editorial.create_draft(PolicyInterpretation, by=people.editor, fields={
            "title": "视频", "document": doc, "kind": "video", "interpreter": "经发局"})
    graphic = editorial.create_draft(PolicyInterpretation, by=people.editor, fields={
        "title": "图解", "document": doc, "kind": "graphic", "interpreter": "经发局"}, children={"images": []})
    with pytest.raises(InvalidTransition, match="图解须至少有一张图片"):
        editorial.submit(graphic, by=people.editor)


def test_the_workflow_governs_documents(documents, people):
    doc = documents.draft()
    with pytest.raises(NotAllowed):  # a service agent writes no policy documents
        editorial.create_draft(PolicyDocument, by=people.outsider, fields={})
    editorial.submit(doc, by=people.editor)
    with pytest.raises(NotAllowed):  # two-person rule: the submitter cannot approve
        editorial.approve(doc, by=people.editor)
    editorial.approve(doc, by=people.reviewer)
    assert refresh(doc).visibility == "none"
    editorial.approve(doc, by=people.publisher)  # 签发: the last approval publishes
    assert refresh(doc).visibility == "live"


def test_withdrawn_documents_keep_their_page_with_the_notice(client, documents, people):
    doc = documents.published(title="撤回的文件")
    editorial.withdraw(doc, by=people.publisher, note="内容有误，正在更正")
    html = page(client, doc.get_absolute_url())
    assert "内容有误，正在更正" in html
    assert "撤回的文件" not in page(client, "/policies/")


def test_attachments_download_only_while_the_document_may_be_read(client, documents, people, media_storage):  # noqa: F811
    from apps.media import actions as media
    from tests.media import samples

    original = media.upload_attachment(samples.upload(samples.pdf_bytes(), "原件.pdf"), by=people.editor, title="原件")
    doc = documents.published(attachments=[original])
    url = f"/policies/{doc.pk}/attachments/{original.pk}/"
    assert url in page(client, doc.get_absolute_url())
    assert client.get(url).status_code == 200
    draft = documents.draft(attachments=[original])
    assert client.get(f"/policies/{draft.pk}/attachments/{original.pk}/").status_code == 404


def test_list_and_detail_queries_stay_constant_as_documents_grow(client, documents, interpretations, settings,
                                                                django_assert_num_queries):
    def grow(n):
        made = []
        for i in range(n):
            new = documents.published(title=f"新文件{i}", issuer=f"机关{i % 3}")
            old = documents.supersede(documents.published(title=f"旧文件{i}"), new, Validity.REPEALED)
            interpretations.published(new)
            interpretations.published(new)
            made.append((new, old))
        return made

    made = grow(1)
    client.get("/policies/")  # warm the site settings cache
    settings.PARKPORTAL_PAGECACHE_ENABLED = False
    # issuers, years span, count, page rows
    with django_assert_num_queries(4):
        client.get("/policies/")
    # the document (with its replacement), what it replaced, interpretations, attachments,
    # change notes, the view count
    with django_assert_num_queries(6):
        client.get(made[0][0].get_absolute_url())
    # count, page rows (with documents)
    with django_assert_num_queries(2):
        client.get("/policies/interpretations/")
    first_interpretation = made[0][0].interpretations.first()
    # the interpretation (document, video), images, change notes, view count
    with django_assert_num_queries(4):
        client.get(first_interpretation.get_absolute_url())
    made += grow(12)
    with django_assert_num_queries(4):
        client.get("/policies/?validity=repealed&page=2")
    with django_assert_num_queries(6):
        client.get(made[-1][0].get_absolute_url())
    with django_assert_num_queries(6):
        client.get(made[-1][1].get_absolute_url())
    with django_assert_num_queries(2):
        client.get("/policies/interpretations/?page=2")
    last_interpretation = made[-1][0].interpretations.first().get_absolute_url()
    with django_assert_num_queries(4):
        client.get(last_interpretation)


def test_document_and_interpretation_views_are_counted_and_flushed(client, documents, interpretations):
    from apps.core import viewcounts

    doc = documents.published()
    note = interpretations.published(doc)
    browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
    for _ in range(2):
        client.get(doc.get_absolute_url(), HTTP_USER_AGENT=browser)
    client.get(note.get_absolute_url(), HTTP_USER_AGENT=browser)
    client.get(doc.get_absolute_url(), HTTP_USER_AGENT="Mozilla/5.0 (compatible; Baiduspider/2.0)")
    assert viewcounts.flush() == 3
    assert (viewcounts.count_of(doc), viewcounts.count_of(note)) == (2, 1)
