"""The desk: who may accept, route, reject and reply; the deadline on the working-day
calendar; reminders and overdue alerts once each; the audit trail."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from apps.core.errors import InvalidTransition, NotAllowed
from apps.core.models import AuditEntry, OutboxMessage
from apps.core.workdays import SHANGHAI
from apps.editorial import actions as editorial
from apps.interaction import actions
from apps.interaction.models import Consultation, Message

from .conftest import PERSONAL

PERSONAL_PHONE = PERSONAL["phone"]

pytestmark = pytest.mark.django_db


def test_only_the_desk_accepts_and_two_cannot_accept_the_same_message(desk, people):
    message = desk.submitted()
    with pytest.raises(NotAllowed):
        actions.accept(message, by=people.editor, department="人才办")
    accepted = actions.accept(message, by=desk.agent, department="人才办")
    assert accepted.state == "accepted" and accepted.due_date and accepted.accepted_by == desk.agent
    with pytest.raises(InvalidTransition):
        actions.accept(message, by=desk.agent, department="人才办")
    assert AuditEntry.objects.filter(action="interaction.accept", actor=desk.agent).count() == 1


def test_accepting_needs_a_department_and_rejecting_a_reason(desk):
    with pytest.raises(ValidationError):
        actions.accept(desk.submitted(), by=desk.agent, department=" ")
    with pytest.raises(ValidationError):
        actions.reject(desk.submitted(), by=desk.agent, reason="")
    rejected = actions.reject(desk.submitted(), by=desk.agent, reason="与园区工作无关")
    assert rejected.state == "rejected" and rejected.rejection_reason == "与园区工作无关"


def test_routing_changes_the_replying_department_of_the_draft_too(desk):
    message = desk.accepted(department="人才办")
    consultation = actions.draft_reply(message, by=desk.agent, reply="<p>答复</p>")
    actions.route(message, by=desk.agent, department="经济发展局")
    from apps.editorial.snapshots import materialize  # noqa: F401
    latest = type(consultation)._base_manager.get(pk=consultation.pk).latest_revision.snapshot
    assert latest["fields"]["department"] == "经济发展局"
    assert Message.objects.get(pk=message.pk).department == "经济发展局"


def test_the_reply_goes_through_review_and_its_author_cannot_approve_it(desk, people):
    message = desk.accepted()
    with pytest.raises(NotAllowed):
        actions.draft_reply(message, by=people.editor, reply="<p>x</p>")
    consultation = actions.draft_reply(message, by=desk.agent, reply="<p>答复</p>")
    editorial.submit(consultation, by=desk.agent)
    with pytest.raises(NotAllowed):
        editorial.approve(consultation, by=desk.agent)
    assert not Message.objects.get(pk=message.pk).reply_published
    editorial.approve(consultation, by=people.reviewer)
    editorial.approve(consultation, by=people.publisher, publish=False)
    editorial.publish(consultation, by=people.publisher2)
    assert Message.objects.get(pk=message.pk).reply_published


def test_the_reply_is_due_on_working_days_across_the_spring_festival(desk, settings):
    settings.PARKPORTAL_INTERACTION_REPLY_WORKDAYS = 5
    with time_machine.travel(dt.datetime(2026, 2, 12, 10, 0, tzinfo=SHANGHAI), tick=False):
        message = desk.accepted()
    # Fri 13, Sat 14 (调休 working day), the holiday to Mon 23, then Tue 24, Wed 25, Thu 26
    assert message.due_date == dt.date(2026, 2, 26)


def test_one_reminder_and_one_overdue_alert_on_the_working_day_calendar(desk, settings):
    settings.PARKPORTAL_INTERACTION_REPLY_WORKDAYS = 5
    settings.PARKPORTAL_INTERACTION_REMIND_WORKDAYS = 2
    with time_machine.travel(dt.datetime(2026, 2, 12, 10, 0, tzinfo=SHANGHAI), tick=False):
        message = desk.accepted()
        answered = desk.replied()
    alerts = OutboxMessage.objects.filter(task_name="interaction.alert")
    assert actions.send_deadline_alerts(today=dt.date(2026, 2, 23)) == {"remind": 0, "overdue_alert": 0}  # a holiday
    assert actions.send_deadline_alerts(today=dt.date(2026, 2, 24)) == {"remind": 1, "overdue_alert": 0}
    assert actions.send_deadline_alerts(today=dt.date(2026, 2, 25)) == {"remind": 0, "overdue_alert": 0}
    assert actions.send_deadline_alerts(today=dt.date(2026, 2, 26)) == {"remind": 0, "overdue_alert": 0}  # due today
    assert actions.send_deadline_alerts(today=dt.date(2026, 2, 27)) == {"remind": 0, "overdue_alert": 1}
    assert actions.send_deadline_alerts(today=dt.date(2026, 3, 2)) == {"remind": 0, "overdue_alert": 0}
    assert sorted(tuple(a.args) for a in alerts) == [(message.pk, "overdue_alert"), (message.pk, "remind")]
    assert answered.message_id not in {a.args[0] for a in alerts}


def test_alert_mail_goes_to_the_desk(desk, mailoutbox):
    from apps.interaction.mail import send_alert

    message = desk.accepted()
    assert send_alert(message.pk, "overdue_alert") >= 1
    mail = mailoutbox[-1]
    assert "超期" in mail.subject and desk.agent.email in mail.to
    assert message.tracking_number in mail.body


def test_the_admin_desk_acts_through_the_actions(client, desk, people):
    message = desk.submitted()
    url = f"/admin/interaction/message/{message.pk}/change/"
    client.force_login(people.editor)
    assert client.get(url).status_code in (403, 404)
    client.force_login(desk.agent)
    page = client.get(url)
    assert page.status_code == 200 and message.name in page.content.decode()
    assert client.post(url, {"action": "accept", "department": ""}).status_code == 400
    assert client.post(url, {"action": "accept", "department": "人才办"}).status_code == 302
    assert client.post(url, {"action": "accept", "department": "人才办"}).status_code == 409
    response = client.post(url, {"action": "reply", "reply": "您好，\n\n已转人才办办理。", "question": "请问人才公寓？"})
    assert response.status_code == 302
    consultation = Message.objects.get(pk=message.pk).consultation
    assert "<p>已转人才办办理。</p>" in consultation.reply and consultation.question == "请问人才公寓？"
    assert response["Location"] == f"/admin/interaction/consultation/{consultation.pk}/change/"
    editing = client.get(response["Location"])
    assert editing.status_code == 200 and "提交审核" in editing.content.decode()
    assert PERSONAL_PHONE not in editing.content.decode()


def test_a_reply_drafted_once_is_edited_on_its_own_page_not_flattened_by_the_message_page(client, desk):
    from apps.interaction import actions

    message = desk.accepted()
    rich = '<p>请见<a href="https://www.example.gov.cn/zc/">人才政策</a>：</p><ul><li>人才公寓</li></ul>'
    consultation = actions.draft_reply(message, by=desk.agent, reply=rich)
    url = f"/admin/interaction/message/{message.pk}/change/"
    client.force_login(desk.agent)
    page = client.get(url).content.decode()
    assert f"/admin/interaction/consultation/{consultation.pk}/change/" in page
    assert 'name="reply"' not in page  # no plain-text form over the rich reply
    response = client.post(url, {"action": "reply", "reply": "请见人才政策：人才公寓"})
    assert response.status_code == 409 and "请在答复页面修改" in response.content.decode()
    assert Consultation._base_manager.get(pk=consultation.pk).reply == rich


def test_the_desk_recipients_are_those_who_may_handle_messages(desk, people):
    from apps.interaction.mail import desk_recipients

    recipients = desk_recipients(desk.accepted())
    assert desk.agent.email in recipients and people.superuser.email in recipients
    assert people.editor.email not in recipients
    people.superuser.is_active = False
    people.superuser.save(update_fields=["is_active"])
    assert people.superuser.email not in desk_recipients(desk.submitted())


def test_the_admin_desk_cleans_pasted_pinyin_like_the_other_action_pages(client, desk):
    message = desk.submitted()
    client.force_login(desk.agent)
    url = f"/admin/interaction/message/{message.pk}/change/"
    assert client.post(url, {"action": "accept", "department": "人才办(bàn)"}).status_code == 302
    assert Message.objects.get(pk=message.pk).department == "人才办"
    response = client.post(url, {"action": "reply", "reply": "  "})
    assert response.status_code == 400 and "请填写答复内容。" in response.content.decode()
