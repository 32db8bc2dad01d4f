"""Every editorial action writes exactly one audit row: the right action name,
actor and from/to state. The audit admin is read-only."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.admin.sites import site
from django.contrib.contenttypes.models import ContentType
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from apps.core.models import AuditEntry
from apps.editorial import actions
from apps.editorial.models import ReviewComment, Revision
from apps.pages.models import Page
from tests.editorial.conftest import refresh


# Each setup builds the state through real actions and returns (item, acting user,
# the call to audit). The expected row follows in the parameter list.

def save_draft(pages, people):
    page = pages.published()
    return page, people.editor2, lambda: actions.save_draft(page, by=people.editor2, fields={"title": "新标题"})


def submit(pages, people):
    page = pages.draft()
    return page, people.editor, lambda: actions.submit(page, by=people.editor, note="请审核")


def approve_step(pages, people):
    page = pages.in_review()
    return page, people.reviewer, lambda: actions.approve(page, by=people.reviewer, note="无误")


def approve_last(pages, people):
    page = pages.in_review()
    actions.approve(page, by=people.reviewer)
    return page, people.publisher, lambda: actions.approve(page, by=people.publisher, note="同意", publish=False)


def request_changes(pages, people):
    page = pages.in_review()
    return page, people.reviewer, lambda: actions.request_changes(page, by=people.reviewer, note="请核实数据")


def publish(pages, people):
    page = pages.approved()
    return page, people.publisher2, lambda: actions.publish(page, by=people.publisher2)


def urgent_publish(pages, people):
    page = pages.in_review()
    return page, people.publisher, lambda: actions.urgent_publish(page, by=people.publisher, reason="突发停水")


def approve_retrospectively(pages, people):
    page = pages.draft()
    actions.urgent_publish(page, by=people.publisher, reason="突发停水")
    return page, people.reviewer, lambda: actions.approve_retrospectively(page, by=people.reviewer, note="补审无误")


def schedule(pages, people):
    page = pages.approved()
    at = timezone.now() + timedelta(hours=2)
    return page, people.publisher2, lambda: actions.schedule(page, by=people.publisher2, go_live_at=at)


def _scheduled(pages, people):
    page = pages.approved()
    at = timezone.now() + timedelta(hours=2)
    actions.schedule(page, by=people.publisher2, go_live_at=at)
    return page, at


def unschedule(pages, people):
    page, _at = _scheduled(pages, people)
    return page, people.publisher, lambda: actions.unschedule(page, by=people.publisher)


def scheduled_publish(pages, people):
    page, at = _scheduled(pages, people)

    def run():
        with time_machine.travel(at + timedelta(minutes=1), tick=False):
            actions.publish_due()

    return page, people.publisher2, run


def scheduled_publish_failed(pages, people):
    page, at = _scheduled(pages, people)
    people.publisher2.groups.clear()  # lost the right to publish meanwhile

    def run():
        with time_machine.travel(at + timedelta(minutes=1), tick=False):
            actions.publish_due()

    return page, people.publisher2, run


def expire(pages, people):
    page = pages.approved()
    at = timezone.now() + timedelta(hours=2)
    actions.schedule(page, by=people.publisher2, go_live_at=at, expire_at=at + timedelta(days=1))
    with time_machine.travel(at + timedelta(minutes=1), tick=False):
        actions.publish_due()

    def run():
        with time_machine.travel(at + timedelta(days=1, minutes=1), tick=False):
            actions.publish_due()

    return page, people.publisher2, run


def revert(pages, people):
    page = pages.published()
    first = Revision.objects.get(object_id=str(page.pk), number=1)
    return page, people.editor, lambda: actions.revert(page, by=people.editor, revision=first)


def withdraw(pages, people):
    page = pages.published()
    return page, people.publisher, lambda: actions.withdraw(page, by=people.publisher, note="政策已废止")


def unpublish(pages, people):
    page = pages.published()
    return page, people.publisher, lambda: actions.unpublish(page, by=people.publisher, note="过时")


def unpublish_withdrawn(pages, people):
    page = pages.published()
    actions.withdraw(page, by=people.publisher, note="政策已废止")
    return page, people.publisher2, lambda: actions.unpublish(page, by=people.publisher2)


def archive(pages, people):
    page = pages.draft()
    return page, people.publisher, lambda: actions.archive(page, by=people.publisher, note="不再需要")


def lock(pages, people):
    page = pages.draft()
    return page, people.editor2, lambda: actions.lock(page, by=people.editor2)


def unlock(pages, people):
    page = pages.draft()
    actions.lock(page, by=people.editor2)
    return page, people.publisher, lambda: actions.unlock(refresh(page), by=people.publisher)  # breaks the lock


def comment(pages, people):
    page = pages.in_review()
    return page, people.reviewer, lambda: actions.add_comment(page, by=people.reviewer, body="标题过长", field_name="title")


def resolve_comment(pages, people):
    page = pages.in_review()
    actions.add_comment(page, by=people.reviewer, body="标题过长")
    return page, people.editor, lambda: actions.resolve_comment(ReviewComment.objects.get(), by=people.editor)


def create_preview_link(pages, people):
    page = pages.draft()
    return page, people.editor, lambda: actions.create_preview_link(page, by=people.editor, days=3)


def revoke_preview_link(pages, people):
    page = pages.draft()
    link, _token = actions.create_preview_link(page, by=people.editor)
    return page, people.editor2, lambda: actions.revoke_preview_link(link, by=people.editor2)


def use_preview_link(pages, people):
    page = pages.draft()
    _link, token = actions.create_preview_link(page, by=people.editor)
    return page, people.editor, lambda: actions.use_preview_link(token, ip_address="10.0.0.1")


CASES = [
    # setup, action, from_state, to_state, note
    (save_draft, "editorial.save_draft", "published", "draft", ""),
    (submit, "editorial.submit", "draft", "in_review", "请审核"),
    (approve_step, "editorial.approve", "in_review", "in_review", "无误"),
    (approve_last, "editorial.approve", "in_review", "approved", "同意"),
    (request_changes, "editorial.request_changes", "in_review", "changes_requested", "请核实数据"),
    (publish, "editorial.publish", "approved", "published", "首次发布"),
    (urgent_publish, "editorial.urgent_publish", "in_review", "published", "突发停水"),
    (approve_retrospectively, "editorial.approve_retrospectively", "", "", "补审无误"),
    (schedule, "editorial.schedule", "approved", "scheduled", ""),
    (unschedule, "editorial.unschedule", "scheduled", "approved", ""),
    (scheduled_publish, "editorial.publish", "scheduled", "published", "定时发布"),
    (scheduled_publish_failed, "editorial.scheduled_publish_failed", "scheduled", "approved", "您没有发布内容的权限。"),
    (expire, "editorial.expire", "published", "unpublished", "到期自动下线"),
    (revert, "editorial.revert", "published", "draft", "恢复为第 1 版"),
    (withdraw, "editorial.withdraw", "published", "withdrawn", "政策已废止"),
    (unpublish, "editorial.unpublish", "published", "unpublished", "过时"),
    (unpublish_withdrawn, "editorial.unpublish", "withdrawn", "unpublished", ""),
    (archive, "editorial.archive", "draft", "archived", "不再需要"),
    (lock, "editorial.lock", "", "", ""),
    (unlock, "editorial.unlock", "", "", ""),
    (comment, "editorial.comment", "", "", "标题过长"),
    (resolve_comment, "editorial.resolve_comment", "", "", ""),
    (create_preview_link, "editorial.create_preview_link", "", "", ""),
    (revoke_preview_link, "editorial.revoke_preview_link", "", "", ""),
    (use_preview_link, "editorial.use_preview_link", "", "", ""),
]


@pytest.mark.parametrize(
    "setup, action, from_state, to_state, note", CASES, ids=[c[0].__name__ for c in CASES]
)
def test_each_action_writes_exactly_one_audit_row(pages, people, setup, action, from_state, to_state, note):
    item, actor, call = setup(pages, people)
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    call()
    rows = list(AuditEntry.objects.filter(id__gt=last))
    assert [r.action for r in rows] == [action]
    row = rows[0]
    assert row.actor_id == actor.pk
    assert (row.from_state, row.to_state) == (from_state, to_state)
    assert row.note == note
    assert row.content_type == ContentType.objects.get_for_model(Page)
    assert row.object_id == str(item.pk) and row.object_repr == str(refresh(item))


def test_signing_off_writes_the_approval_then_the_publication(pages, people):
    page = pages.in_review()
    actions.approve(page, by=people.reviewer)
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    actions.approve(page, by=people.publisher, note="同意签发")
    rows = list(AuditEntry.objects.filter(id__gt=last).order_by("id"))
    assert [(r.action, r.from_state, r.to_state, r.actor_id) for r in rows] == [
        ("editorial.approve", "in_review", "approved", people.publisher.pk),
        ("editorial.publish", "approved", "published", people.publisher.pk),
    ]
    assert rows[0].note == "同意签发" and rows[1].note == "首次发布"


def test_every_audited_action_is_covered():
    """A new audited action needs a case above (grep the engine for audit calls)."""
    import re
    from pathlib import Path

    import apps.editorial.actions as package

    written = set()
    for path in Path(package.__file__).parent.glob("*.py"):  # every module of the actions package
        written |= set(re.findall(r'"(editorial\.[a-z_]+)"', path.read_text()))
    assert "editorial.publish" in written  # the scan does read the actions
    assert written <= {c[1] for c in CASES}


# --- The audit admin is read-only ------------------------------------------------------

def test_audit_admin_refuses_add_change_and_delete(pages, people):
    page = pages.draft()
    entry = AuditEntry.objects.filter(object_id=str(page.pk)).first()
    model_admin = site._registry[AuditEntry]
    request = RequestFactory().get("/")
    request.user = people.superuser
    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request, entry) is False
    assert model_admin.has_delete_permission(request, entry) is False
    assert model_admin.has_view_permission(request, entry) is True

    client = Client()
    client.force_login(people.superuser)
    before = (entry.action, entry.note, AuditEntry.objects.count())
    assert client.get(reverse("admin:core_auditentry_changelist")).status_code == 200
    assert client.post(reverse("admin:core_auditentry_add"), {"action": "x", "actor": people.superuser.pk}).status_code == 403
    assert client.post(
        reverse("admin:core_auditentry_change", args=[entry.pk]), {"action": "editorial.forged", "note": "改"}
    ).status_code == 403
    assert client.post(reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse("admin:core_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302, 403)  # no delete action offered: nothing happens
    entry.refresh_from_db()
    assert (entry.action, entry.note, AuditEntry.objects.count()) == before
