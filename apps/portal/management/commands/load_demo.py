"""Load believable demo content, idempotently: running it twice changes nothing.

Each app may have a ``demo.py`` with ``load(*, by)``; they run in
INSTALLED_APPS order, acting as the demo site administrator.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand

from apps.accounts import demo as account_demo
from apps.accounts.roles import sync_roles


class Command(BaseCommand):
    help = "Create role groups, demo users (printed with their passwords) and demo content."

    def handle(self, *args, **options):
        sync_roles()
        rows = account_demo.load_users()
        admin = account_demo.acting_user()
        for config in apps.get_app_configs():
            if not config.name.startswith("apps."):
                continue
            module_name = f"{config.name}.demo"
            if config.name == "apps.accounts" or find_spec(module_name) is None:
                continue
            import_module(module_name).load(by=admin)
            self.stdout.write(f"demo content: {config.label}")
        self.stdout.write("")
        self.stdout.write("Demo users (password stored in var/demo-credentials.json):")
        width = max(len(r[0]) for r in rows)
        for username, password, roles in rows:
            self.stdout.write(f"  {username.ljust(width)}  {password}  {roles}")
