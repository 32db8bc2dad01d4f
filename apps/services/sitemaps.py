from django.contrib.sitemaps import Sitemap

from .models import Service


class ServiceGuideSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Service.objects.published().order_by("pk")  # the one read rule: live only

    def lastmod(self, service):
        return service.public_updated_at


SITEMAPS = {"services": ServiceGuideSitemap}
