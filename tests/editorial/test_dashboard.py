"""The 我的待办 dashboard: overdue steps, my drafts, stale columns (including one
that never had a published page), at an exact number of queries whatever the data."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.editorial import actions, dashboard
from apps.editorial.actions import editorial_models
from tests.editorial.conftest import refresh


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def section(html: str, heading: str) -> str:
    """The dashboard section under a heading, up to the next one."""
    return html.split(f"<h3>{heading}</h3>", 1)[1].split("<h3>", 1)[0]


def a_month_later():
    return time_machine.travel(timezone.now() + timedelta(days=30), tick=False)


def test_overdue_steps_are_listed_for_publishers_and_for_those_who_hold_them(pages, people):
    late = pages.in_review(title="超期的稿件")
    second = pages.in_review(title="待签发的稿件")
    actions.approve(second, by=people.reviewer)
    with a_month_later():
        fresh = pages.in_review(title="刚提交的稿件")
        publisher_html = client_for(people.publisher).get(reverse("admin:index")).content.decode()
        reviewer_html = client_for(people.reviewer).get(reverse("admin:index")).content.decode()
        editor_html = client_for(people.editor).get(reverse("admin:index")).content.decode()
    overdue = section(publisher_html, "超期未办")
    assert "超期的稿件" in overdue and "待签发的稿件" in overdue and "刚提交的稿件" not in overdue
    assert overdue.count("（已超期）") == 2
    assert "复审 · 审核" in overdue and "签发 · 签发" in overdue
    # A reviewer sees only the overdue steps that are theirs to do.
    mine = section(reviewer_html, "超期未办")
    assert "超期的稿件" in mine and "待签发的稿件" not in mine
    assert "没有超期的审核步骤" in section(editor_html, "超期未办")
    assert f'href="{reverse("admin:pages_page_change", args=[late.pk])}"' in overdue
    del fresh


def test_my_drafts_lists_my_drafts_and_returned_items_only(pages, people):
    mine = pages.draft(title="我的草稿")
    returned = pages.in_review(title="被退回的稿件")
    actions.request_changes(returned, by=people.reviewer, note="请修改")
    pages.in_review(title="审核中的稿件")
    pages.draft(title="别人的草稿", by=people.editor2)
    edited_live = pages.published(title="已发布页面")
    actions.save_draft(edited_live, by=people.editor, fields={"body": "<p>修改中</p>"})
    html = section(client_for(people.editor).get(reverse("admin:index")).content.decode(), "我的草稿")
    assert "我的草稿</a> · 草稿" in html and "被退回的稿件</a> · 退回修改" in html
    assert "已发布页面</a> · 草稿" in html  # a new draft of a live page, under its public title
    assert "审核中的稿件" not in html and "别人的草稿" not in html
    assert f'href="{reverse("admin:pages_page_change", args=[mine.pk])}"' in html
    other = section(client_for(people.editor2).get(reverse("admin:index")).content.decode(), "我的草稿")
    assert "别人的草稿" in other and "我的草稿" not in other


def test_a_column_that_never_had_a_published_page_is_flagged(pages, people):
    pages.draft(title="政策汇编（草稿）", column_type="政策文件")
    pages.in_review(title="年报（审核中）", column_type="信息公开年报")
    pages.published(column_type="工作动态")
    archived = pages.draft(column_type="数据发布")
    actions.archive(archived, by=people.publisher)
    html = client_for(people.editor).get(reverse("admin:index")).content.decode()
    assert "“政策文件”栏目还没有发布过内容。" in html
    assert "“信息公开年报”栏目还没有发布过内容。" in html
    assert "工作动态" not in html.split("栏目更新提醒")[1].split("等待我审核")[0]  # fresh
    assert "“数据发布”栏目" not in html  # only archived pages: not a column in use
    stale = {c["name"]: c for c in dashboard.column_freshness(editorial_models())}
    assert stale["政策文件"]["stale"] and stale["政策文件"]["age_days"] is None


def test_a_column_whose_only_page_was_taken_down_is_flagged(pages, people):
    page = pages.published(column_type="回应关切")
    actions.unpublish(page, by=people.publisher)
    html = client_for(people.editor).get(reverse("admin:index")).content.decode()
    assert "“回应关切”栏目还没有发布过内容。" in html


# --- Query counts -------------------------------------------------------------------

def dashboard_queries(user) -> int:
    """Exact: the user's permissions (2, none for a superuser), my tasks, overdue
    tasks (publishers: 1; others reuse my tasks), and per editorial model its drafts
    and retrospective reviews, plus one per model that describes columns."""
    models = editorial_models()
    perms = 0 if user.is_superuser else 2
    overdue = 1 if user.is_superuser or user.has_perm("editorial.publish_content") else 0
    columns = sum(1 for m in models if hasattr(m, "editorial_columns"))
    calendar = 1  # the admin-entered holiday schedule, for the working-day calendar warning
    return perms + 1 + overdue + 2 * len(models) + columns + calendar


def lots_of_work(pages, people, n):
    for i in range(n):
        pages.in_review(title=f"稿件{i}")
        pages.draft(title=f"草稿{i}", column_type="政策文件")
        urgent = pages.draft(title=f"紧急{i}")
        actions.urgent_publish(urgent, by=people.publisher, reason="突发")
        second = pages.in_review(title=f"待签发{i}")
        actions.approve(second, by=people.reviewer)


@pytest.mark.parametrize("who", ["reviewer", "publisher", "editor", "superuser"])
def test_dashboard_runs_an_exact_number_of_queries_whatever_the_data(pages, people, django_assert_num_queries, who):
    people.editor.groups.add(Group.objects.get(name="审核"))  # editor also reviews: more rows of every kind

    def count():
        user = refresh(getattr(people, who))  # a fresh object: permissions not cached
        expected = dashboard_queries(refresh(user))
        with django_assert_num_queries(expected):
            result = dashboard.for_user(user)
        return expected, result

    lots_of_work(pages, people, 1)
    with a_month_later():
        few, small = count()
        lots_of_work(pages, people, 4)
        many, big = count()
    assert few == many
    if who == "editor":
        # Every step here is of the editor's own submissions: never their task (issue 15).
        assert big["my_tasks"] == small["my_tasks"] == [] and big["overdue_tasks"] == []
    else:
        assert len(big["overdue_tasks"]) >= len(small["overdue_tasks"]) > 0
    if who == "editor":
        assert len(big["my_drafts"]) > len(small["my_drafts"]) > 0
    assert len(big["awaiting_retrospective"]) == 5


def test_dashboard_page_itself_is_a_constant_number_of_queries(pages, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(people.editor)
    lots_of_work(pages, people, 1)
    client.get(reverse("admin:index"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("admin:index"))
    lots_of_work(pages, people, 5)
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("admin:index")).content.decode()
    assert len(many) == len(few)
    assert section(html, "我的草稿").count("<li>") == 6


def test_the_news_column_is_watched_like_the_page_columns(people, settings):
    """DOMAIN.md: a news column not updated for two weeks fails inspections."""
    import time_machine
    from datetime import timedelta

    from django.utils import timezone

    from apps.news.models import PressRelease

    html = client_for(people.editor).get(reverse("admin:index")).content.decode()
    assert "“新闻动态”栏目还没有发布过内容。" in html
    release = actions.create_draft(PressRelease, by=people.editor, fields={
        "title": "园区新闻", "body": "<p>正文</p>", "source": "管委会", "responsible_editor": "李编辑"})
    actions.urgent_publish(release, by=people.publisher, reason="测试")
    html = client_for(people.editor).get(reverse("admin:index")).content.decode()
    assert "“新闻动态”栏目" not in html
    with time_machine.travel(timezone.now() + timedelta(days=settings.PARKPORTAL_COLUMN_STALE_DAYS + 1)):
        html = client_for(people.editor).get(reverse("admin:index")).content.decode()
    assert f"“新闻动态”栏目已 {settings.PARKPORTAL_COLUMN_STALE_DAYS + 1} 天未更新" in html
