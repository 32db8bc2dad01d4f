"""Unanswered consultations: 3 months from submission (Beijing calendar), warn from 80 %;
a published reply or a refusal ends the clock."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from apps.inspection.indicators import FAIL, PASS, WARN, compute_all
from apps.interaction import actions
from tests.interaction.conftest import desk, site  # noqa: F401  (fixtures)

BEIJING = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 1, 15, 10, 0, tzinfo=BEIJING)
FAIL_AT = datetime(2026, 4, 15, 10, 0, tzinfo=BEIJING)  # three calendar months later
SECOND = timedelta(seconds=1)



def indicator(now):
    return next(r for r in compute_all(now) if r.key == "consultations")


def test_an_unanswered_message_passes_warns_then_fails_at_three_months(desk):  # noqa: F811
    with time_machine.travel(T0, tick=False):
        desk.accepted(subject="孵化器租金补贴何时发放")
    assert indicator(T0 + timedelta(days=30)).status == PASS
    assert indicator(FAIL_AT - SECOND).status == WARN
    result = indicator(FAIL_AT)
    assert result.status == FAIL
    assert len(result.rows) == 1 and "孵化器租金补贴何时发放" in str(result.rows[0])


def test_a_message_not_yet_accepted_counts_too_and_a_refused_one_does_not(desk, people):  # noqa: F811
    with time_machine.travel(T0, tick=False):
        waiting = desk.submitted(subject="尚未受理的留言")
    assert indicator(FAIL_AT).status == FAIL
    actions.reject(waiting, by=desk.agent, reason="重复留言")
    assert indicator(FAIL_AT).status == PASS


def test_a_published_reply_ends_the_clock(desk):  # noqa: F811
    with time_machine.travel(T0, tick=False):
        desk.replied(subject="已答复的留言")
    assert indicator(FAIL_AT).status == PASS
