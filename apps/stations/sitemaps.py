from django.contrib.sitemaps import Sitemap

from .models import ServiceStation


class ServiceStationSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6
    limit = 5000

    def items(self):
        return ServiceStation.objects.published().order_by("pk").only("pk", "public_updated_at")

    def lastmod(self, station):
        return station.public_updated_at


SITEMAPS = {"stations": ServiceStationSitemap}
