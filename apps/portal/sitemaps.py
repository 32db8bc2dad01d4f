"""The site-wide sitemap: every app's ``sitemaps.SITEMAPS`` dict, collected once.

Every public URL exists in both scripts (``/news/…`` and ``/zh-hant/news/…``, the
``i18n_patterns`` prefix): each sitemap is made multilingual here, in one place,
so every address is listed in both scripts with ``xhtml:link`` hreflang alternates
(and ``x-default``, the Simplified one)."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .navigation import MAIN_NAVIGATION


class ColumnSitemap(Sitemap):
    """The home page and the main columns' index pages."""

    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["home", *(column.key for column in MAIN_NAVIGATION)]

    def location(self, key):
        if key == "home":
            return reverse("portal:home")
        return next(column for column in MAIN_NAVIGATION if column.key == key).url


def in_both_scripts(sitemap_class):
    """``sitemap_class`` listing each item under every language, with alternates."""
    return type(sitemap_class.__name__, (sitemap_class,), {
        "__module__": sitemap_class.__module__, "i18n": True, "alternates": True, "x_default": True,
    })


def collect() -> dict:
    found = {"columns": ColumnSitemap}
    for config in apps.get_app_configs():
        if not config.name.startswith("apps.") or config.name == "apps.portal":
            continue
        module = f"{config.name}.sitemaps"
        if find_spec(module) is not None:
            found.update(getattr(import_module(module), "SITEMAPS", {}))
    return {name: in_both_scripts(sitemap) for name, sitemap in found.items()}
