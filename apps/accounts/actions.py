"""Writes to accounts: who may hold which powers.

The rule against escalation: nobody grants what they do not hold, and nobody changes
an account that holds more than they do (its password, roles, flags). Only superusers
grant superuser status or raw permissions. Each change is audited with the acting user.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from apps.core.audit import audit
from apps.core.errors import require

from .models import User


def _labels(permissions) -> frozenset[str]:
    return frozenset(f"{app_label}.{codename}" for app_label, codename in permissions)


def held_permissions(user) -> frozenset[str]:
    """Every permission the account holds through its groups and its own grants,
    whether or not it is active (an inactive account can be reactivated)."""
    if user.is_superuser:
        return _labels(Permission.objects.values_list("content_type__app_label", "codename"))
    return _labels(
        Permission.objects.filter(Q(group__user=user) | Q(user=user))
        .values_list("content_type__app_label", "codename")
        .distinct()
    )


def group_permissions(group: Group) -> frozenset[str]:
    return _labels(group.permissions.values_list("content_type__app_label", "codename"))


def may_manage(actor, target) -> bool:
    """True when ``actor`` may change ``target`` (profile, password, roles): a
    superuser may change anyone; others only accounts holding no more than they do."""
    if not (actor.is_active and actor.has_perm("accounts.change_user")):
        return False
    if actor.is_superuser:
        return True
    if target.is_superuser:
        return False
    return held_permissions(target) <= held_permissions(actor)


def grantable_groups(actor):
    """The roles ``actor`` may give or take: all for a superuser, else those whose
    permissions ``actor`` holds itself."""
    groups = Group.objects.prefetch_related("permissions__content_type").order_by("name")
    if actor.is_superuser:
        return groups
    held = held_permissions(actor)
    allowed = [
        g.pk for g in groups
        if {f"{p.content_type.app_label}.{p.codename}" for p in g.permissions.all()} <= held
    ]
    return Group.objects.filter(pk__in=allowed).order_by("name")


def _require_manage(actor, target) -> None:
    require(may_manage(actor, target), _("您不能修改权限比您更高的账号。"))


@transaction.atomic
def create_account(user: User, *, by) -> User:
    """Save a new account made in the admin: no roles, never a superuser."""
    require(by.is_active and by.has_perm("accounts.add_user"), _("您没有创建账号的权限。"))
    require(user.pk is None, _("账号已存在。"))
    if not by.is_superuser:
        user.is_superuser = False
    user.save()
    audit(user, "accounts.create", by=by, username=user.username, is_staff=user.is_staff,
          is_superuser=user.is_superuser)
    return user


@transaction.atomic
def set_roles(user: User, groups, *, by) -> None:
    """Give ``user`` exactly these roles (groups)."""
    _require_manage(by, user)
    wanted = {g.pk: g for g in groups}
    current = {g.pk: g for g in user.groups.all()}
    added = [wanted[pk] for pk in wanted.keys() - current.keys()]
    removed = [current[pk] for pk in current.keys() - wanted.keys()]
    if not added and not removed:
        return
    if not by.is_superuser:
        held = held_permissions(by)
        for group in added + removed:
            require(group_permissions(group) <= held,
                    _("您不能授予或撤销“%(role)s”角色：它包含您没有的权限。") % {"role": group.name})
    user.groups.add(*added)
    user.groups.remove(*removed)
    audit(user, "accounts.set_roles", by=by, added=sorted(g.name for g in added),
          removed=sorted(g.name for g in removed))


@transaction.atomic
def set_superuser(user: User, value: bool, *, by) -> None:
    require(by.is_active and by.is_superuser, _("只有超级管理员可以授予或撤销超级管理员身份。"))
    if user.is_superuser == value:
        return
    User.objects.filter(pk=user.pk).update(is_superuser=value)
    user.is_superuser = value
    audit(user, "accounts.set_superuser", by=by, is_superuser=value)


@transaction.atomic
def set_permissions(user: User, permissions, *, by) -> None:
    """Give ``user`` exactly these individual permissions (besides its roles)."""
    require(by.is_active and by.is_superuser, _("只有超级管理员可以直接授予权限。"))
    wanted = {p.pk: p for p in permissions}
    current = set(user.user_permissions.values_list("pk", flat=True))
    if set(wanted) == current:
        return
    user.user_permissions.set(list(wanted.values()))
    labels = _labels(Permission.objects.filter(pk__in=set(wanted) ^ current)
                     .values_list("content_type__app_label", "codename"))
    audit(user, "accounts.set_permissions", by=by, changed=sorted(labels))


@transaction.atomic
def set_password(user: User, raw_password: str | None, *, by) -> None:
    """Set ``user``'s password, or disable password login when it is None."""
    _require_manage(by, user)
    if raw_password is None:
        user.set_unusable_password()
    else:
        user.set_password(raw_password)
    user.save(update_fields=["password"])
    audit(user, "accounts.set_password", by=by, usable=raw_password is not None)


@transaction.atomic
def update_account(user: User, *, by, changed_fields=()) -> User:
    """Save profile and status fields changed in the admin (not roles nor superuser)."""
    _require_manage(by, user)
    stored = User.objects.filter(pk=user.pk).values("is_superuser", "password").first()
    if stored is not None:
        # Those two change only through set_superuser() and set_password().
        user.is_superuser = stored["is_superuser"]
        user.password = stored["password"]
    user.save()
    if changed_fields:
        audit(user, "accounts.update", by=by, fields=sorted(changed_fields))
    return user
