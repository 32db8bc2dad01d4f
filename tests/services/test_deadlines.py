"""The deadline clock: working days from acceptance on the official calendar,
across the 2026 Spring Festival and a 调休 weekend, with 补正 time excluded;
one reminder and one overdue alert, never twice."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from apps.services import actions, deadlines
from apps.services.models import RequestEvent, ServiceRequest

pytestmark = pytest.mark.django_db
BJ = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=10):
    return dt.datetime(y, m, d, h, tzinfo=BJ)


def test_due_date_across_the_2026_spring_festival_and_its_make_up_saturday():
    # 2026 Spring Festival: 15-23 Feb off; Sat 14 Feb and Sat 28 Feb are make-up working days.
    # Accepted Thu 12 Feb: working days after it are Fri 13, Sat 14 (调休), Tue 24, Wed 25, Thu 26.
    assert deadlines.due_date(at(2026, 2, 12), 5) == dt.date(2026, 2, 26)
    # Accepted Fri 13 Feb with 3 days: Sat 14 (调休), Tue 24, Wed 25.
    assert deadlines.due_date(at(2026, 2, 13), 3) == dt.date(2026, 2, 25)
    # 28 Feb (a Saturday) is a make-up working day: accepted Thu 26, 2 days -> Fri 27, Sat 28.
    assert deadlines.due_date(at(2026, 2, 26), 2) == dt.date(2026, 2, 28)


def test_waiting_for_the_requester_is_excluded():
    # 补正 asked Fri 13 Feb, answered Wed 25 Feb: lost working days are Sat 14, Tue 24, Wed 25.
    assert deadlines.waited(at(2026, 2, 13), at(2026, 2, 25)) == 3
    # Thu 26 Feb plus Fri 27, Sat 28 (调休) and Mon 2 Mar.
    assert deadlines.due_date(at(2026, 2, 12), 5, 3) == dt.date(2026, 3, 2)
    # Asked and answered the same day costs nothing.
    assert deadlines.waited(at(2026, 3, 2, 9), at(2026, 3, 2, 17)) == 0


def test_the_actions_move_the_due_date_by_the_waited_working_days(desk, requests_, monkeypatch):
    clock = {"now": at(2026, 2, 12)}
    monkeypatch.setattr("django.utils.timezone.now", lambda: clock["now"])
    request = requests_.in_progress()
    assert request.due_date == dt.date(2026, 2, 26)
    clock["now"] = at(2026, 2, 13, 15)
    actions.request_supplement(request, by=desk.agent, public_note="请补充租赁合同")
    clock["now"] = at(2026, 2, 25, 11)
    actions.answer_supplement(request, by=desk.user, text="已补充")
    request.refresh_from_db()
    assert request.waited_workdays == 3
    assert request.due_date == dt.date(2026, 3, 2)


def test_admin_entered_overrides_are_honoured(desk, requests_, monkeypatch):
    from apps.core.models import WorkdayOverride

    WorkdayOverride.objects.create(day=dt.date(2026, 3, 2), is_workday=False, name="测试")
    assert deadlines.due_date(at(2026, 2, 27), 1) == dt.date(2026, 2, 28)
    assert deadlines.due_date(at(2026, 2, 28), 1) == dt.date(2026, 3, 3)


def _set_due(request, due):
    ServiceRequest.objects.filter(pk=request.pk).update(due_date=due)


@pytest.fixture
def worker(monkeypatch):
    """The broker is outside the project: a queued task runs at once, as a worker would."""
    from celery import current_app

    import apps.services.tasks  # noqa: F401 - registers the tasks

    monkeypatch.setattr(current_app, "send_task", lambda name, args=(), **kw: current_app.tasks[name](*args))


def test_reminder_and_overdue_alert_are_sent_exactly_once(desk, requests_, mailoutbox, django_capture_on_commit_callbacks, worker):
    request = requests_.in_progress()
    _set_due(request, dt.date(2026, 3, 3))  # a Tuesday; the reminder day is Monday 2 March
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.send_deadline_alerts(today=dt.date(2026, 2, 27)) == {"remind": 0, "overdue_alert": 0}
        assert actions.send_deadline_alerts(today=dt.date(2026, 3, 2)) == {"remind": 1, "overdue_alert": 0}
        assert actions.send_deadline_alerts(today=dt.date(2026, 3, 3)) == {"remind": 0, "overdue_alert": 0}
        assert actions.send_deadline_alerts(today=dt.date(2026, 3, 4)) == {"remind": 0, "overdue_alert": 1}
        assert actions.send_deadline_alerts(today=dt.date(2026, 3, 5)) == {"remind": 0, "overdue_alert": 0}
    subjects = [m.subject for m in mailoutbox]
    assert len(subjects) == 2 and "即将到期" in subjects[0] and "已超期" in subjects[1]
    assert set(mailoutbox[1].to) == {"agent1@example.gov.cn", "boss@example.gov.cn"}
    assert RequestEvent.objects.filter(request=request, kind__in=["remind", "overdue_alert"]).count() == 2


def test_no_alert_while_waiting_or_after_resolution(desk, requests_):
    waiting = requests_.waiting()
    resolved = requests_.resolved()
    _set_due(waiting, dt.date(2026, 1, 5))
    _set_due(resolved, dt.date(2026, 1, 5))
    assert actions.send_deadline_alerts(today=dt.date(2026, 3, 4)) == {"remind": 0, "overdue_alert": 0}


def test_a_failed_send_leaves_the_alert_for_the_next_sweep_and_a_sent_one_is_never_sent_again(desk, requests_):
    from apps.core.deadline_alerts import send_due_alerts

    request = requests_.accepted()
    _set_due(request, dt.date(2026, 3, 2))
    today = dt.date(2026, 3, 3)
    sent = []

    def failing(pk, kind):
        RequestEvent.objects.create(request_id=pk, kind=kind, is_public=False)
        raise RuntimeError("mail queue unavailable")

    rows = ServiceRequest.objects.clock_running()
    with pytest.raises(RuntimeError):
        send_due_alerts(rows, today=today, reminder_day=deadlines.reminder_day, send=failing)
    row = ServiceRequest.objects.get(pk=request.pk)
    assert row.overdue_alert_sent_at is None  # the claim rolled back with the send
    assert not RequestEvent.objects.filter(request=request, kind="overdue_alert").exists()
    counts = send_due_alerts(rows, today=today, reminder_day=deadlines.reminder_day,
                             send=lambda pk, kind: sent.append((pk, kind)))
    assert counts == {"remind": 0, "overdue_alert": 1} and sent == [(request.pk, "overdue_alert")]
    again = send_due_alerts(rows, today=today, reminder_day=deadlines.reminder_day,
                            send=lambda pk, kind: sent.append((pk, kind)))
    assert again == {"remind": 0, "overdue_alert": 0} and len(sent) == 1


def test_overdue_and_due_soon_queries(desk, requests_):
    late = requests_.accepted()
    soon = requests_.accepted()
    _set_due(late, dt.date(2026, 3, 2))
    _set_due(soon, dt.date(2026, 3, 4))
    today = dt.date(2026, 3, 3)
    assert list(ServiceRequest.objects.overdue(today)) == [late]
    assert list(ServiceRequest.objects.due_soon(today, deadlines.due_soon_until(today))) == [soon]
    assert timezone.is_aware(timezone.now())
