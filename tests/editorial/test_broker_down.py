"""Issue 10, item 3: with the broker down, submit, approve and publish answer
normally, the later on-commit work (content_published, the page cache) still
runs, and the mails go out once the broker is back. Real commits (a
transactional test), a real dead broker (tests.core.test_outbox.broker_down)."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.core import pagecache
from apps.core.models import OutboxMessage
from apps.editorial.models import Status
from apps.editorial.signals import content_published
from tests.core.test_outbox import broker_down
from tests.editorial.conftest import refresh


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_workflow_answers_normally_and_the_mail_follows(
    pages, people, mailoutbox, broker_queue
):
    page = pages.draft(title="高新区营商环境新政")
    url = lambda code: reverse("admin:pages_page_workflow", args=[page.pk, code])  # noqa: E731
    published = []

    def on_published(sender, item, **kwargs):
        published.append(item.pk)

    content_published.connect(on_published)
    generation = pagecache.generation()
    try:
        with broker_down():
            assert client_for(people.editor).post(url("submit"), {"note": ""}).status_code == 302
            assert client_for(people.reviewer).post(url("approve"), {"note": "事实无误"}).status_code == 302
            assert client_for(people.publisher).post(url("approve"), {}).status_code == 302  # 签发 publishes
    finally:
        content_published.disconnect(on_published)

    assert refresh(page).status == Status.PUBLISHED
    assert published == [page.pk]  # the on-commit callbacks after the failed send still ran
    assert pagecache.generation() > generation
    assert Client().get(page.get_absolute_url()).status_code == 200
    # two review requests, published (签发); and the search index's task (apps.search)
    assert OutboxMessage.objects.pending().count() == 4
    assert broker_queue.drain() == [] and mailoutbox == []

    from apps.core.tasks import deliver_outbox

    with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
        assert deliver_outbox.apply().get() == 4  # the broker is back: beat sends what waited
    broker_queue.run(only="editorial.send_notification")
    assert not OutboxMessage.objects.pending().exists()
    assert sorted(m.to[0] for m in mailoutbox) == sorted([
        "reviewer@example.gov.cn", "reviewer2@example.gov.cn",  # review requested (复审)
        "publisher@example.gov.cn", "publisher2@example.gov.cn",  # review requested (签发)
        "editor@example.gov.cn",  # published (the sign-off published it)
    ])
    assert any(m.subject == "【已发布】高新区营商环境新政" for m in mailoutbox)
