from django.contrib.admin.apps import AdminConfig


class ParkAdminConfig(AdminConfig):
    default_site = "parkportal.admin.ParkAdminSite"
