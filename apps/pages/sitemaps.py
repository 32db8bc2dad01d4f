from django.contrib.sitemaps import Sitemap

from .models import Page


class PageSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Page.objects.published().order_by("pk")  # the one read rule: live only

    def lastmod(self, page):
        return page.public_updated_at


SITEMAPS = {"pages": PageSitemap}
