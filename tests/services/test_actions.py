"""Every transition of a request: who may, from which state, the audit row, the
event with its notes, and the mail queued after commit."""

import re

import pytest

from apps.core.errors import InvalidTransition, NotAllowed
from apps.core.models import AuditEntry
from apps.services import actions
from apps.services.models import RequestEvent, ServiceRequest, State
from apps.services.tracking import ALPHABET

pytestmark = pytest.mark.django_db


def audit_actions(request):
    return list(AuditEntry.objects.filter(object_id=str(request.pk), action__startswith="service_requests.")
                .order_by("pk").values_list("action", flat=True))


def test_submission_gets_a_readable_unguessable_tracking_number(requests_):
    numbers = {requests_.submitted().tracking_number for _ in range(5)}
    assert len(numbers) == 5
    for number in numbers:
        assert re.fullmatch(rf"GX\d{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{2}}", number)


def test_submit_writes_request_event_audit_and_queues_mail_after_commit(desk, requests_, django_capture_on_commit_callbacks, monkeypatch):
    from celery import current_app

    sent = []  # the broker is outside the project: record what it is handed
    monkeypatch.setattr(current_app, "send_task", lambda name, args=None, kwargs=None, **kw: sent.append((name, args)))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        request = requests_.submitted()
        assert sent == []  # nothing leaves before commit
    for callback in callbacks:
        callback()
    assert request.state == State.SUBMITTED and request.enterprise_id == desk.enterprise.pk
    assert request.department == desk.service.department
    assert request.materials.count() == 1
    assert audit_actions(request) == ["service_requests.submit"]
    event = RequestEvent.objects.get(request=request)
    assert sent == [("services.notify", [request.pk, event.pk])]


def test_only_an_enterprise_account_may_submit(desk, requests_):
    from tests.services.conftest import valid_submission

    for person in (desk.agent, desk.supervisor, desk.editor):
        with pytest.raises(NotAllowed):
            actions.submit_request(desk.service, by=person, **valid_submission(desk))
    assert ServiceRequest.objects.count() == 0


def test_supervisor_assigns_and_reassignment_is_audited_and_internal(desk, requests_):
    request = requests_.submitted()
    actions.assign(request, by=desk.supervisor, to=desk.agent)
    actions.assign(request, by=desk.supervisor, to=desk.other_agent)
    assert ServiceRequest.objects.get(pk=request.pk).assignee == desk.other_agent
    assert audit_actions(request)[-2:] == ["service_requests.assign", "service_requests.reassign"]
    assert not RequestEvent.objects.public().filter(kind__in=["assign", "reassign"]).exists()


@pytest.mark.parametrize("who", ["agent", "other_agent", "user", "editor"])
def test_only_a_supervisor_assigns(desk, requests_, who):
    request = requests_.submitted()
    with pytest.raises(NotAllowed):
        actions.assign(request, by=getattr(desk, who), to=desk.agent)


def test_agent_takes_an_unassigned_request_of_their_department_only(desk, requests_):
    request = requests_.submitted()
    with pytest.raises(NotAllowed):
        actions.take(request, by=desk.other_agent)
    actions.take(request, by=desk.agent)
    with pytest.raises(InvalidTransition):
        actions.take(request, by=desk.supervisor)
    assert ServiceRequest.objects.get(pk=request.pk).assignee == desk.agent


def test_accept_starts_the_clock_and_a_second_accept_is_refused(desk, requests_):
    request = requests_.accepted()
    assert request.state == State.ACCEPTED and request.due_date is not None and request.assignee == desk.agent
    with pytest.raises(InvalidTransition, match="已被他人受理"):
        actions.accept(ServiceRequest.objects.get(pk=request.pk), by=desk.supervisor)


@pytest.mark.parametrize("who", ["other_agent", "user", "other_user", "editor"])
def test_accept_refused_to_people_outside_the_department(desk, requests_, who):
    request = requests_.submitted()
    with pytest.raises(NotAllowed):
        actions.accept(request, by=getattr(desk, who))
    assert ServiceRequest.objects.get(pk=request.pk).state == State.SUBMITTED


def test_an_agent_of_another_department_may_act_once_assigned(desk, requests_):
    request = requests_.submitted()
    actions.assign(request, by=desk.supervisor, to=desk.other_agent)
    actions.accept(request, by=desk.other_agent)


def test_the_whole_path_with_public_and_internal_notes(desk, requests_):
    request = requests_.waiting()
    actions.answer_supplement(request, by=desk.colleague, text="已补充租赁合同", files=[])
    actions.resolve(request, by=desk.agent, public_note="变更登记已完成", internal_note="内部：不要外传")
    actions.close(request, by=desk.supervisor)
    request.refresh_from_db()
    assert request.state == State.CLOSED
    public = list(RequestEvent.objects.public().filter(request=request))
    assert [e.to_state for e in public] == ["", State.ACCEPTED, State.IN_PROGRESS, State.WAITING, State.IN_PROGRESS,
                                           State.RESOLVED, State.CLOSED]
    assert all("内部" not in e.public_note for e in public)
    assert RequestEvent.objects.filter(request=request, internal_note__startswith="内部").count() == 2
    assert audit_actions(request) == [
        "service_requests.submit", "service_requests.accept", "service_requests.start",
        "service_requests.request_supplement", "service_requests.answer_supplement", "service_requests.resolve",
        "service_requests.close",
    ]


def test_supplement_needs_a_public_note_and_answer_only_by_the_enterprise(desk, requests_):
    request = requests_.in_progress()
    with pytest.raises(InvalidTransition):
        actions.request_supplement(request, by=desk.agent, public_note="  ")
    actions.request_supplement(request, by=desk.agent, public_note="请补充材料")
    with pytest.raises(NotAllowed):
        actions.answer_supplement(request, by=desk.other_user, text="不是我的")
    with pytest.raises(NotAllowed):
        actions.answer_supplement(request, by=desk.agent, text="代答")


def test_withdraw_only_before_acceptance_and_only_by_the_enterprise(desk, requests_):
    request = requests_.submitted()
    with pytest.raises(NotAllowed):
        actions.withdraw(request, by=desk.other_user)
    actions.withdraw(request, by=desk.user)
    assert ServiceRequest.objects.get(pk=request.pk).state == State.WITHDRAWN
    accepted = requests_.accepted()
    with pytest.raises(InvalidTransition):
        actions.withdraw(accepted, by=desk.user)


def test_reject_duplicate_and_refer(desk, requests_):
    original = requests_.accepted()
    dup = requests_.submitted()
    actions.mark_duplicate(dup, by=desk.agent, original=original)
    dup.refresh_from_db()
    assert dup.state == State.DUPLICATE and dup.duplicate_of == original
    referred = requests_.submitted()
    with pytest.raises(InvalidTransition):
        actions.refer(referred, by=desk.agent, department=" ")
    actions.refer(referred, by=desk.agent, department="自治区市场监督管理局")
    assert ServiceRequest.objects.get(pk=referred.pk).referred_to == "自治区市场监督管理局"
    rejected = requests_.waiting()
    with pytest.raises(InvalidTransition):
        actions.reject(rejected, by=desk.agent, public_note="")
    actions.reject(rejected, by=desk.agent, public_note="不属于本中心受理范围")
    rejected.refresh_from_db()
    assert rejected.state == State.REJECTED and rejected.waiting_since is None


def test_final_states_refuse_further_changes(desk, requests_):
    request = requests_.resolved()
    for call in (lambda: actions.start(request, by=desk.agent), lambda: actions.accept(request, by=desk.agent),
                 lambda: actions.request_supplement(request, by=desk.agent, public_note="x"),
                 lambda: actions.reject(request, by=desk.agent, public_note="x")):
        with pytest.raises(InvalidTransition):
            call()


def test_the_database_refuses_a_duplicate_without_original(desk, requests_):
    from django.db import IntegrityError, transaction

    request = requests_.submitted()
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRequest.objects.filter(pk=request.pk).update(state=State.DUPLICATE)
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRequest.objects.filter(pk=request.pk).update(state=State.WAITING)


def test_notes_with_html_are_refused(desk, requests_):
    request = requests_.accepted()
    with pytest.raises(InvalidTransition, match="HTML"):
        actions.start(request, by=desk.agent, public_note="<script>alert(1)</script>")
    assert ServiceRequest.objects.get(pk=request.pk).state == State.ACCEPTED


def test_internal_note_is_never_in_the_enterprise_mail(desk, requests_, mailoutbox):
    from apps.services.mail import send_change_mail

    request = requests_.resolved()
    event = RequestEvent.objects.get(request=request, kind="resolve")
    assert send_change_mail(request.pk, event.pk) == 2  # both accounts of the enterprise
    assert all("内部" not in m.body and "已办结" in m.body for m in mailoutbox)
    assert {m.to[0] for m in mailoutbox} == {"ent@example.com", "colleague@example.com"}
    # An internal-only event is not mailed at all.
    note = actions.add_internal_note(request, by=desk.agent, internal_note="内部：仅员工可见")
    internal = RequestEvent.objects.filter(request=note, kind="note").get()
    assert send_change_mail(request.pk, internal.pk) == 0


def test_broker_down_is_logged_not_raised(desk, requests_, django_capture_on_commit_callbacks, monkeypatch, caplog):
    from celery import current_app

    def boom(*a, **k):
        raise ConnectionError("broker down")

    from apps.core.models import OutboxMessage

    monkeypatch.setattr(current_app, "send_task", boom)
    with django_capture_on_commit_callbacks(execute=True):
        request = requests_.submitted()
    assert ServiceRequest.objects.filter(pk=request.pk).exists()
    assert "broker refused services.notify" in caplog.text
    # Nothing is lost: the mail waits in the outbox for beat's delivery once the broker is back.
    pending = OutboxMessage.objects.pending().get(task_name="services.notify")
    assert pending.args[0] == request.pk and pending.attempts == 1
