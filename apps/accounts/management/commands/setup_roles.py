from django.core.management.base import BaseCommand

from apps.accounts.roles import ROLES, sync_roles


class Command(BaseCommand):
    help = "Create the role groups and set their permissions (idempotent)."

    def handle(self, *args, **options):
        counts = sync_roles()
        for code, count in counts.items():
            self.stdout.write(f"{ROLES[code].group_name} ({code}): {count} permissions")
