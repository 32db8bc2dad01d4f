"""Who may do what. Permission checks only: state checks live in the actions.

The two-person rule (GOV.UK's "second pair of eyes"): nobody approves a step
of a version they authored or submitted, and nobody publishes their own work.
Superusers obey it too unless PARKPORTAL_EDITORIAL_SUPERUSER_EXEMPT is set.
"""

from django.conf import settings

PUBLISH = "editorial.publish_content"
URGENT_PUBLISH = "editorial.urgent_publish"
APPROVE_RETROSPECTIVELY = "editorial.approve_retrospectively"
WITHDRAW = "editorial.withdraw_content"
ARCHIVE = "editorial.archive_content"
BREAK_LOCK = "editorial.break_lock"


def perm_name(model, action: str) -> str:
    opts = model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def can_edit(user, item_or_model) -> bool:
    """The model's change permission, or the item's own say (``can_be_edited_by``):
    an enterprise user may propose edits to their own enterprise only."""
    if not user.is_active:
        return False
    if not isinstance(item_or_model, type):
        own_say = getattr(item_or_model, "can_be_edited_by", None)
        if own_say is not None and own_say(user) is True:
            return True
    model = item_or_model if isinstance(item_or_model, type) else type(item_or_model)
    return user.has_perm(perm_name(model, "change"))


def can_add(user, model) -> bool:
    return user.is_active and user.has_perm(perm_name(model, "add"))


def exempt_from_two_person_rule(user) -> bool:
    return bool(user.is_superuser and settings.PARKPORTAL_EDITORIAL_SUPERUSER_EXEMPT)


def is_author(user, round_) -> bool:
    """Authored or submitted the version under review."""
    return user.pk in set(round_.authors) | {round_.submitted_by_id}


def can_act_on_task(user, task) -> bool:
    """Belongs to the step's group (or is the named person), before the two-person rule."""
    if not user.is_active:
        return False
    if task.assignee_id:
        return task.assignee_id == user.pk
    if user.is_superuser:
        return True
    return any(group.pk == task.group_id for group in user.groups.all())


def passes_two_person_rule(user, round_) -> bool:
    return exempt_from_two_person_rule(user) or not is_author(user, round_)


def can_view(user, item_or_model) -> bool:
    model = item_or_model if isinstance(item_or_model, type) else type(item_or_model)
    return user.is_active and (
        user.has_perm(perm_name(model, "view")) or user.has_perm(perm_name(model, "change"))
    )
