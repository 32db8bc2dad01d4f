"""A reviewer decides the step they were looking at, never the next one.

With a superuser, or a chain whose next step belongs to the same group, a second
(stale) click used to approve the next step silently. The admin form posts the
open task's id; the actions refuse when the round has moved on (409, nothing written).
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.editorial import actions
from apps.editorial.chains import chain_for
from apps.editorial.models import ReviewTask, Status, TaskStatus
from tests.editorial.conftest import refresh

STALE = "该审核步骤已由他人处理，请刷新后重试"


def same_group_chain(page):
    """Make 签发 belong to 审核 too: any reviewer may decide both steps."""
    step = chain_for(page).steps.get(position=1)
    step.group = Group.objects.get(name="审核")
    step.save()


def open_task(page):
    return ReviewTask.objects.get(round__object_id=str(page.pk), status=TaskStatus.OPEN)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_stale_second_approval_of_the_same_step_is_refused(pages, people):
    page = pages.draft()
    same_group_chain(page)
    actions.submit(page, by=people.editor)
    seen = open_task(page)
    actions.approve(page, by=people.reviewer, expected_task=seen)
    with pytest.raises(actions.StaleStep, match=STALE):
        actions.approve(page, by=people.reviewer2, expected_task=seen.pk)
    tasks = list(ReviewTask.objects.filter(round__object_id=str(page.pk)).order_by("position"))
    assert [t.status for t in tasks] == [TaskStatus.APPROVED, TaskStatus.OPEN]
    assert AuditEntry.objects.filter(object_id=str(page.pk), action="editorial.approve").count() == 1


def test_a_superusers_double_click_approves_one_step_only(pages, people, settings):
    settings.PARKPORTAL_EDITORIAL_SUPERUSER_EXEMPT = False
    page = pages.in_review()
    seen = open_task(page)
    actions.approve(page, by=people.superuser, expected_task=seen.pk)
    with pytest.raises(actions.StaleStep):
        actions.approve(page, by=people.superuser, expected_task=seen.pk)
    assert refresh(page).status == Status.IN_REVIEW
    assert open_task(page).name == "签发"


def test_a_stale_request_for_changes_is_refused(pages, people):
    page = pages.draft()
    same_group_chain(page)
    actions.submit(page, by=people.editor)
    seen = open_task(page)
    actions.approve(page, by=people.reviewer, expected_task=seen)
    with pytest.raises(actions.StaleStep):
        actions.request_changes(page, by=people.reviewer2, note="请修改", expected_task=seen)
    assert refresh(page).status == Status.IN_REVIEW


def test_a_click_on_a_finished_round_is_stale_too(pages, people):
    page = pages.in_review()
    first = open_task(page)
    actions.approve(page, by=people.reviewer, expected_task=first)
    last = open_task(page)
    actions.approve(page, by=people.publisher, expected_task=last, publish=False)
    with pytest.raises(actions.StaleStep, match=STALE):
        actions.approve(page, by=people.publisher2, expected_task=last)
    assert refresh(page).status == Status.APPROVED


def test_the_admin_form_posts_the_step_on_screen_and_a_stale_post_is_a_409(pages, people):
    page = pages.draft()
    same_group_chain(page)
    actions.submit(page, by=people.editor)
    task = open_task(page)
    html = client_for(people.reviewer).get(reverse("admin:pages_page_change", args=[page.pk])).content.decode()
    assert len(re.findall(rf'<input type="hidden" name="task" value="{task.pk}">', html)) == 2  # approve, request changes
    url = reverse("admin:pages_page_workflow", args=[page.pk, "approve"])
    assert client_for(people.reviewer).post(url, {"task": task.pk}).status_code == 302
    before = AuditEntry.objects.count()
    response = client_for(people.reviewer2).post(url, {"task": task.pk, "note": "同意"})
    assert response.status_code == 409 and STALE in response.content.decode()
    assert AuditEntry.objects.count() == before
    assert open_task(page).position == 1
    refused = client_for(people.reviewer2).post(url, {"task": "abc"})
    assert refused.status_code == 400
