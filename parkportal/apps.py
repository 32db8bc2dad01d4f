from django.contrib.admin.apps import AdminConfig


class ParkAdminConfig(AdminConfig):
    """The project's admin site; its ready() also prepares what the project configures."""

    default_site = "parkportal.admin.ParkAdminSite"

    def ready(self) -> None:
        super().ready()
        from .celery import ensure_broker_folders

        # Before any process (web, worker, beat) publishes to the filesystem broker.
        ensure_broker_folders()
