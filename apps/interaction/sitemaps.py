from django.contrib.sitemaps import Sitemap

from .models import Consultation


class ConsultationSitemap(Sitemap):
    """Published, public consultations only (``published()``): never a message."""

    changefreq = "monthly"
    priority = 0.5
    limit = 5000

    def items(self):
        return Consultation.objects.published().order_by("pk").only("pk", "public_updated_at")

    def lastmod(self, item):
        return item.public_updated_at


SITEMAPS = {"interaction": ConsultationSitemap}
