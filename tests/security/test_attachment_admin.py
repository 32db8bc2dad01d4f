"""The attachment page opens for view-only roles (issue 10 #5: KeyError 'title')."""

import pytest
from django.urls import reverse

from apps.media import actions
from tests.media import samples
from tests.media.conftest import media_storage  # noqa: F401  (fixture)


@pytest.mark.parametrize("role", ["reviewer", "publisher"])
def test_view_only_roles_open_an_attachments_page(client, make_user, media_storage, role):
    editor = make_user("editor", roles=["editor"])
    attachment = actions.upload_attachment(samples.upload(samples.pdf_bytes(), "通知.pdf"), by=editor, title="通知")
    client.force_login(make_user(role, roles=[role]))
    response = client.get(reverse("admin:media_attachment_change", args=[attachment.pk]))
    assert response.status_code == 200
    assert "通知" in response.content.decode()
    # And a POST from a view-only role is refused, not a 500.
    assert client.post(reverse("admin:media_attachment_change", args=[attachment.pk]), {"title": "改"}).status_code == 403
