"""Every stored URL that can become a link is validated by the one shared rule
(apps.core.urls_safety) and rendered through the ``safe_url`` filter (issue 10 #2)."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from apps.core.urls_safety import validate_safe_url

ROOT = Path(__file__).resolve().parents[2]


def url_fields():
    for model in apps.get_models():
        if not model.__module__.startswith("apps."):
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, (models.CharField, models.TextField)) or not field.editable:
                continue
            if isinstance(field, models.URLField) or re.search(r"(^|_)(url|website|link|href)$", field.name):
                yield model, field


def test_every_editable_url_field_uses_the_shared_validator():
    found = list(url_fields())
    names = {f"{m._meta.label}.{f.name}" for m, f in found}
    assert {"pages.PageLink.url", "enterprises.Enterprise.website", "core.SiteSettings.conac_url"} <= names
    missing = sorted(f"{m._meta.label}.{f.name}" for m, f in found if validate_safe_url not in f.validators)
    assert missing == []


@pytest.mark.parametrize("model_label,field_name", [
    ("enterprises.Enterprise", "website"), ("enterprises.Platform", "website"), ("core.SiteSettings", "conac_url"),
])
@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://files.example.com/", "data:text/html,x"])
def test_website_and_badge_fields_refuse_other_schemes(model_label, field_name, url):
    field = apps.get_model(model_label)._meta.get_field(field_name)
    with pytest.raises(ValidationError):
        field.clean(url, None)


def test_templates_render_stored_urls_through_the_safe_url_filter():
    """An href/src taken from a stored URL field goes through |safe_url."""
    offenders = []
    stored = re.compile(r'(href|src)="\{\{\s*[\w.]*(\.url|website|conac_url)\s*\}\}"')
    for path in list((ROOT / "apps").rglob("*.html")) + list((ROOT / "templates").rglob("*.html")):
        for match in stored.finditer(path.read_text()):
            offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    # Computed URLs (reverse()/get_absolute_url in views, the navigation) are ours, not stored input.
    allowed = {"column.url", "alt.url", "newer.url", "older.url", "e.url"}
    offenders = [o for o in offenders if not any(f"{{{{ {a} }}}}" in o for a in allowed)]
    assert offenders == []
