"""Traditional characters in a release's child rows (gallery captions) and in the
media text it shows (alt text, captions of the library's images) are listed on
its change page; the item's own text converts in one click, the media row's on
the media row's page, each through an audited action (issue 15)."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.editorial import actions as editorial
from apps.media.models import Image
from tests.news.conftest import refresh

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_gallery_caption_in_traditional_is_listed_and_converted_with_the_release(releases, assets, people):
    release = releases.draft(title="园区新闻", gallery=[(assets.image(), "園區生產線"), (assets.image(), "车间一角")])
    client = client_for(people.editor)
    change = reverse("admin:news_pressrelease_change", args=[release.pk])
    html = client.get(change).content.decode()
    assert 'id="traditional-characters"' in html
    assert "组图图片第 1 行：图片说明" in html
    assert "園、區、產" in html and "一键转换为简体" in html
    response = client.post(reverse("admin:news_pressrelease_simplify", args=[release.pk]),
                           {"_editorial_base_revision": refresh(release).latest_revision_id})
    assert response.status_code == 302
    rows = refresh(release).latest_revision.snapshot["children"]["gallery_items"]
    assert [row["caption"] for row in rows] == ["园区生产线", "车间一角"]
    entry = AuditEntry.objects.filter(action="editorial.save_draft", note__startswith="繁体字转换为简体").get()
    assert entry.actor_id == people.editor.pk and "園" in entry.note
    assert 'id="traditional-characters"' not in client.get(change).content.decode()


def test_media_text_in_traditional_is_listed_on_the_release_and_converted_on_the_image(releases, assets, people):
    image = assets.image(alt_text="園區新材料車間", caption="五层共挤生产线")
    release = releases.draft(cover=image)
    client = client_for(people.editor)
    change = reverse("admin:news_pressrelease_change", args=[release.pk])
    html = client.get(change).content.decode()
    image_url = reverse("admin:media_image_change", args=[image.pk])
    assert 'id="traditional-characters"' in html and "園、區、車" in html
    assert f'href="{image_url}"' in html and "在媒体资源中转换" in html
    # Nothing of the release's own to convert: no button, and the action refuses.
    assert "一键转换为简体" not in html
    response = client.post(reverse("admin:news_pressrelease_simplify", args=[release.pk]),
                           {"_editorial_base_revision": refresh(release).latest_revision_id})
    assert response.status_code == 409 and "没有需要转换的繁体字" in response.content.decode()
    # The image's page lists its characters and converts them.
    page = client.get(image_url).content.decode()
    assert 'id="traditional-characters"' in page and "園、區、車" in page and "一键转换为简体" in page
    response = client.post(reverse("admin:media_image_simplify", args=[image.pk]))
    assert response.status_code == 302
    image = Image.objects.get(pk=image.pk)
    assert (image.alt_text, image.caption) == ("园区新材料车间", "五层共挤生产线")
    assert AuditEntry.objects.filter(action="media.update_image", object_id=str(image.pk), actor=people.editor).exists()
    assert 'id="traditional-characters"' not in client.get(image_url).content.decode()
    # The release's next version carries the converted text, and its page no longer flags it.
    assert 'id="traditional-characters"' not in client.get(change).content.decode()
    editorial.submit(release, by=people.editor)
    media_text = refresh(release).latest_revision.snapshot["fields"]["media_text"]
    assert media_text["media.image"][str(image.pk)]["alt_text"] == "园区新材料车间"
    # A second click has nothing to do: a clear refusal, not a 500.
    response = client.post(reverse("admin:media_image_simplify", args=[image.pk]))
    assert response.status_code == 409 and "没有需要转换的繁体字" in response.content.decode()


def test_converting_an_attachment_title_needs_the_right_to_change_it(assets, people, make_user):
    attachment = assets.attachment(title="申報指南")
    url = reverse("admin:media_attachment_simplify", args=[attachment.pk])
    assert client_for(people.outsider).post(url).status_code == 403
    assert client_for(people.editor).post(url).status_code == 302
    attachment.refresh_from_db()
    assert attachment.title == "申报指南"
    assert client_for(people.editor).get(url).status_code == 405
