"""A programme (with its rounds and materials) goes through the editorial workflow;
the public sees it only once published, and a draft's round changes only then."""

import pytest
from django.test import Client

from apps.core.errors import InvalidTransition, NotAllowed
from apps.editorial import actions as editorial
from apps.editorial.models import Status
from apps.talent.models import ApplicationRound, TalentProgramme

from .conftest import beijing, refresh, round_row

pytestmark = pytest.mark.django_db

ROUND = round_row(opens=beijing(2026, 3, 1, 9), closes=beijing(2026, 3, 31, 17, 30))


def test_a_draft_programme_is_not_public(programmes, client):
    programme = programmes.draft(rounds=[ROUND])
    assert client.get(programme.get_absolute_url()).status_code == 404
    round_ = ApplicationRound.objects.get()
    assert client.get(f"/talent/rounds/{round_.pk}.ics").status_code == 404
    assert programme.name not in client.get("/talent/").content.decode()
    assert not ApplicationRound.objects.public().exists()


def test_editor_reviewer_and_publisher_take_a_programme_live(programmes, people, client):
    programme = programmes.draft(name="十百千人才引进计划", rounds=[ROUND])
    editorial.submit(programme, by=people.editor)
    editorial.approve(programme, by=people.reviewer)
    editorial.approve(programme, by=people.publisher, publish=False)
    editorial.publish(programme, by=people.publisher2)
    programme = refresh(programme)
    assert programme.status == Status.PUBLISHED
    response = client.get(programme.get_absolute_url())
    assert response.status_code == 200
    assert "十百千人才引进计划" in response.content.decode()
    assert ApplicationRound.objects.public().count() == 1


@pytest.mark.parametrize("role", ["reviewer", "publisher", "outsider"])
def test_only_editors_create_programmes(programmes, people, role):
    with pytest.raises(NotAllowed):
        programmes.draft(by=getattr(people, role))


def test_an_author_cannot_publish_and_an_editor_cannot_approve(programmes, people):
    programme = programmes.draft()
    editorial.submit(programme, by=people.editor)
    with pytest.raises(NotAllowed):
        editorial.approve(programme, by=people.editor2)
    editorial.approve(programme, by=people.reviewer)
    editorial.approve(programme, by=people.publisher, publish=False)
    with pytest.raises(NotAllowed):
        editorial.publish(programme, by=people.editor)
    with pytest.raises(InvalidTransition):
        editorial.submit(refresh(programme), by=people.editor)


def test_a_new_round_in_a_draft_goes_live_only_when_published(programmes, people, client):
    programme = programmes.published(rounds=[ROUND])
    first = ApplicationRound.objects.get()
    second = round_row("2026年度第二批", opens=beijing(2026, 9, 1, 9), closes=beijing(2026, 9, 30, 17, 30))

    def add_round(item):
        item.rounds.create(**second)

    editorial.save_draft(programme, by=people.editor, write=add_round)
    assert list(ApplicationRound.objects.public().values_list("title", flat=True)) == [first.title]
    assert "2026年度第二批" not in client.get(programme.get_absolute_url()).content.decode()
    editorial.submit(programme, by=people.editor)
    editorial.approve(programme, by=people.reviewer)
    editorial.approve(programme, by=people.publisher, publish=False)
    editorial.publish(programme, by=people.publisher2, major=False)
    assert set(ApplicationRound.objects.public().values_list("title", flat=True)) == {first.title, "2026年度第二批"}
    # The published round kept its id: its calendar link is stable.
    assert ApplicationRound.objects.filter(pk=first.pk).exists()


def test_a_withdrawn_programme_leaves_the_list_and_its_rounds_the_feed(programmes, people, client):
    programme = programmes.published(name="被撤回的项目", rounds=[ROUND])
    editorial.withdraw(programme, by=people.publisher, note="政策调整。")
    assert "被撤回的项目" not in client.get("/talent/").content.decode()
    assert "被撤回的项目" not in client.get("/talent/feed/rss/").content.decode()
    assert client.get(programme.get_absolute_url()).status_code == 200  # with the explanation
    assert not ApplicationRound.objects.public().exists()


@pytest.mark.parametrize(("role", "allowed"), [
    ("editor", {"add", "change", "view"}), ("reviewer", {"view"}), ("publisher", {"view"}), ("outsider", set()),
])
def test_role_permissions_on_programmes(people, role, allowed):
    user = getattr(people, role)
    for action in ("add", "change", "view", "delete"):
        assert user.has_perm(f"talent.{action}_talentprogramme") == (action in allowed), action


def test_the_admin_change_form_edits_rounds_inline(programmes, people):
    programme = programmes.draft(rounds=[ROUND])
    client = Client()
    client.force_login(people.editor)
    response = client.get(f"/admin/talent/talentprogramme/{programme.pk}/change/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "rounds-0-opens_at" in body and "materials-TOTAL_FORMS" in body
    assert client.get("/admin/talent/talentprogramme/add/").status_code == 200
    reviewer = Client()
    reviewer.force_login(people.reviewer)
    assert reviewer.get("/admin/talent/talentprogramme/add/").status_code == 403


def test_staff_preview_shows_a_draft_round_without_publishing_it(programmes, people):
    from django.urls import reverse

    programme = programmes.published(rounds=[ROUND])

    def add_round(item):
        item.rounds.create(**round_row("2026年度补充批次", opens=beijing(2026, 9, 1, 9), closes=beijing(2026, 9, 30, 17)))

    editorial.save_draft(programme, by=people.editor, write=add_round)
    number = refresh(programme).latest_revision.number
    client = Client()
    client.force_login(people.reviewer)
    response = client.get(reverse("admin:talent_talentprogramme_preview", args=[programme.pk, number]))
    assert response.status_code == 200 and "2026年度补充批次" in response.content.decode()
    assert ApplicationRound.objects.count() == 1  # previewing changed nothing
