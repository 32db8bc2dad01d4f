"""E-mail notifications of the workflow, queued by task name through the outbox:
written in the action's transaction, sent to the broker after commit, re-sent by
beat if the broker was down (``apps.core.outbox``)."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from apps.core import outbox

# The task that renders and sends the mails (apps.editorial.tasks.send_notification).
SEND_TASK = "editorial.send_notification"


def recipients(*, user_ids=None, group_id=None, user_id=None, exclude=None) -> list[int]:
    """Active users to tell: a named user, or a group's members, or given ids."""
    User = get_user_model()
    if user_id:
        ids = {user_id}
    elif group_id:
        ids = set(User.objects.filter(groups=group_id, is_active=True).values_list("pk", flat=True))
    else:
        ids = set(user_ids or ())
    ids.discard(getattr(exclude, "pk", exclude))
    return sorted(i for i in ids if i)


def notify(kind: str, item, *, by=None, user_ids=None, group_id=None, user_id=None, extra=None) -> list[int]:
    """Queue one e-mail per recipient, sent after the transaction commits."""
    ids = recipients(user_ids=user_ids, group_id=group_id, user_id=user_id, exclude=by)
    if not ids:
        return ids
    content_type_id = ContentType.objects.get_for_model(item, for_concrete_model=False).pk
    payload = dict(extra or {})
    if by is not None:
        payload["by"] = str(by)
    outbox.enqueue(SEND_TASK, kind, content_type_id, str(item.pk), ids, payload)
    return ids
