"""The public site's main navigation: one list, used by the header and the home page.

A column whose app has not landed yet points at the portal's "coming soon"
page; when the app lands, its entry switches to the app's own URL name.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    url_name: str
    description: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


MAIN_NAVIGATION = (
    Column("news", _("新闻动态"), "portal:news", _("园区要闻、通知公告和媒体报道")),
    Column("enterprises", _("企业名录"), "portal:enterprises", _("园区企业和创新平台载体")),
    Column("talent", _("人才项目"), "portal:talent", _("人才引进和青年人才培养项目")),
    Column("stations", _("创业服务站"), "portal:stations", _("创业社区服务站点和服务内容")),
    Column("services", _("办事服务"), "portal:services", _("企业服务事项的在线申请和进度查询")),
)

COLUMNS_BY_KEY = {column.key: column for column in MAIN_NAVIGATION}
