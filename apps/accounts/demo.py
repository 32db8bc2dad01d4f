"""Demo users, one per role, with generated passwords.

Passwords are generated on first creation and kept in var/demo-credentials.json
(readable by the owner only, never committed) so that running the demo loader
again prints the same logins instead of resetting them.
"""

import json
import os
import secrets

from django.conf import settings
from django.db import transaction

from .models import User
from .roles import (
    EDITOR,
    ENTERPRISE,
    PUBLISHER,
    REVIEWER,
    ROLES,
    SERVICE_AGENT,
    SERVICE_SUPERVISOR,
    SITE_ADMIN,
)

DEMO_USERS = (
    # username, display name, department, roles, superuser
    ("admin", "系统管理员", "高新区党政办公室", (SITE_ADMIN,), True),
    ("editor", "李编辑", "高新区党政办公室宣传科", (EDITOR,), False),
    ("editor2", "马编辑", "高新区党政办公室宣传科", (EDITOR,), False),
    ("reviewer", "王审核", "高新区党政办公室", (REVIEWER,), False),
    ("publisher", "张签发", "高新区管委会", (PUBLISHER,), False),
    ("publisher2", "赵签发", "高新区管委会", (PUBLISHER,), False),
    ("agent", "阿依古丽", "政务服务中心", (SERVICE_AGENT,), False),
    ("supervisor", "刘主管", "政务服务中心", (SERVICE_SUPERVISOR,), False),
    ("enterprise", "周经理", "", (ENTERPRISE,), False),
)


def _credentials_path():
    return settings.VAR_DIR / "demo-credentials.json"


def _load_credentials() -> dict:
    try:
        return json.loads(_credentials_path().read_text())
    except (FileNotFoundError, ValueError):
        return {}


def _save_credentials(credentials: dict) -> None:
    path = _credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(credentials, ensure_ascii=False, indent=2))
    os.chmod(path, 0o600)


@transaction.atomic
def load_users() -> list[tuple[str, str, str]]:
    """Create the demo users if missing; return (username, password, roles) rows."""
    from django.contrib.auth.models import Group

    credentials = _load_credentials()
    rows = []
    for username, display_name, department, roles, superuser in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None or username not in credentials:
            password = secrets.token_urlsafe(12)
            if user is None:
                user = User(username=username)
            user.set_password(password)
            credentials[username] = password
        user.display_name = display_name
        user.department = department
        user.email = f"{username}@demo.parkportal.invalid"
        user.is_staff = superuser or any(ROLES[r].is_staff for r in roles)
        user.is_superuser = superuser
        user.save()
        user.groups.set(Group.objects.filter(name__in=[ROLES[r].group_name for r in roles]))
        rows.append((username, credentials[username], "、".join(ROLES[r].group_name for r in roles)))
    _save_credentials(credentials)
    return rows


def acting_user() -> User:
    """The demo site administrator: the acting user of the demo content."""
    return User.objects.get(username="admin")
