"""apps.core.tracking: the collision retry and the lookup's phone comparison."""

import itertools

import pytest
from django.db import IntegrityError

from apps.core import tracking
from apps.interaction.models import Message

ROW = {"kind": "question", "name": "张三", "phone": "13912345678", "subject": "标题", "text": "内容"}


def _draws(monkeypatch, *sequences):
    """secrets.choice (outside the project) gives the characters of ``sequences`` in turn."""
    chars = itertools.chain.from_iterable(sequences)
    monkeypatch.setattr(tracking.secrets, "choice", lambda alphabet: next(chars))


@pytest.mark.django_db
def test_a_taken_number_is_drawn_again(monkeypatch):
    _draws(monkeypatch, "AAAAAA", "AAAAAA", "CCCCCC")
    first = tracking.create_with_number(Message, "LY", **ROW)
    second = tracking.create_with_number(Message.objects, "LY", **ROW)
    assert first.tracking_number.endswith("-AAAA-AA") and second.tracking_number.endswith("-CCCC-CC")
    assert Message.objects.count() == 2


@pytest.mark.django_db
def test_every_draw_taken_is_an_integrity_error(monkeypatch):
    _draws(monkeypatch, "AAAAAA" * 4)
    tracking.create_with_number(Message, "LY", **ROW)
    with pytest.raises(IntegrityError):
        tracking.create_with_number(Message, "LY", attempts=3, **ROW)
    assert Message.objects.count() == 1


@pytest.mark.parametrize("stored, given, matches", [
    ("139-1234 5678", "13912345678", True),
    ("13912345678", "13912345670", False),
    ("", "", False),  # a row without a phone never matches
    ("-", "", False),
])
def test_phone_matches_compares_digits_only(stored, given, matches):
    assert tracking.phone_matches(stored, given) is matches
