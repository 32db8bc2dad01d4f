"""Making a revision the public version: the one step every publication takes
(publish, urgent publish, scheduled publish, a batch's members)."""

from django.utils import timezone

from ..models import ChangeNote, Status, Visibility
from ..snapshots import materialize
from .base import ref, update


def go_live(current, *, by, revision, major, change_note, now=None, announce: bool = True) -> str:
    """Make ``revision`` the public version; return the status it replaced.
    Callers hold the lock and have checked permission and state. The page cache
    is told after commit (``announce=False``: the caller's transaction has told it)."""
    now = now or timezone.now()
    materialize(current, revision.snapshot)
    first = current.first_published_at is None
    was = current.status
    fields = dict(
        status=Status.PUBLISHED, visibility=Visibility.LIVE, live_revision=revision, latest_revision=revision,
        go_live_at=None, withdrawn_at=None, withdrawal_note="", unpublished_at=None, redirect_url="",
        schedule_error="", updated_by=by,
    )
    if first:
        fields["first_published_at"] = now
        fields["public_updated_at"] = now
    elif major:
        fields["public_updated_at"] = now
    update(current, announce=announce, **fields)
    if major:
        ChangeNote.objects.create(**ref(current), revision=revision, note=change_note, published_at=now, created_by=by)
    return was
