"""The sitemap lists the directory (listed enterprises, published platforms) in both
scripts, each address with its hreflang alternates."""

import re

from django.test import Client


def _sitemap() -> str:
    response = Client().get("/sitemap.xml")
    assert response.status_code == 200
    return response.content.decode()


def test_sitemap_lists_enterprises_and_platforms_in_both_scripts(enterprises, platforms):
    enterprise = enterprises.published()
    platform = platforms.published()
    hidden = enterprises.draft()
    body = _sitemap()
    for item in (enterprise, platform):
        path = item.get_absolute_url()
        assert f"<loc>http://testserver{path}</loc>" in body
        assert f"<loc>http://testserver/zh-hant{path}</loc>" in body
        assert f'<xhtml:link rel="alternate" hreflang="zh-hant" href="http://testserver/zh-hant{path}"/>' in body
        assert f'<xhtml:link rel="alternate" hreflang="zh-hans" href="http://testserver{path}"/>' in body
        assert f'<xhtml:link rel="alternate" hreflang="x-default" href="http://testserver{path}"/>' in body
    assert hidden.get_absolute_url() not in body


def test_every_sitemap_address_has_its_other_script(enterprises):
    enterprises.published()
    body = _sitemap()
    locs = re.findall(r"<loc>http://testserver([^<]+)</loc>", body)
    simplified = {loc for loc in locs if not loc.startswith("/zh-hant/")}
    traditional = {loc.removeprefix("/zh-hant") for loc in locs if loc.startswith("/zh-hant/")}
    assert simplified and simplified == traditional
