"""Playwright driving Debian's Chromium against pytest-django's live server."""

import os
import re
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def _playwright():
    # Playwright's sync API keeps an event loop running in this thread for as long
    # as it is open; the ORM calls made by fixtures in the same thread are still
    # synchronous and safe. Scoped to a module (browser tests only) and undone
    # after it, so the tests that follow on this worker see a thread without a
    # running loop and Django's async-safety check in force, as in production.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser(_playwright, chromium_path):
    browser = _playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def run_axe(page, axe_source: str) -> list[dict]:
    # The Content-Security-Policy forbids inline scripts: load axe as a same-origin
    # script file, served by Playwright itself, so the page's policy stays in force.
    origin = re.match(r"https?://[^/]+", page.url).group(0)
    url = f"{origin}/__axe__/axe.min.js"
    page.route(url, lambda route: route.fulfill(body=axe_source, content_type="application/javascript"))
    page.add_script_tag(url=url)
    result = page.evaluate(
        """async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})""",
        WCAG_21_AA,
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} -> {targets}")
    return "\n".join(lines)
