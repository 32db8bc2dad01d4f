"""Receivers of the editorial engine's signals (sent after commit)."""

from django.contrib.contenttypes.models import ContentType

from apps.core import outbox

RESCAN_ITEM_TASK = "inspection.rescan_item_wording"


def item_changed(sender, item, **kwargs) -> None:
    """What the public sees of ``item`` changed: re-scan its live wording (a task,
    through the outbox, so a dead broker loses nothing)."""
    content_type = ContentType.objects.get_for_model(item, for_concrete_model=False)
    outbox.enqueue(RESCAN_ITEM_TASK, content_type.pk, str(item.pk))
