"""Issue 10, item 3 end to end: the broker dies; staff upload an image, start a large
import, and take a page through submit, approve, approve (the 签发 held: 暂不发布) and publish. Every answer
is the normal one, the page is public at once, and every task those actions queued
waits in the outbox. When the broker comes back, beat's ``core.deliver_outbox``
sends them and the running worker (which lost its broker too) does them: the image
is rendered, the import analysed, each mail delivered exactly once.

The broker is a private redis-server (tests/faults/conftest.py), SIGKILLed and
started again on the same port; the worker and beat run the whole time.
"""

import shutil
import time
from collections import Counter
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from apps.core.models import OutboxMessage
from apps.editorial.models import Status
from apps.enterprises import actions as enterprise_actions
from apps.enterprises.models import ImportJob, ImportStatus
from apps.media.models import Image
from apps.media.models import Status as MediaStatus
from tests.editorial.conftest import refresh
from tests.enterprises.conftest import kinds  # noqa: F401 - fixture
from tests.enterprises.test_import_admin import csv_file, job_of, rows, upload
from tests.media import samples

from . import settings as fault_settings
from .conftest import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

MAILS = {  # the page's workflow mails: review requested (复审, 签发), approved, published
    "reviewer@example.gov.cn": 1, "reviewer2@example.gov.cn": 1,
    "publisher@example.gov.cn": 1, "publisher2@example.gov.cn": 1,
    "editor@example.gov.cn": 2,
}


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def mailbox():
    """The worker's mail (file backend of tests.faults.settings), empty at the start."""
    folder = Path(fault_settings.EMAIL_FILE_PATH)
    shutil.rmtree(folder, ignore_errors=True)

    def recipients() -> Counter:
        found = Counter()
        for path in folder.glob("*.log") if folder.exists() else ():
            for line in path.read_text(errors="replace").splitlines():
                if line.startswith("To: "):
                    found[line[4:].strip()] += 1
        return found

    yield recipients
    shutil.rmtree(folder, ignore_errors=True)


def test_with_the_broker_down_actions_answer_normally_and_their_tasks_and_mail_follow_when_it_returns(
    stack, broker, people, pages, kinds, mailbox, monkeypatch, check
):
    stack.worker(concurrency=2)
    stack.beat()
    page = pages.draft(title="高新区营商环境新政")
    monkeypatch.setattr(enterprise_actions, "SYNC_ROW_LIMIT", 3)  # 5 rows: the worker's task analyses it

    broker.stop()
    check(broker.process is None and stack.processes[0].popen.poll() is None,
          f"broker (private redis-server on port {broker.port}) SIGKILLed; worker and beat keep running")

    editor = client_for(people.editor)
    started = time.monotonic()
    response = editor.post(reverse("admin:media_image_add"),
                           {"upload": samples.photo(), "alt_text": "园区大门", "title": "园区大门"})
    image = Image.objects.get()
    check(response.status_code == 302 and image.status == MediaStatus.PENDING,
          f"upload: {response.status_code} in {time.monotonic() - started:.1f} s, the image saved as {image.status}")

    started = time.monotonic()
    job = job_of(upload(editor, csv_file(rows(5))))
    check(job.status == ImportStatus.ANALYSING,
          f"large import: 302 in {time.monotonic() - started:.1f} s, job #{job.pk} {job.status}, waiting for the worker")

    url = lambda code: reverse("admin:pages_page_workflow", args=[page.pk, code])  # noqa: E731
    for who, code, data in (("editor", "submit", {"note": ""}), ("reviewer", "approve", {"note": "事实无误"}),
                            ("publisher", "approve", {"hold": "1"}), ("publisher2", "publish", {})):
        client, started = client_for(getattr(people, who)), time.monotonic()
        response = client.post(url(code), data)
        check(response.status_code == 302, f"{code} by {who}: {response.status_code} in {time.monotonic() - started:.1f} s")
    page = refresh(page)
    check(page.status == Status.PUBLISHED, f"the page is {page.status}")
    public = Client().get(page.get_absolute_url())
    check(public.status_code == 200 and "高新区营商环境新政" in public.content.decode(),
          f"the public page answers {public.status_code} with the new page")

    pending = Counter(OutboxMessage.objects.pending().values_list("task_name", flat=True))
    expected = {"media.render_image": 1, "enterprises.analyse_import": 1, "editorial.send_notification": 4,
                "search.index_items": 1}
    check(pending == expected, f"waiting in the outbox: {dict(pending)}")
    check(not mailbox(), "no mail sent while the broker is down")

    broker.start()
    check(broker.process.poll() is None, f"broker started again on port {broker.port}")

    def all_done():
        return (not OutboxMessage.objects.pending().exists()
                and Image.objects.filter(status=MediaStatus.READY).exists()
                and ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEWED).exists()
                and sum(mailbox().values()) >= sum(MAILS.values()))

    done, seconds = wait_until(all_done, timeout=120, interval=0.5)
    check(not OutboxMessage.objects.pending().exists(),
          f"the outbox is empty {seconds:.1f} s after the broker returned "
          f"({OutboxMessage.objects.filter(sent_at__isnull=False).count()} messages sent)")
    image.refresh_from_db()
    check(image.status == MediaStatus.READY and image.renditions.count() == 12,
          f"the image was rendered ({image.status}, {image.renditions.count()} renditions)")
    job.refresh_from_db()
    check(job.status == ImportStatus.PREVIEWED and sum(job.counts.values()) >= 5,
          f"the import was analysed by the worker ({job.status}, counts {job.counts})")
    check(done, "every task done")
    time.sleep(3)  # a moment more (beat delivers every 2 s): a duplicate delivery would show now
    received = mailbox()
    check(dict(received) == MAILS, f"each mail delivered exactly once: {dict(received)}")
