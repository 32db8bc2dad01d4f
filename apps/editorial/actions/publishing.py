"""Publishing an approved version, and urgent publishing (reviewed afterwards)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit
from apps.core.errors import InvalidTransition, require, require_state

from .. import checks, rules, signals
from ..models import ReviewBatch, ReviewRound, RoundStatus, Status, TaskStatus
from ..notifications import notify
from .base import last_round, lock_for_update, open_round, ref, require_text, update
from .batches import publish_members
from .golive import go_live
from .steps import may_sign_off_now
from .versions import authors_of_version, may_publish_urgently, refresh_media_text


# States from which an urgent publication skips something (a review not done yet).
URGENT_PUBLISHABLE = (Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED)


def check_change_note(current, major, change_note) -> tuple[bool, str]:
    """A new version of a published item is major (with a public note) or minor."""
    if current.first_published_at is None:
        return True, _("首次发布")
    if major is None:
        raise ValidationError(_("请选择本次更新是重大更新还是一般更新。"))
    if major:
        return True, require_text(change_note, _("重大更新须填写公开的更新说明。"))
    return False, ""


def require_publisher(by, round_, permission=rules.PUBLISH) -> None:
    require(by.is_active and by.has_perm(permission), _("您没有发布内容的权限。"))
    if round_ is not None:
        require(rules.passes_two_person_rule(by, round_), _("双人审核规则：作者不能发布自己的稿件。"))


def publish_version(current, *, by, revision, major, change_note, now=None) -> str:
    """``go_live`` and, for a review batch, publishing each of its members' batched
    revisions in the same transaction. Returns the status the version replaced."""
    now = now or timezone.now()
    was = go_live(current, by=by, revision=revision, major=major, change_note=change_note, now=now)
    if isinstance(current, ReviewBatch):
        publish_members(current, by=by, now=now)
    return was


def check_publishable(current, round_, *, by, major, change_note) -> tuple[bool, str]:
    """The publish gate of a round's approved version (发布 and 签发 alike): the
    change note of a republication, and the checks of the publish stage."""
    major, change_note = check_change_note(current, major, change_note)
    checks.require_no_problems(current, stage=checks.PUBLISH, by=by, revision=round_.revision)
    return major, change_note


def publish_approved(current, round_, *, by, major, change_note, now=None, **audit_data) -> None:
    """The round's approved version goes live (after ``check_publishable``): its audit
    row, the authors told, the signal. ``audit_data``: what 签发 adds (the step)."""
    was = publish_version(current, by=by, revision=round_.revision, major=major, change_note=change_note, now=now)
    audit(current, "editorial.publish", by=by, from_state=was, to_state=Status.PUBLISHED,
          note=change_note, major=major, revision=round_.revision.number, **audit_data)
    notify("published", current, user_ids=round_.authors, by=by)
    signals.send_published(current)


@transaction.atomic
def publish(item, *, by, major: bool | None = None, change_note: str = "") -> None:
    current = lock_for_update(item)
    round_ = last_round(current)
    require_publisher(by, round_)
    require_state(current.status == Status.APPROVED, _("只有审核通过的内容可以发布（当前：%(status)s）。") % {"status": current.get_status_display()})
    require_state(round_ is not None and round_.status == RoundStatus.APPROVED, _("该内容没有通过的审核记录。"))
    major, change_note = check_publishable(current, round_, by=by, major=major, change_note=change_note)
    publish_approved(current, round_, by=by, major=major, change_note=change_note)


@transaction.atomic
def urgent_publish(item, *, by, reason: str, major: bool | None = None, change_note: str = "") -> ReviewRound:
    """Publish without the remaining reviews: needs a written reason, is flagged,
    and must be approved afterwards by someone else."""
    reason = require_text(reason, _("紧急发布必须填写理由。"))
    current = lock_for_update(item)
    require(by.is_active and by.has_perm(rules.URGENT_PUBLISH), _("您没有紧急发布的权限。"))
    # Urgent publishing skips reviews: once every step has approved, there is nothing
    # left to skip, and 发布 (or 定时发布) is the way.
    require_state(
        current.status != Status.APPROVED,
        _("该内容已通过全部审核，请直接发布或定时发布，无需紧急发布。"),
    )
    require_state(
        current.status in URGENT_PUBLISHABLE,
        _("该内容当前不能紧急发布（当前：%(status)s）。") % {"status": current.get_status_display()},
    )
    require_state(current.latest_revision_id is not None, _("请先保存内容。"))
    # Nor when the open step is the last and approving it would publish (签发):
    # this person's approval is all that is left.
    require_state(
        not may_sign_off_now(by, current),
        _("只剩您负责的签发这一步，请直接审核通过并签发，无需紧急发布。"),
    )
    authors = authors_of_version(current)
    require(
        may_publish_urgently(by, current),
        _("双人审核规则：编辑或提交该版本的人不能发布它，紧急发布也不例外。"),
    )
    major, change_note = check_change_note(current, major, change_note)
    # What goes live unreviewed still meets every submission rule (alt text, media
    # processed, captions): urgency skips the reviewers, not the checks.
    refresh_media_text(current, by=by)
    # Urgent publishing is no escape from the checks (a serious wording error blocks it too).
    checks.require_no_problems(current, stage=checks.URGENT_PUBLISH, by=by, revision=current.latest_revision)
    now = timezone.now()
    round_ = open_round(current)
    if round_ is not None:
        round_.tasks.filter(status=TaskStatus.OPEN).update(status=TaskStatus.SKIPPED, decided_at=now)
        round_.status = RoundStatus.URGENT
        round_.urgent_reason, round_.urgent_by, round_.finished_at = reason, by, now
        round_.save(update_fields=["status", "urgent_reason", "urgent_by", "finished_at"])
    else:
        round_ = ReviewRound.objects.create(
            **ref(current), item_repr=str(current)[:300], revision=current.latest_revision,
            sensitivity=current.sensitivity, steps=[], submitted_by=by, authors=authors,
            status=RoundStatus.URGENT, urgent_reason=reason, urgent_by=by, finished_at=now,
        )
    revision = current.latest_revision
    was = publish_version(current, by=by, revision=revision, major=major, change_note=change_note, now=now)
    update(current, awaiting_retrospective_review=True)
    audit(current, "editorial.urgent_publish", by=by, from_state=was, to_state=Status.PUBLISHED,
          note=reason, major=major, revision=revision.number)
    notify("published", current, user_ids=authors, by=by, extra={"urgent": True, "reason": reason})
    signals.send_published(current)
    return round_
