from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from apps.core.views import healthz
from apps.portal.sitemaps import collect as collect_sitemaps
from apps.portal.views import favicon, robots_txt


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": collect_sitemaps()}, name="sitemap"),
    # The Open311 GeoReport v2 API: machine-readable, one script, outside the language prefixes.
    path("open311/v2/", include("apps.open311.urls")),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon, name="favicon"),
]

# The README's run command (DEBUG) serves renditions, web videos and posters from
# MEDIA_ROOT itself; in production the reverse proxy or the object store does, and
# static() adds nothing when DEBUG is off.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Every public URL exists twice: /news/ (Simplified, the default) and
# /zh-hant/news/ (Traditional, converted server-side).
urlpatterns += i18n_patterns(
    path("pages/", include("apps.pages.urls")),
    path("news/", include("apps.news.urls")),
    path("enterprises/", include("apps.enterprises.urls")),
    path("talent/", include("apps.talent.urls")),
    path("stations/", include("apps.stations.urls")),
    path("services/", include("apps.services.urls")),
    path("policies/", include("apps.policies.urls")),
    path("interaction/", include("apps.interaction.urls")),
    path("search/", include("apps.search.urls")),
    path("account/", include("apps.accounts.enterprise_urls")),
    path("preview/", include("apps.editorial.urls")),
    path("", include("apps.portal.urls")),
    prefix_default_language=False,
)
