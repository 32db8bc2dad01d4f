"""The public site's main navigation: one list, used by the header and the home page.

A column whose app has not landed yet points at the portal's "coming soon"
page; when the app lands, its entry switches to the app's own URL name.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from apps.core.urlmemo import per_urlconf


@per_urlconf(maxsize=256)
def _column_url(url_names: tuple[str, ...], fallback: str) -> str:
    """Reverse a column's URL once per URLconf, script prefix and language: the header
    shows every column on every page, and a missing app costs a NoReverseMatch each time."""
    for name in url_names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return reverse(fallback)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    url_names: tuple[str, ...]
    description: str
    column_type: str  # one of the 47号 column types (ColumnType meta), not translated

    @property
    def url(self) -> str:
        """The column app's own index once it exists, else the "coming soon" page."""
        return _column_url(self.url_names, f"portal:{self.key}")


MAIN_NAVIGATION = (
    Column("news", _("新闻动态"), ("news:index",), _("园区要闻、通知公告和媒体报道"), "工作动态"),
    Column("policies", _("政策文件"), ("policies:index",), _("园区政策文件、有效性和政策解读"), "政策文件"),
    Column("enterprises", _("企业名录"), ("enterprises:index",), _("园区企业和创新平台载体"), "专题专栏"),
    Column("talent", _("人才项目"), ("talent:index",), _("人才引进和青年人才培养项目"), "专题专栏"),
    Column("stations", _("创业服务站"), ("stations:index",), _("创业社区服务站点和服务内容"), "办事服务"),
    Column("services", _("办事服务"), ("services:index",), _("企业服务事项的在线申请和进度查询"), "办事服务"),
    Column("interaction", _("互动交流"), ("interaction:index",), _("留言、咨询、建议和投诉，公开答复"), "互动交流"),
)

COLUMNS_BY_KEY = {column.key: column for column in MAIN_NAVIGATION}
