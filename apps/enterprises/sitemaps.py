from django.contrib.sitemaps import Sitemap

from .models import Enterprise, Platform


class EnterpriseSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6
    limit = 5000

    def items(self):
        # The directory's read rule: published and listed (not hidden entries).
        return Enterprise.objects.listed().order_by("pk").only("pk", "public_updated_at")

    def lastmod(self, enterprise):
        return enterprise.public_updated_at


class PlatformSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6
    limit = 5000

    def items(self):
        return Platform.objects.published().order_by("pk").only("pk", "public_updated_at")

    def lastmod(self, platform):
        return platform.public_updated_at


SITEMAPS = {"enterprises": EnterpriseSitemap, "platforms": PlatformSitemap}
