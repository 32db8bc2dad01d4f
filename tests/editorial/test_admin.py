"""The admin edits drafts, refuses stale saves, shows only permitted buttons, and
answers bad requests with a clear message and a 4xx."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from apps.core.models import AuditEntry, IndustryCluster
from apps.editorial import actions
from apps.editorial.models import PreviewLink, PreviewLinkUse, Revision, Status
from apps.pages.models import Page
from tests.editorial.conftest import refresh

CHANGE = "admin:pages_page_change"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(page, **overrides):
    """A complete change-form POST for a page, as the browser would send it."""
    data = {
        "title": page.title, "slug": page.slug, "column_type": page.column_type,
        "sensitivity": page.sensitivity, "parent": "", "position": page.position,
        "summary": page.summary, "keywords": page.keywords, "body": page.body,
        "content_source": page.content_source,
        "_editorial_base_revision": page.latest_revision_id or "",
        "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0", "links-MIN_NUM_FORMS": "0", "links-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_adding_a_page_in_the_admin_records_the_first_revision(people):
    client = client_for(people.editor)
    page = Page(title="机构职能", slug="functions", column_type="机构职能", sensitivity="normal")
    response = client.post(reverse("admin:pages_page_add"), form_data(page, _editorial_base_revision=""))
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Page.objects.get(slug="functions")
    assert created.latest_revision.number == 1 and created.latest_revision.created_by == people.editor
    assert created.status == Status.DRAFT and created.created_by == people.editor


def test_editing_a_published_page_in_the_admin_leaves_the_public_version(pages, people):
    page = pages.published(title="园区简介")
    client = client_for(people.editor)
    response = client.post(reverse(CHANGE, args=[page.pk]), form_data(page, title="园区简介（新）"))
    assert response.status_code == 302
    row = refresh(page)
    assert row.title == "园区简介" and row.status == Status.DRAFT
    assert row.latest_revision.snapshot["fields"]["title"] == "园区简介（新）"
    # The form now shows the draft, not the public row.
    html = client.get(reverse(CHANGE, args=[page.pk])).content.decode()
    assert 'value="园区简介（新）"' in html
    assert "公众看到的仍是已发布的版本" in html
    assert client.get(page.get_absolute_url()).content.decode().count("园区简介（新）") == 0


def test_child_rows_of_a_draft_round_trip_through_the_admin_form(pages, people):
    page = pages.published()
    client = client_for(people.editor)
    data = form_data(page, **{
        "links-TOTAL_FORMS": "2",
        "links-0-position": "0", "links-0-title": "办事指南", "links-0-url": "/services/",
        "links-1-position": "1", "links-1-title": "政策文件", "links-1-url": "/pages/policy/",
    })
    assert client.post(reverse(CHANGE, args=[page.pk]), data).status_code == 302
    assert refresh(page).links.count() == 0  # the public row has none yet
    html = client.get(reverse(CHANGE, args=[page.pk])).content.decode()
    ids = re.findall(r'name="links-(\d)-id" value="(\d+)"', html)
    assert len(ids) == 2 and 'value="办事指南"' in html
    # Post the draft form back with the ids it was rendered with: edit one, keep one.
    data = form_data(refresh(page), **{
        "links-TOTAL_FORMS": "2", "links-INITIAL_FORMS": "2",
        "links-0-id": ids[0][1], "links-0-page": page.pk, "links-0-position": "0", "links-0-title": "办事指南（新）", "links-0-url": "/services/",
        "links-1-id": ids[1][1], "links-1-page": page.pk, "links-1-position": "1", "links-1-title": "政策文件", "links-1-url": "/pages/policy/",
    })
    response = client.post(reverse(CHANGE, args=[page.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    titles = [c["title"] for c in refresh(page).latest_revision.snapshot["children"]["links"]]
    assert titles == ["办事指南（新）", "政策文件"]


def test_stale_form_is_refused_with_a_link_to_the_diff(pages, people):
    page = pages.draft(title="原标题")
    base = page.latest_revision_id
    actions.save_draft(page, by=people.editor2, fields={"title": "他人的修改"})
    response = client_for(people.editor).post(reverse(CHANGE, args=[page.pk]), form_data(page, title="我的修改", _editorial_base_revision=base))
    assert response.status_code == 409
    html = response.content.decode()
    assert "已被他人修改并保存" in html
    assert f"compare/?a={base}&amp;b={refresh(page).latest_revision_id}" in html
    assert refresh(page).title == "他人的修改"


@pytest.mark.parametrize("base", [None, "", "abc", "-1"])
def test_a_change_form_without_its_base_version_is_refused_not_saved_blind(pages, people, base):
    page = pages.draft(title="原标题")
    data = form_data(page, title="没有版本信息的修改")
    if base is None:
        del data["_editorial_base_revision"]
    else:
        data["_editorial_base_revision"] = base
    revisions = Revision.objects.count()
    response = client_for(people.editor).post(reverse(CHANGE, args=[page.pk]), data)
    assert response.status_code == 400
    assert "缺少所依据的版本信息" in response.content.decode()
    assert refresh(page).title == "原标题" and Revision.objects.count() == revisions


def test_workflow_buttons_show_only_what_the_user_may_do(pages, people):
    page = pages.in_review()
    url = reverse(CHANGE, args=[page.pk])
    reviewer_html = client_for(people.reviewer).get(url).content.decode()
    editor_html = client_for(people.editor).get(url).content.decode()
    assert "workflow/approve/" in reviewer_html and "workflow/request_changes/" in reviewer_html
    assert "workflow/approve/" not in editor_html and "workflow/publish/" not in editor_html


def test_full_flow_through_the_admin_buttons(pages, people):
    page = pages.draft()
    url = lambda code: reverse("admin:pages_page_workflow", args=[page.pk, code])  # noqa: E731
    assert client_for(people.editor).post(url("submit"), {"note": ""}).status_code == 302
    assert client_for(people.reviewer).post(url("approve"), {"note": "事实无误"}).status_code == 302
    # 签发: the last step's button publishes (no separate 发布 click).
    html = client_for(people.publisher).get(reverse(CHANGE, args=[page.pk])).content.decode()
    assert "签发（审核通过并发布）" in html and 'name="hold"' in html
    assert client_for(people.publisher).post(url("approve"), {}).status_code == 302
    assert refresh(page).status == Status.PUBLISHED
    assert Client().get(page.get_absolute_url()).status_code == 200


def test_the_signer_may_hold_the_publication_to_schedule_it(pages, people):
    page = pages.draft()
    url = lambda code: reverse("admin:pages_page_workflow", args=[page.pk, code])  # noqa: E731
    client_for(people.editor).post(url("submit"), {"note": ""})
    client_for(people.reviewer).post(url("approve"), {"note": "事实无误"})
    assert client_for(people.publisher).post(url("approve"), {"hold": "1"}).status_code == 302
    assert refresh(page).status == Status.APPROVED
    html = client_for(people.publisher2).get(reverse(CHANGE, args=[page.pk])).content.decode()
    assert "workflow/publish/" in html and "workflow/schedule/" in html
    assert "workflow/urgent_publish/" not in html  # every step approved: nothing to skip
    assert client_for(people.publisher2).post(url("publish"), {}).status_code == 302
    assert refresh(page).status == Status.PUBLISHED


@pytest.mark.parametrize("who, code, data, status, message", [
    ("editor", "approve", {}, 403, "不能审核该步骤"),
    ("reviewer", "publish", {}, 403, "您没有发布内容的权限"),
    ("publisher2", "publish", {}, 409, "只有审核通过的内容可以发布"),
    ("reviewer", "request_changes", {"note": ""}, 400, "请填写修改意见"),
])
def test_refused_button_presses_answer_4xx_with_a_message(pages, people, who, code, data, status, message):
    page = pages.in_review()
    response = client_for(getattr(people, who)).post(reverse("admin:pages_page_workflow", args=[page.pk, code]), data)
    assert response.status_code == status
    assert message in response.content.decode()
    assert refresh(page).status == Status.IN_REVIEW


def test_workflow_endpoints_change_nothing_on_get(pages, people):
    page = pages.in_review()
    response = client_for(people.reviewer).get(reverse("admin:pages_page_workflow", args=[page.pk, "approve"]))
    assert response.status_code == 405
    assert refresh(page).status == Status.IN_REVIEW


def test_bad_schedule_time_is_a_400_with_a_message(pages, people):
    page = pages.approved()
    response = client_for(people.publisher2).post(
        reverse("admin:pages_page_workflow", args=[page.pk, "schedule"]), {"go_live_at": "下周一"}
    )
    assert response.status_code == 400 and "时间格式" in response.content.decode()


def test_content_cannot_be_deleted_in_the_admin(pages, people):
    page = pages.draft()
    response = client_for(people.superuser).post(reverse("admin:pages_page_delete", args=[page.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Page.objects.filter(pk=page.pk).exists()


def test_compare_shows_word_level_changes(pages, people):
    page = pages.draft(body="<p>园区排名第73位。</p>")
    first = page.latest_revision
    actions.save_draft(page, by=people.editor, fields={"body": "<p>园区排名第72位。</p>"})
    second = refresh(page).latest_revision
    html = client_for(people.reviewer).get(
        reverse("admin:pages_page_compare", args=[page.pk]) + f"?a={first.pk}&b={second.pk}"
    ).content.decode()
    assert "<del>73</del><ins>72</ins>" in html


def test_staff_preview_renders_a_revision_with_the_public_template(pages, people):
    page = pages.published(title="公开标题")
    actions.save_draft(page, by=people.editor, fields={"title": "草稿标题"})
    number = refresh(page).latest_revision.number
    response = client_for(people.reviewer).get(reverse("admin:pages_page_preview", args=[page.pk, number]))
    html = response.content.decode()
    assert response.status_code == 200 and "<h1>草稿标题</h1>" in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert refresh(page).title == "公开标题"  # previewing changed nothing


def test_share_link_lets_an_outsider_read_one_draft_and_each_use_is_logged(pages, people):
    page = pages.draft(title="待核对的稿件")
    admin = client_for(people.editor)
    response = admin.post(reverse("admin:pages_page_share", args=[page.pk]), {"note": "请统计局核对数据", "days": "3"}, follow=True)
    token_url = re.search(r"(http://testserver/preview/[^<\s]+/)", response.content.decode()).group(1)
    outsider = Client()
    for _ in range(2):
        preview = outsider.get(token_url, REMOTE_ADDR="10.1.2.3")
        assert preview.status_code == 200 and "待核对的稿件" in preview.content.decode()
        assert '<meta name="robots" content="noindex, nofollow">' in preview.content.decode()
    link = PreviewLink.objects.get()
    assert PreviewLinkUse.objects.filter(link=link).count() == 2
    assert AuditEntry.objects.filter(action="editorial.use_preview_link").count() == 2
    assert AuditEntry.objects.filter(action="editorial.create_preview_link", actor=people.editor).exists()
    actions.revoke_preview_link(link, by=people.editor)
    revoked = outsider.get(token_url)
    assert revoked.status_code == 410 and "已被撤销" in revoked.content.decode()


def test_expired_or_forged_share_links_are_refused(pages, people):
    import time_machine
    from datetime import timedelta
    from django.utils import timezone

    page = pages.draft()
    link, token = actions.create_preview_link(page, by=people.editor, days=1)
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        response = Client().get(reverse("editorial:shared_preview", args=[token]))
    assert response.status_code == 410 and "已过期" in response.content.decode()
    forged = Client().get(reverse("editorial:shared_preview", args=[token[:-2] + "xx"]))
    assert forged.status_code == 410 and "无效" in forged.content.decode()


def test_comments_with_field_reply_and_resolve(pages, people):
    page = pages.in_review()
    url = reverse("admin:pages_page_comment", args=[page.pk])
    client = client_for(people.reviewer)
    assert client.post(url, {"body": "标题建议改为“园区概况”", "field_name": "title"}).status_code == 302
    comment = page.__class__  # noqa: F841
    from apps.editorial.models import ReviewComment

    first = ReviewComment.objects.get()
    assert first.field_name == "title" and first.author == people.reviewer
    assert client_for(people.editor).post(url, {"body": "已修改", "parent": first.pk}).status_code == 302
    assert client_for(people.editor).post(url, {"resolve": first.pk}).status_code == 302
    first.refresh_from_db()
    assert first.resolved_by == people.editor and first.replies.count() == 1
    assert client.post(url, {"body": ""}).status_code == 400
    assert client.post(url, {"body": "x", "field_name": "no_such_field"}).status_code == 400


def test_dashboard_lists_my_tasks_with_a_constant_number_of_queries(pages, people, django_assert_max_num_queries):
    client = client_for(people.reviewer)
    pages.in_review()
    client.get(reverse("admin:index"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        html = client.get(reverse("admin:index")).content.decode()
    assert "等待我审核" in html and "园区概况" in html
    for _ in range(6):
        pages.in_review()
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("admin:index")).content.decode()
    assert len(many) == len(few)
    assert html.count("复审 · 审核") == 7


def test_dashboard_lists_urgent_items_awaiting_retrospective_review(pages, people):
    page = pages.draft(title="紧急通知")
    actions.urgent_publish(page, by=people.publisher, reason="突发")
    html = client_for(people.reviewer).get(reverse("admin:index")).content.decode()
    section = html.split("紧急发布待补审")[1]
    assert "紧急通知" in section


def test_dashboard_warns_before_a_column_goes_stale(pages, people, settings):
    import time_machine
    from datetime import timedelta
    from django.utils import timezone

    page = pages.published(column_type="工作动态")
    later = timezone.now() + timedelta(days=settings.PARKPORTAL_COLUMN_WARN_DAYS + 1)
    with time_machine.travel(later):
        html = client_for(people.editor).get(reverse("admin:index")).content.decode()
    assert "“工作动态”栏目已 11 天未更新，3 天后将超期。" in html
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        html = client_for(people.editor).get(reverse("admin:index")).content.decode()
    assert "“工作动态”栏目已 15 天未更新（超过 14 天）" in html
    del page


# --- Issue 10, item 5: answers, not 500s ------------------------------------------------

def test_an_overlong_unpublish_redirect_is_a_400_with_a_chinese_message(pages, people):
    page = pages.published()
    long_url = "https://www.example.gov.cn/" + "a" * 480  # 507 characters: the column holds 500
    response = client_for(people.publisher).post(
        reverse("admin:pages_page_workflow", args=[page.pk, "unpublish"]), {"redirect_url": long_url}
    )
    assert response.status_code == 400
    assert "跳转地址不能超过 500 个字符" in response.content.decode()
    assert refresh(page).status == Status.PUBLISHED


def test_a_preview_link_with_a_note_names_itself_without_crashing_the_user_delete_page(pages, people):
    page = pages.draft()
    link, _token = actions.create_preview_link(page, by=people.editor, note="请法规科核对")
    assert str(link) == "v1 · 请法规科核对"
    unnamed, _token = actions.create_preview_link(page, by=people.editor)
    assert re.fullmatch(r"v1 · \d{4}-\d{2}-\d{2}", str(unnamed))
    # The delete page names every related object (the link included) to decide what it may delete.
    response = client_for(people.superuser).get(reverse("admin:accounts_user_delete", args=[people.editor.pk]))
    assert response.status_code == 200
