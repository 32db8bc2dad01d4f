from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "display_name", "department", "email", "is_staff", "is_active")
    list_filter = ("is_staff", "is_active", "groups")
    search_fields = ("username", "display_name", "email", "phone")
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("单位信息"), {"fields": ("display_name", "phone", "department")}),
    )
