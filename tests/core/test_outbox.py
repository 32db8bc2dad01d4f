"""The outbox: work an action queues is written in its transaction, sent after
commit, and re-sent by beat when the broker was down; a dead broker never
raises into the caller. The dead broker is real: a Redis URL where nothing listens."""

import contextlib
import os
from datetime import timedelta

import pytest
import time_machine
from celery import Celery
from django.db import transaction
from django.utils import timezone

from apps.core import outbox
from apps.core.models import OutboxMessage

NOTHING_LISTENS = "redis://127.0.0.1:1/0"  # connection refused on loopback


@contextlib.contextmanager
def broker_down():
    """Make the current Celery app one whose broker refuses connections."""
    from parkportal.celery import app

    # Celery reads CELERY_BROKER_URL from the environment before its configuration.
    saved = os.environ.pop("CELERY_BROKER_URL", None)
    down = Celery("broker-down", broker=NOTHING_LISTENS, set_as_current=False)
    down.conf.broker_connection_timeout = 1
    down.conf.broker_connection_retry = False
    down.set_current()
    try:
        yield down
    finally:
        app.set_current()
        if saved is not None:
            os.environ["CELERY_BROKER_URL"] = saved


def names(messages):
    return [name for name, _args, _kwargs in messages]


def test_a_message_is_sent_after_commit_and_marked_sent(db, django_capture_on_commit_callbacks, broker_queue):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            message = outbox.enqueue("core.prune_heartbeats")
    assert OutboxMessage.objects.pending().filter(pk=message.pk).exists()
    assert broker_queue.drain() == []  # nothing before commit
    for callback in callbacks:
        callback()
    assert names(broker_queue.drain()) == ["core.prune_heartbeats"]
    sent = OutboxMessage.objects.get(pk=message.pk)
    assert sent.sent_at is not None and sent.attempts == 1


def test_a_rolled_back_transaction_leaves_nothing_to_send(db, django_capture_on_commit_callbacks, broker_queue):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            outbox.enqueue("core.prune_heartbeats")
            1 / 0
    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    assert broker_queue.drain() == []


def test_a_dead_broker_is_logged_not_raised_and_beat_delivers_later_exactly_once(
    db, django_capture_on_commit_callbacks, broker_queue, caplog
):
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue("core.prune_heartbeats", 1, flag=True)  # no exception escapes
    pending = OutboxMessage.objects.get(pk=message.pk)
    assert pending.sent_at is None and pending.attempts == 1 and pending.last_error
    assert "outbox: broker refused core.prune_heartbeats" in caplog.text

    later = timezone.now() + timedelta(minutes=1)
    with broker_down(), time_machine.travel(later, tick=False):
        assert outbox.deliver_pending() == 0  # still down: stays pending
    assert OutboxMessage.objects.get(pk=message.pk).sent_at is None

    from apps.core.tasks import deliver_outbox

    with time_machine.travel(later, tick=False):
        assert deliver_outbox.apply().get() == 1  # the broker is back
        assert deliver_outbox.apply().get() == 0  # sent once, not again
    assert broker_queue.drain() == [("core.prune_heartbeats", (1,), {"flag": True})]
    assert OutboxMessage.objects.get(pk=message.pk).sent_at is not None


def test_beat_leaves_a_fresh_message_to_its_own_after_commit_send(db):
    OutboxMessage.objects.create(task_name="core.prune_heartbeats")
    assert outbox.deliver_pending() == 0


def test_sent_messages_are_pruned_after_a_week(db):
    old = OutboxMessage.objects.create(task_name="x", sent_at=timezone.now() - timedelta(days=8))
    recent = OutboxMessage.objects.create(task_name="x", sent_at=timezone.now() - timedelta(days=1))
    pending = OutboxMessage.objects.create(task_name="x")
    assert outbox.prune_sent() == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}
    assert old.pk not in OutboxMessage.objects.values_list("pk", flat=True)


def test_only_superusers_see_the_outbox_in_the_admin_and_nobody_edits_it(db, make_user):
    from django.test import Client
    from django.urls import reverse

    message = OutboxMessage.objects.create(task_name="editorial.send_notification", last_error="OperationalError")
    root, site_admin = Client(), Client()
    root.force_login(make_user("root", superuser=True))
    site_admin.force_login(make_user("siteadmin", roles=["site_admin"]))
    assert root.get(reverse("admin:core_outboxmessage_changelist")).status_code == 200
    assert root.get(reverse("admin:core_outboxmessage_change", args=[message.pk])).status_code == 200
    assert root.get(reverse("admin:core_outboxmessage_delete", args=[message.pk])).status_code == 403
    assert site_admin.get(reverse("admin:core_outboxmessage_changelist")).status_code == 403
