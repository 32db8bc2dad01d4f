from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Service


class ServiceGuideSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Service.objects.published().order_by("pk")  # the one read rule: live only

    def lastmod(self, service):
        return service.public_updated_at


class StatisticsSitemap(Sitemap):
    """The published statistics page (好差评 and request figures), renewed every month."""

    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return ["services:statistics"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"services": ServiceGuideSitemap, "service_statistics": StatisticsSitemap}
