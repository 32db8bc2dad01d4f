"""RSS 2.0 and Atom feeds of newly opened application rounds (published programmes only)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from apps.core.models import SiteSettings

from .models import ApplicationRound

FEED_SIZE = 30


class OpenedRoundsFeed(Feed):
    def title(self):
        return f"{SiteSettings.load().site_name} · {_('人才项目申报批次')}"

    def link(self):
        return reverse("talent:index")

    def description(self):
        return _("新开始申报的人才项目批次")

    def feed_url(self):
        return reverse("talent:rss")

    def items(self):
        return ApplicationRound.objects.public().opened_by(timezone.now()).select_related("programme")[:FEED_SIZE]

    def item_title(self, item):
        return f"{item.programme.name} {item.title}"

    def item_link(self, item):
        return f"{item.programme.get_absolute_url()}#round-{item.pk}"

    def item_guid(self, item):
        return f"talent-round-{item.pk}"

    item_guid_is_permalink = False

    def item_description(self, item):
        closes = timezone.localtime(item.closes_at)
        return _("申报截止时间：%(closes)s（北京时间）") % {"closes": f"{closes:%Y-%m-%d %H:%M}"}

    def item_pubdate(self, item):
        return item.opens_at


class OpenedRoundsAtomFeed(OpenedRoundsFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()

    def feed_url(self):
        return reverse("talent:atom")
