"""A round's state at the exact boundaries (Beijing time, whatever the machine's zone),
closing soon, 常年受理, the days-left count, and the page cache's next change."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from apps.core import pagecache
from apps.talent.models import ApplicationRound, RoundState
from apps.talent.schedule import next_round_change

from .conftest import beijing, round_row

pytestmark = pytest.mark.django_db

OPENS = beijing(2026, 3, 1, 9, 0, 0)
CLOSES = beijing(2026, 3, 31, 17, 30, 0)
SECOND = dt.timedelta(seconds=1)
SOON = CLOSES - dt.timedelta(days=7)


@pytest.mark.parametrize(("moment", "state"), [
    (OPENS - SECOND, RoundState.UPCOMING),
    (OPENS, RoundState.OPEN),
    (OPENS + SECOND, RoundState.OPEN),
    (SOON - SECOND, RoundState.OPEN),
    (SOON, RoundState.CLOSING_SOON),
    (CLOSES - SECOND, RoundState.CLOSING_SOON),
    (CLOSES, RoundState.CLOSED),
    (CLOSES + SECOND, RoundState.CLOSED),
])
def test_round_state_at_the_boundaries(programmes, moment, state):
    programmes.published(rounds=[round_row(opens=OPENS, closes=CLOSES)])
    round_ = ApplicationRound.objects.get()
    with time_machine.travel(moment, tick=False):
        from django.utils import timezone

        now = timezone.now()
        assert round_.state_at(now) == state
        rules = {
            RoundState.UPCOMING: ApplicationRound.objects.upcoming_at(now),
            RoundState.CLOSED: ApplicationRound.objects.closed_at(now),
        }
        is_open = ApplicationRound.objects.public().open_at(now).exists()
        assert is_open == (state in (RoundState.OPEN, RoundState.CLOSING_SOON))
        assert ApplicationRound.objects.closing_soon_at(now).exists() == (state == RoundState.CLOSING_SOON)
        for rule_state, queryset in rules.items():
            assert queryset.exists() == (state == rule_state)


def test_boundaries_are_beijing_time_not_utc_or_xinjiang_time(programmes):
    programmes.published(rounds=[round_row(opens=OPENS, closes=CLOSES)])
    round_ = ApplicationRound.objects.get()
    # 17:30 Beijing is 09:30 UTC and 15:30 in Asia/Urumqi (UTC+6).
    assert round_.closes_at == dt.datetime(2026, 3, 31, 9, 30, tzinfo=dt.timezone.utc)
    assert round_.state_at(dt.datetime(2026, 3, 31, 9, 29, 59, tzinfo=dt.timezone.utc)) == RoundState.CLOSING_SOON
    assert round_.state_at(dt.datetime(2026, 3, 31, 9, 30, 0, tzinfo=dt.timezone.utc)) == RoundState.CLOSED


def test_closing_soon_period_is_a_setting(programmes, settings):
    settings.PARKPORTAL_TALENT_CLOSING_SOON_DAYS = 2
    programmes.published(rounds=[round_row(opens=OPENS, closes=CLOSES)])
    round_ = ApplicationRound.objects.get()
    assert round_.state_at(CLOSES - dt.timedelta(days=2) - SECOND) == RoundState.OPEN
    assert round_.state_at(CLOSES - dt.timedelta(days=2)) == RoundState.CLOSING_SOON


def test_an_always_open_round_is_open_at_any_time_and_never_closing_soon(programmes):
    programmes.published(rounds=[round_row("常年受理", always_open=True)])
    round_ = ApplicationRound.objects.get()
    for moment in (beijing(2000, 1, 1), beijing(2026, 12, 31, 23, 59, 59), beijing(2099, 6, 1)):
        assert round_.state_at(moment) == RoundState.OPEN
        assert ApplicationRound.objects.open_at(moment).count() == 1
        assert not ApplicationRound.objects.closing_soon_at(moment).exists()
    assert round_.days_left_at(beijing(2026, 1, 1)) is None


def test_days_left_counts_beijing_calendar_days(programmes):
    programmes.published(rounds=[round_row(opens=OPENS, closes=CLOSES)])
    round_ = ApplicationRound.objects.get()
    assert round_.days_left_at(beijing(2026, 3, 30, 23, 59, 59)) == 1
    assert round_.days_left_at(beijing(2026, 3, 31, 0, 0, 0)) == 0
    assert round_.days_left_at(CLOSES - SECOND) == 0
    assert round_.days_left_at(CLOSES) is None
    # 2026-03-30 20:00 UTC is already 03-31 04:00 in Beijing: the closing day.
    assert round_.days_left_at(dt.datetime(2026, 3, 30, 20, 0, tzinfo=dt.timezone.utc)) == 0


def test_a_round_needs_both_dates_or_always_open(programmes):
    with pytest.raises(ValidationError):
        ApplicationRound(title="x", opens_at=CLOSES, closes_at=OPENS).full_clean(exclude=["programme"])
    with pytest.raises(ValidationError):
        ApplicationRound(title="x", opens_at=OPENS).full_clean(exclude=["programme"])
    with pytest.raises(ValidationError):
        ApplicationRound(title="x", always_open=True, opens_at=OPENS).full_clean(exclude=["programme"])


def test_the_database_refuses_a_round_closing_before_it_opens(programmes):
    from django.db import IntegrityError, transaction

    programme = programmes.draft()
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationRound.objects.create(programme=programme, title="x", opens_at=CLOSES, closes_at=OPENS)


def test_next_change_is_the_opening_then_closing_soon_then_midnights_then_the_closing(programmes):
    programmes.published(rounds=[round_row(opens=OPENS, closes=CLOSES)])
    assert next_round_change(OPENS - dt.timedelta(days=3)) == OPENS
    assert next_round_change(OPENS - SECOND) == OPENS
    # Open: the days-left count changes at Beijing midnight.
    assert next_round_change(OPENS) == beijing(2026, 3, 2)
    assert next_round_change(beijing(2026, 3, 24, 0, 0, 0)) == beijing(2026, 3, 24, 17, 30)
    assert next_round_change(SOON - SECOND) == SOON
    assert next_round_change(SOON) == beijing(2026, 3, 25)
    assert next_round_change(beijing(2026, 3, 31, 0, 0, 0)) == CLOSES
    assert next_round_change(CLOSES - SECOND) == CLOSES
    assert next_round_change(CLOSES) is None


def test_next_change_ignores_unpublished_programmes_and_always_open_rounds(programmes):
    programmes.draft(rounds=[round_row(opens=OPENS, closes=CLOSES)])
    programmes.published(rounds=[round_row("常年受理", always_open=True)])
    assert next_round_change(OPENS - SECOND) is None


def test_the_page_cache_is_told_the_round_boundaries(programmes):
    programmes.published(rounds=[round_row(opens=OPENS, closes=CLOSES)])
    assert next_round_change in pagecache._next_change_providers
    assert pagecache.next_change(OPENS - SECOND) == OPENS
    assert pagecache.next_change(CLOSES - SECOND) == CLOSES


def test_the_list_page_changes_at_the_second_a_round_opens_and_closes(programmes, client):
    programme = programmes.published(name="天山火炬之星", rounds=[round_row(opens=OPENS, closes=CLOSES)])
    seen = {}
    for moment in (OPENS - SECOND, OPENS, CLOSES - SECOND, CLOSES):
        with time_machine.travel(moment, tick=False):
            seen[moment] = client.get("/talent/?state=open").content.decode()
    assert programme.name not in seen[OPENS - SECOND]
    assert programme.name in seen[OPENS]
    assert programme.name in seen[CLOSES - SECOND]
    assert programme.name not in seen[CLOSES]
