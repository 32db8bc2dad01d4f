"""robots.txt, the favicon (no 404 on every page view) and its links in the shell."""

import re

from django.contrib.staticfiles import finders

from tests.portal.test_shell import site  # noqa: F401  (fixture)


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "User-agent: *" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /admin/" in body and "Disallow: /preview/" in body
    assert "Disallow: /\n" not in body  # the public site stays crawlable


def test_favicon_ico_is_served(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO header


def test_the_shell_links_icons_that_exist(client, site):  # noqa: F811
    html = client.get("/").content.decode()
    icons = re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="/static/([^"]+)"', html)
    assert len(icons) == 3
    for path in icons:
        assert finders.find(path), path


def test_the_sitemap_lists_the_home_page_and_columns_in_both_scripts(client, db):
    body = client.get("/sitemap.xml").content.decode()
    for path in ("/", "/news/", "/enterprises/", "/talent/", "/stations/", "/services/"):
        assert f"<loc>http://testserver{path}</loc>" in body, path
        assert f"<loc>http://testserver/zh-hant{path}</loc>" in body, path
    assert '<xhtml:link rel="alternate" hreflang="zh-hant" href="http://testserver/zh-hant/news/"/>' in body
