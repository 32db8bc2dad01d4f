from django.contrib.sitemaps import Sitemap

from .models import PressRelease


class PressReleaseSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.7
    limit = 5000

    def items(self):
        # The one read rule: live releases only (never drafts, withdrawn or taken down).
        return PressRelease.objects.published().order_by("pk").only("pk", "created_at", "public_updated_at")

    def lastmod(self, release):
        return release.public_updated_at


SITEMAPS = {"news": PressReleaseSitemap}
