"""Writing the audit trail. Every action calls audit() with the acting user."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .action_labels import ACTION_LABELS, action_label, register_action_labels
from .models import AuditEntry

__all__ = ["ACTION_LABELS", "action_label", "audit", "history_of", "register_action_labels"]


def audit(
    obj: models.Model | None,
    action: str,
    *,
    by,
    note: str = "",
    from_state: str = "",
    to_state: str = "",
    **data,
) -> AuditEntry:
    """Append one audit row. ``by`` is required: an audit row never lacks a person."""
    if by is None or not getattr(by, "pk", None):
        raise ValueError("audit() needs a saved acting user")
    entry = AuditEntry(
        actor=by,
        action=action,
        note=note,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        data=data,
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:300]
    entry.save()
    return entry


def history_of(obj: models.Model):
    """The audit rows of one object, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
    ).select_related("actor")
