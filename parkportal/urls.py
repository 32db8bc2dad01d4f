from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from apps.core.views import healthz
from apps.portal.sitemaps import collect as collect_sitemaps


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": collect_sitemaps()}, name="sitemap"),
]

# Every public URL exists twice: /news/ (Simplified, the default) and
# /zh-hant/news/ (Traditional, converted server-side).
urlpatterns += i18n_patterns(
    path("pages/", include("apps.pages.urls")),
    path("news/", include("apps.news.urls")),
    path("enterprises/", include("apps.enterprises.urls")),
    path("preview/", include("apps.editorial.urls")),
    path("", include("apps.portal.urls")),
    prefix_default_language=False,
)
