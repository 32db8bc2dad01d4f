"""A Content-Security-Policy without inline script on public pages, the admin and
previews; the admin's one inline script (the editor's import map) carries the nonce."""

import re

from django.test import Client
from django.urls import reverse

from apps.editorial import actions
from tests.editorial.conftest import pages, people, refresh  # noqa: F401
from tests.editorial.test_admin import client_for

HEADER = "Content-Security-Policy"


def directives(response):
    policy = response[HEADER]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def assert_strict(response):
    d = directives(response)
    scripts = d["script-src"]
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert d["object-src"] == ["'none'"] and d["base-uri"] == ["'self'"]
    return d


def test_public_pages_send_a_policy_without_inline_script(client, pages):
    page = pages.published()
    for url in ("/", "/zh-hant/", "/pages/", page.get_absolute_url(), "/news/", "/enterprises/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)
        html = response.content.decode()
        # Nothing inline that the policy would block.
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\son[a-z]+=", html), url


def test_admin_pages_send_the_policy_and_nonce_the_editors_import_map(pages, people):
    page = pages.draft()
    admin = client_for(people.editor)
    login = Client().get(reverse("admin:login"))
    assert_strict(login)
    assert_strict(admin.get(reverse("admin:pages_page_changelist")))
    response = admin.get(reverse("admin:pages_page_change", args=[page.pk]))
    d = assert_strict(response)
    html = response.content.decode()
    importmap = re.search(r'<script type="importmap"([^>]*)>', html)
    assert importmap, "the rich-text editor's import map is on the page"
    nonce = re.search(r'nonce="([^"]+)"', importmap.group(1)).group(1)
    assert f"'nonce-{nonce}'" in d["script-src"]
    # Every inline script on the page carries the nonce.
    for attrs in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html):
        if "application/json" not in attrs:
            assert f'nonce="{nonce}"' in attrs, attrs


def test_previews_send_the_policy(pages, people):
    page = pages.published()
    actions.save_draft(page, by=people.editor, fields={"title": "草稿标题"})
    number = refresh(page).latest_revision.number
    staff = client_for(people.reviewer).get(reverse("admin:pages_page_preview", args=[page.pk, number]))
    assert staff.status_code == 200
    assert_strict(staff)
    _link, token = actions.create_preview_link(refresh(page), by=people.editor, days=1)
    shared = Client().get(reverse("editorial:shared_preview", args=[token]))
    assert shared.status_code == 200
    assert_strict(shared)
