from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.accounts.forms import LoginForm


class ParkAdminSite(admin.AdminSite):
    """The admin with the editorial dashboard ("我的待办") above the app list."""

    index_template = "admin/parkportal_index.html"
    site_header = _("高新区门户网站管理后台")
    site_title = _("门户管理")
    index_title = _("我的工作台")
    login_form = LoginForm

    def index(self, request, extra_context=None):
        from apps.editorial.dashboard import for_user

        extra_context = {**(extra_context or {}), "dashboard": for_user(request.user)}
        return super().index(request, extra_context)
