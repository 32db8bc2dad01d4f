from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.accounts.forms import LoginForm
from apps.core.textclean import with_pasted_text_admin


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

    def register(self, model_or_iterable, admin_class=None, **options):
        # Every admin's forms clean pasted pinyin annotations ("園區(qū)"): one rule
        # for all text editors fill in, not one each admin must remember.
        super().register(model_or_iterable, with_pasted_text_admin(admin_class or admin.ModelAdmin), **options)
