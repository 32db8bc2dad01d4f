"""Context for the public portal's shell: site identity, script links, elder mode, navigation."""

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from apps.core.models import SiteSettings
from apps.core.urlmemo import per_urlconf

from .navigation import MAIN_NAVIGATION

SCRIPTS = (("zh-hans", "zh-Hans"), ("zh-hant", "zh-Hant"))


def elder_mode_on(request) -> bool:
    return request.COOKIES.get(settings.PARKPORTAL_ELDER_COOKIE) == "1"


@per_urlconf(maxsize=2048)
def _translated(path: str, code: str) -> str:
    """translate_url() (a resolve and a reverse) once per path, target script, URLconf,
    prefix and active language (the language prefix it resolves against)."""
    return translate_url(path, code)


def portal(request):
    """What every public page needs: site identity, script links, elder mode."""
    path = request.get_full_path()
    language = get_language()
    alternates = [
        {
            "code": code,
            "hreflang": hreflang,
            "url": request.build_absolute_uri(_translated(path, code)),
            "current": code == language,
        }
        for code, hreflang in SCRIPTS
    ]
    return {
        "site": SiteSettings.load(),
        "elder_mode": elder_mode_on(request),
        "script_alternates": alternates,
        "canonical_url": request.build_absolute_uri(path.split("?")[0]),
        "is_traditional": language == "zh-hant",
        "html_lang": "zh-Hant" if language == "zh-hant" else "zh-Hans",
    }


def navigation(request):
    return {"main_navigation": MAIN_NAVIGATION}
