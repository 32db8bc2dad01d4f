from django.contrib.sitemaps import Sitemap

from .models import TalentProgramme


class TalentProgrammeSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7
    limit = 5000

    def items(self):
        return TalentProgramme.objects.published().order_by("pk").only("pk", "public_updated_at")

    def lastmod(self, programme):
        return programme.public_updated_at


SITEMAPS = {"talent": TalentProgrammeSitemap}
