"""Issue 10: a database error in the middle of a publish leaves nothing half-published.

A published page has an approved new version. A PostgreSQL trigger created by the test
makes one of the tables that publishing writes raise; the publisher presses 发布. After
the failure: the item's state, its public fields, its revisions, the audit trail, the
outbox (no mail about a publish that did not happen) and the page the public is served
(from the page cache or rendered again) are all what they were. Then the trigger is
dropped and the same publish goes through, which shows the checks would see a change.
"""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from apps.core.models import AuditEntry, OutboxMessage
from apps.editorial import actions
from apps.editorial.models import Revision, Status
from tests.editorial.conftest import refresh

pytestmark = pytest.mark.django_db(transaction=True)

OLD, NEW = "园区概况（旧版）", "园区概况（新版）"


def fail_writes_to(table: str):
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE OR REPLACE FUNCTION parkportal_fault() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'fault injected: write to %', TG_TABLE_NAME; END $$"
        )
        cursor.execute(f'CREATE TRIGGER parkportal_fault BEFORE INSERT OR UPDATE OR DELETE ON "{table}" '
                       "FOR EACH ROW EXECUTE FUNCTION parkportal_fault()")


def drop_fault(table: str):
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TRIGGER IF EXISTS parkportal_fault ON "{table}"')
        cursor.execute("DROP FUNCTION IF EXISTS parkportal_fault()")


def state_of(page) -> dict:
    page = refresh(page)
    return {
        "status": page.status, "title": page.title, "visibility": page.visibility,
        "public_updated_at": page.public_updated_at, "latest_revision": page.latest_revision_id,
        "revisions": list(Revision.objects.filter(object_id=page.pk).order_by("pk").values()),
        "audit": AuditEntry.objects.count(), "outbox": OutboxMessage.objects.count(),
    }


def public_page(page) -> tuple[int, str, str]:
    response = Client().get(page.get_absolute_url())
    return response.status_code, response.content.decode(), response.get("X-Page-Cache", "")


#: What publishing a major change writes: the item's row, its public change note, the
#: audit row and the notification mail's outbox message.
TABLES = ["pages_page", "editorial_changenote", "core_auditentry", "core_outboxmessage"]


def test_a_database_error_mid_publish_leaves_the_item_and_its_public_page_as_they_were(
    fault_services, people, pages, check, caplog
):
    page = pages.published(title=OLD)
    actions.save_draft(page, by=people.editor2, fields={"title": NEW})
    actions.submit(page, by=people.editor2)
    actions.approve(page, by=people.reviewer)
    actions.approve(page, by=people.publisher, publish=False)  # 签发 held: 发布 is the step under test
    public_page(page)  # stored in the page cache
    status, html, cache = public_page(page)
    check(status == 200 and OLD in html and cache == "hit", f"the public page shows the old title (page cache: {cache})")
    before = state_of(page)
    check(before["status"] == Status.APPROVED, "the new version is approved, waiting for 发布")

    publisher = Client(raise_request_exception=False)
    publisher.force_login(people.publisher2)
    url = reverse("admin:pages_page_workflow", args=[page.pk, "publish"])
    data = {"major": "major", "change_note": "更新了标题。"}
    for table in TABLES:
        caplog.clear()
        fail_writes_to(table)
        try:
            response = publisher.post(url, data)
        finally:
            drop_fault(table)
        injected = [r for r in caplog.records if f"fault injected: write to {table}" in str(r.exc_info and r.exc_info[1])]
        check(response.status_code == 500 and injected,
              f"{table}: publish failed on the injected error (answer {response.status_code}, the error logged)")
        after = state_of(page)
        changed = [key for key in before if after[key] != before[key]]
        check(not changed, f"{table}: unchanged after the failure: {', '.join(before)}"
                           + (f" (CHANGED: {', '.join(changed)})" if changed else ""))
        status, html, cache = public_page(page)
        check(status == 200 and OLD in html and NEW not in html,
              f"{table}: the public page still shows the old version only (page cache: {cache or 'none'})")

    response = publisher.post(url, data)
    status, html, cache = public_page(page)
    check(response.status_code == 302 and refresh(page).status == Status.PUBLISHED and NEW in html,
          "the same publish without the fault goes through and the public sees the new version")
