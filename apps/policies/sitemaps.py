from django.contrib.sitemaps import Sitemap

from .models import PolicyDocument, PolicyInterpretation


class PolicyDocumentSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8
    limit = 5000

    def items(self):
        return PolicyDocument.objects.published().order_by("pk").only("pk", "public_updated_at")

    def lastmod(self, item):
        return item.public_updated_at


class PolicyInterpretationSitemap(PolicyDocumentSitemap):
    priority = 0.6

    def items(self):
        return PolicyInterpretation.objects.published().order_by("pk").only("pk", "public_updated_at")


SITEMAPS = {"policies": PolicyDocumentSitemap, "policy-interpretations": PolicyInterpretationSitemap}
