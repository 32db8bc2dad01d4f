"""RSS 2.0 and Atom feeds of the latest press releases (published only)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from apps.core.models import SiteSettings

from .models import PressRelease

FEED_SIZE = 30


class LatestReleasesFeed(Feed):
    def title(self):
        return f"{SiteSettings.load().site_name} · {_('新闻动态')}"

    def link(self):
        return reverse("news:index")

    def description(self):
        return _("园区要闻、通知公告和媒体报道")

    def feed_url(self):
        return reverse("news:rss")

    def items(self):
        return PressRelease.objects.published().newest_first().select_related("cover_image")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or Truncator(strip_tags(item.body)).chars(200)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.public_updated_at

    def item_author_name(self, item):
        return item.source or SiteSettings.load().sponsor or None

    def item_categories(self, item):
        return item.keyword_list


class LatestReleasesAtomFeed(LatestReleasesFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()

    def feed_url(self):
        return reverse("news:atom")
