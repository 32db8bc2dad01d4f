"""The staff queue and the enterprise's list read a constant number of queries,
whether there are ten requests or ten thousand."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.services.models import ServiceRequest, State
from apps.services.tracking import new_tracking_number

pytestmark = pytest.mark.django_db


def fill(desk, n):
    now = timezone.now()
    rows = [
        ServiceRequest(
            tracking_number=f"{new_tracking_number()}{i % 10}"[:20], service=desk.service, enterprise=desk.enterprise,
            submitted_by=desk.user, contact_name="王经理", contact_phone="13800138000", description="批量",
            department=desk.service.department, state=State.ACCEPTED if i % 2 else State.SUBMITTED,
            accepted_at=now if i % 2 else None, due_date=now.date() if i % 2 else None,
            assignee=desk.agent if i % 3 == 0 else None, submitted_at=now,
        )
        for i in range(n)
    ]
    ServiceRequest.objects.bulk_create(rows, batch_size=2000)


def count(client, url):
    # A staff session records activity at most once a minute (the idle timeout): a warm-up
    # request absorbs that write, so only the page's own queries are counted.
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


QUEUE_QUERIES = 14
LIST_QUERIES = 5


def test_queue_and_list_query_counts_are_constant_up_to_10000_requests(client, desk):
    queue = reverse("admin:services_servicerequest_changelist")
    listing = reverse("services:my_list")
    fill(desk, 10)
    client.force_login(desk.supervisor)
    count(client, queue)  # warm the per-process caches (site settings, content types)
    small_queue = count(client, queue)
    client.force_login(desk.user)
    count(client, listing)
    small_list = count(client, listing)
    fill(desk, 9990)
    assert ServiceRequest.objects.count() == 10000
    client.force_login(desk.supervisor)
    assert count(client, queue) == small_queue == QUEUE_QUERIES
    assert count(client, queue + "?queue=overdue") == QUEUE_QUERIES
    client.force_login(desk.user)
    assert count(client, listing) == small_list == LIST_QUERIES
    assert count(client, listing + "?page=300") == LIST_QUERIES
