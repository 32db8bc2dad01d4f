"""Who wrote the version under review, who may publish it urgently, and bringing the
media library's text into it (shared by review and publishing)."""

from django.utils.translation import gettext as _

from .. import media_text, rules
from ..models import Revision, ReviewRound, RoundStatus
from ..snapshots import snapshots_equal
from .base import ref
from .drafting import record_revision


def authors_of_version(item) -> list[int]:
    """Everyone who saved a revision since the public version (all, if never published)."""
    revisions = Revision.objects.filter(**ref(item))
    if item.live_revision_id:
        revisions = revisions.filter(id__gt=item.live_revision_id)
    return sorted(set(revisions.values_list("created_by_id", flat=True)))


def _submitters_of_version(item) -> set[int]:
    """Who sent the latest version to review (the open round's submitter, and any
    earlier round of the same revision): they may not publish it either."""
    if not item.latest_revision_id:
        return set()
    return set(
        ReviewRound.objects.filter(**ref(item), revision_id=item.latest_revision_id)
        .exclude(status=RoundStatus.URGENT).values_list("submitted_by_id", flat=True)
    )


def may_publish_urgently(by, item) -> bool:
    """The two-person rule for urgent publishing: neither an author of the version
    nor whoever submitted it."""
    if rules.exempt_from_two_person_rule(by):
        return True
    return by.pk not in authors_of_version(item) and by.pk not in _submitters_of_version(item)


def refresh_media_text(current, *, by) -> None:
    """Copy the media library's current text (alt text, captions, titles) into the
    version about to be reviewed or published: a new revision when it changed since
    the version was saved, so reviewers approve the words the public will read."""
    snapshot = current.latest_revision.snapshot
    fresh = media_text.with_current_text(type(current), snapshot)
    # A version saved before media text was kept has no key: "no media" is no change.
    before = snapshot.get("fields", {}).get(media_text.FIELD, {})
    after = fresh.get("fields", {}).get(media_text.FIELD, {})
    if not snapshots_equal(before, after):
        record_revision(current, by=by, snapshot=fresh, summary=_("更新图片、视频、附件的文字"))
