"""The site-wide sitemap: every app's ``sitemaps.SITEMAPS`` dict, collected once."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


def collect() -> dict:
    found = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("apps.") or config.name == "apps.portal":
            continue
        module = f"{config.name}.sitemaps"
        if find_spec(module) is not None:
            found.update(getattr(import_module(module), "SITEMAPS", {}))
    return found
