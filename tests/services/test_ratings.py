"""好差评: one rating per request, the window, the rectification case and its
working-day deadline, who sees the rater, appeals, and the alerts."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.core.audit import history_of
from apps.core.errors import InvalidTransition, NotAllowed
from apps.core.models import OutboxMessage
from apps.services import actions, rules
from apps.services.models import Appeal, AppealState, CaseState, Rating, Rectification

pytestmark = pytest.mark.django_db

# Monday 2026-03-02, Beijing time: five working days later is Monday 2026-03-09.
MONDAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def on_monday():
    """Every test starts on MONDAY (the clock ticks on): deadlines are checked against a known calendar."""
    with time_machine.travel(MONDAY):
        yield


@pytest.fixture
def resolved(requests_):
    return requests_.resolved()


def test_enterprise_rates_a_resolved_request_once(desk, resolved):
    rating = actions.rate(resolved, by=desk.user, score=5, comment="办事快", efficiency="5", attitude=4)
    assert (rating.score, rating.efficiency, rating.attitude, rating.guide_accuracy) == (5, 5, 4, None)
    assert history_of(rating).get().action == "ratings.rate"
    with pytest.raises(InvalidTransition, match="只能评价一次"):
        actions.rate(resolved, by=desk.colleague, score=1)
    assert Rating.objects.count() == 1
    assert not Rectification.objects.exists()


def test_a_second_rating_is_refused_by_the_database_too(desk, resolved):
    actions.rate(resolved, by=desk.user, score=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(request=resolved, rater=desk.colleague, score=1)


def test_only_the_requesting_enterprise_rates(desk, resolved):
    for who in (desk.other_user, desk.agent, desk.supervisor):
        with pytest.raises(NotAllowed):
            actions.rate(resolved, by=who, score=5)


def test_an_unresolved_request_cannot_be_rated(desk, requests_):
    item = requests_.in_progress()
    with pytest.raises(InvalidTransition, match="办结后才能评价"):
        actions.rate(item, by=desk.user, score=5)


def test_rating_window(desk, resolved, settings):
    settings.PARKPORTAL_RATINGS_WINDOW_DAYS = 30
    with time_machine.travel(MONDAY + dt.timedelta(days=30, minutes=1), tick=False):
        assert not actions.may_rate(desk.user, resolved)
        with pytest.raises(InvalidTransition, match="评价期限已过"):
            actions.rate(resolved, by=desk.user, score=5)
    with time_machine.travel(MONDAY + dt.timedelta(days=29), tick=False):
        assert actions.may_rate(desk.user, resolved)
        actions.rate(resolved, by=desk.user, score=5)
        assert not actions.may_rate(desk.user, resolved)


@pytest.mark.parametrize("data, field", [
    ({"score": ""}, "score"), ({"score": "6"}, "score"), ({"score": "abc"}, "score"),
    ({"score": 5, "efficiency": "0"}, "efficiency"), ({"score": 5, "comment": "<script>x</script>" + "好" * 600}, "comment"),
])
def test_bad_input_writes_nothing(desk, resolved, data, field):
    with pytest.raises(ValidationError) as caught:
        actions.rate(resolved, by=desk.user, **data)
    assert field in caught.value.message_dict
    assert not Rating.objects.exists()


def test_bad_rating_opens_exactly_one_case_due_in_working_days(desk, resolved, settings):
    settings.PARKPORTAL_RATINGS_RECTIFY_WORKDAYS = 5
    # Friday 2026-04-03: Qingming (4 Apr to 6 Apr) is a holiday; five working days are 7, 8, 9, 10, 13 April.
    with time_machine.travel(dt.datetime(2026, 4, 3, 16, 0, tzinfo=MONDAY.tzinfo), tick=False):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(actions.ratings, "window_days", lambda: 60)
            rating = actions.rate(resolved, by=desk.user, score=2, comment="等了很久")
    case = Rectification.objects.get()
    assert case.rating == rating and case.state == CaseState.OPEN and case.deadline_days == 5
    assert case.due_date == dt.date(2026, 4, 13)
    assert OutboxMessage.objects.filter(task_name="services.rectification_alert", args=[case.pk, "opened"]).exists()


def test_rectification_verify_then_report_back_tells_the_enterprise(desk, resolved):
    with time_machine.travel(MONDAY, tick=False):
        actions.rate(resolved, by=desk.user, score=1)
    case = Rectification.objects.get()
    with pytest.raises(NotAllowed):
        actions.verify(case, by=desk.agent, finding="x")
    with pytest.raises(InvalidTransition, match="先回访核实"):
        actions.report_back(case, by=desk.supervisor, fix="改进", report="已整改")
    with pytest.raises(ValidationError):
        actions.verify(case, by=desk.supervisor, finding="  ")
    actions.verify(case, by=desk.supervisor, finding="电话回访：企业反映等待时间长")
    with pytest.raises(ValidationError) as caught:
        actions.report_back(case, by=desk.supervisor, fix="", report="")
    assert set(caught.value.message_dict) == {"fix", "report"}
    case = actions.report_back(case, by=desk.supervisor, fix="增设窗口", report="已增设专门窗口，感谢监督。")
    assert case.state == CaseState.REPORTED and case.reported_at
    event = resolved.events.public().last()
    assert (event.kind, event.public_note) == ("rectification_report", "已增设专门窗口，感谢监督。")
    assert [e.action for e in history_of(case)][:3] == ["ratings.report_back", "ratings.verify", "ratings.open_case"]


def test_staff_who_handled_see_the_rating_but_not_the_rater(desk, resolved):
    actions.rate(resolved, by=desk.user, score=2, comment="态度一般")
    assert list(Rating.objects.visible_to(desk.agent)) == [resolved.rating]
    assert not Rating.objects.visible_to(desk.other_agent).exists()
    assert not Rating.objects.visible_to(desk.user).exists()
    assert not rules.may_see_rater(desk.agent)
    assert rules.may_see_rater(desk.supervisor)
    assert not Rectification.objects.visible_to(desk.agent).exists()
    assert Rectification.objects.visible_to(desk.supervisor).count() == 1


def test_appeal_upheld_takes_the_rating_out_of_the_count_and_cancels_the_case(desk, resolved, make_user):
    rating = actions.rate(resolved, by=desk.user, score=1, comment="恶意")
    with pytest.raises(NotAllowed):
        actions.file_appeal(rating, by=desk.other_agent, reason="x")
    appeal = actions.file_appeal(rating, by=desk.agent, reason="与办理无关的辱骂")
    with pytest.raises(InvalidTransition, match="待裁定"):
        actions.file_appeal(rating, by=desk.agent, reason="再次")
    with pytest.raises(NotAllowed):
        actions.decide_appeal(appeal, by=desk.agent, upheld=True, reason="x")
    with pytest.raises(ValidationError):
        actions.decide_appeal(appeal, by=desk.supervisor, upheld=True, reason="")
    appeal = actions.decide_appeal(appeal, by=desk.supervisor, upheld=True, reason="经核实属恶意评价")
    assert appeal.state == AppealState.UPHELD
    assert Rating.objects.filter(pk=rating.pk).exists()
    assert not Rating.objects.counted().exists()
    assert Rectification.objects.get().state == CaseState.CANCELLED
    with pytest.raises(InvalidTransition):
        actions.decide_appeal(appeal, by=desk.supervisor, upheld=False, reason="改判")


def test_appeal_refused_keeps_the_rating_counted(desk, resolved):
    rating = actions.rate(resolved, by=desk.user, score=2)
    appeal = actions.file_appeal(rating, by=desk.agent, reason="不是恶意")
    actions.decide_appeal(appeal, by=desk.supervisor, upheld=False, reason="评价属实")
    assert Rating.objects.counted().count() == 1
    assert Rectification.objects.get().state == CaseState.OPEN
    assert Appeal.objects.get().state == AppealState.REFUSED
    actions.file_appeal(rating, by=desk.agent, reason="补充证据")  # a new appeal may follow a refusal


def test_a_supervisor_cannot_decide_their_own_appeal(desk, resolved):
    rating = actions.rate(resolved, by=desk.user, score=2)
    appeal = actions.file_appeal(rating, by=desk.supervisor, reason="恶意")
    with pytest.raises(NotAllowed, match="自己提出"):
        actions.decide_appeal(appeal, by=desk.supervisor, upheld=True, reason="x")


def test_the_appeal_predicates_answer_as_the_actions_do(desk, resolved, make_user):
    other_supervisor = make_user("supervisor2", roles=["service_supervisor"])
    rating = actions.rate(resolved, by=desk.user, score=1)
    assert rules.may_file_appeal(desk.supervisor, rating) and not rules.may_file_appeal(desk.other_agent, rating)
    own = actions.file_appeal(rating, by=desk.supervisor, reason="恶意")
    assert not rules.may_file_appeal(desk.agent, rating)  # one is pending
    assert not rules.may_decide_appeal(desk.supervisor, own) and not rules.may_decide_appeal(desk.agent, own)
    assert rules.may_decide_appeal(other_supervisor, own)
    own = actions.decide_appeal(own, by=other_supervisor, upheld=False, reason="评价属实")
    assert not rules.may_decide_appeal(other_supervisor, own)
    assert rules.may_file_appeal(desk.agent, rating)
    appeal = actions.file_appeal(rating, by=desk.agent, reason="补充证据")
    actions.decide_appeal(appeal, by=desk.supervisor, upheld=True, reason="属实")
    rating.refresh_from_db()
    assert not rules.may_file_appeal(desk.agent, rating)  # upheld: out of the count


def test_rectification_reminder_and_overdue_alert_once_each(desk, resolved, settings):
    settings.PARKPORTAL_SERVICES_REMIND_WORKDAYS = 1
    with time_machine.travel(MONDAY, tick=False):
        actions.rate(resolved, by=desk.user, score=1)
    case = Rectification.objects.get()
    assert case.due_date == dt.date(2026, 3, 9)
    assert actions.send_rectification_alerts(today=dt.date(2026, 3, 5)) == {"remind": 0, "overdue_alert": 0}
    assert actions.send_rectification_alerts(today=dt.date(2026, 3, 6)) == {"remind": 1, "overdue_alert": 0}
    assert actions.send_rectification_alerts(today=dt.date(2026, 3, 6)) == {"remind": 0, "overdue_alert": 0}
    assert actions.send_rectification_alerts(today=dt.date(2026, 3, 10)) == {"remind": 0, "overdue_alert": 1}
    assert actions.send_rectification_alerts(today=dt.date(2026, 3, 11)) == {"remind": 0, "overdue_alert": 0}
    kinds = sorted(m.args[1] for m in OutboxMessage.objects.filter(task_name="services.rectification_alert"))
    assert kinds == ["opened", "overdue_alert", "remind"]


def test_rectification_mail_goes_to_supervisors_without_the_rater(desk, resolved, mailoutbox):
    from apps.services.mail import send_rectification_alert

    actions.rate(resolved, by=desk.user, score=1, comment="很差")
    case = Rectification.objects.get()
    assert send_rectification_alert(case.pk, "opened") == 1
    message = mailoutbox[-1]
    assert message.to == [desk.supervisor.email]
    assert resolved.tracking_number in message.subject
    assert desk.user.username not in message.body and desk.user.email not in message.body


def test_resolve_records_working_days_used(desk, requests_):
    with time_machine.travel(MONDAY, tick=False):
        item = requests_.in_progress()
    with time_machine.travel(MONDAY + dt.timedelta(days=3), tick=False):
        item = actions.resolve(item, by=desk.agent, public_note="已办结")
    assert item.workdays_used == 3


def test_the_report_back_mail_reaches_the_enterprise(desk, resolved, mailoutbox):
    from apps.services.mail import send_change_mail

    rating = actions.rate(resolved, by=desk.user, score=1)
    actions.verify(rating.rectification, by=desk.supervisor, finding="属实")
    actions.report_back(rating.rectification, by=desk.supervisor, fix="内部措施", report="已整改完毕。")
    event = resolved.events.public().last()
    assert send_change_mail(resolved.pk, event.pk) == 2  # both accounts of the enterprise
    message = mailoutbox[-1]
    assert "差评整改反馈" in message.subject and "已整改完毕。" in message.body and "内部措施" not in message.body
