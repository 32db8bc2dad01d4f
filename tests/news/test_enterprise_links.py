"""Press releases link to enterprises of the directory: the link is part of every
revision, and an enterprise's page lists the published releases mentioning it
(newest first, at most five), through PressRelease's own read rule."""

import pytest

from apps.editorial import actions as editorial
from tests.enterprises.conftest import enterprises, kinds  # noqa: F401  (fixtures)

from .conftest import refresh


def publish(release, people, *, major=None):
    editorial.submit(release, by=people.editor)
    editorial.approve(release, by=people.reviewer)
    editorial.approve(release, by=people.publisher, publish=False)
    editorial.publish(release, by=people.publisher2, major=major)
    return refresh(release)


@pytest.fixture
def mentioning(releases, people):
    """A published release whose latest revision links it to the given enterprises."""

    def make(title, *companies, published=True):
        release = releases.draft(title=title)
        editorial.save_draft(refresh(release), by=people.editor, m2m={"enterprises": [c.pk for c in companies]})
        return publish(refresh(release), people) if published else refresh(release)

    return make


@pytest.fixture
def company(enterprises):  # noqa: F811
    return enterprises.published(name="新疆天山新材料有限公司")


def test_the_enterprise_link_is_part_of_every_revision(releases, company, people):
    release = releases.published()
    editorial.save_draft(refresh(release), by=people.editor, m2m={"enterprises": [company.pk]})
    assert refresh(release).latest_revision.snapshot["m2m"]["enterprises"] == [company.pk]
    assert list(company.press_releases.all()) == []  # the public row is untouched until published
    release = publish(refresh(release), people, major=False)
    assert list(company.press_releases.all()) == [release]


def test_enterprise_page_lists_published_releases_mentioning_it_newest_first(client, mentioning, company, enterprises):  # noqa: F811
    older = mentioning("天山新材料获评瞪羚企业", company)
    newer = mentioning("天山新材料新生产线投产", company)
    mentioning("尚未发布的新闻稿", company, published=False)
    other = enterprises.published()
    mentioning("另一家企业的新闻", other)
    html = client.get(company.get_absolute_url()).content.decode()
    assert "相关新闻" in html
    assert html.index(newer.title) < html.index(older.title)
    assert f'href="{newer.get_absolute_url()}"' in html
    assert "尚未发布的新闻稿" not in html and "另一家企业的新闻" not in html
    assert "天山新材料" not in client.get(other.get_absolute_url()).content.decode()


def test_a_withdrawn_release_leaves_the_enterprise_page(client, mentioning, company, people):
    release = mentioning("将被撤回的新闻", company)
    assert release.title in client.get(company.get_absolute_url()).content.decode()
    editorial.withdraw(release, by=people.publisher, note="信息有误，已撤回")
    assert release.title not in client.get(company.get_absolute_url()).content.decode()


def test_enterprise_page_shows_the_five_newest_releases(client, mentioning, company):
    for i in range(7):
        mentioning(f"企业动态第{i}期", company)
    html = client.get(company.get_absolute_url()).content.decode()
    assert [i for i in range(7) if f"企业动态第{i}期" in html] == [2, 3, 4, 5, 6]


def test_the_admin_picks_enterprises_by_autocomplete(client, people, company):
    client.force_login(people.editor)
    html = client.get("/admin/news/pressrelease/add/").content.decode()
    assert 'name="enterprises"' in html and "admin-autocomplete" in html
