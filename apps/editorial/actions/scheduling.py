"""Scheduled publishing and expiry: what the editors set, and what beat does
every minute (``publish_due``)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit
from apps.core.errors import InvalidTransition, NotAllowed, require, require_state

from .. import checks, rules, signals
from ..models import ReviewRound, Status, Visibility
from ..notifications import notify
from .base import editorial_models, last_round, lock_for_update, logger, update
from .publishing import check_change_note, publish_version, require_publisher


@transaction.atomic
def schedule(item, *, by, go_live_at, expire_at=None, major: bool | None = None, change_note: str = "") -> None:
    current = lock_for_update(item)
    round_ = last_round(current)
    require_publisher(by, round_)
    require_state(current.status == Status.APPROVED, _("只有审核通过的内容可以定时发布。"))
    if go_live_at is None or go_live_at < timezone.now() + settings.PARKPORTAL_EDITORIAL_MIN_SCHEDULE_LEAD:
        minutes = int(settings.PARKPORTAL_EDITORIAL_MIN_SCHEDULE_LEAD.total_seconds() // 60)
        raise ValidationError(_("定时发布时间须至少在 %(m)s 分钟之后。") % {"m": minutes})
    if expire_at is not None and expire_at <= go_live_at:
        raise ValidationError(_("到期下线时间须晚于发布时间。"))
    major, change_note = check_change_note(current, major, change_note)
    checks.require_no_problems(current, stage=checks.SCHEDULE, by=by, revision=round_.revision)
    ReviewRound.objects.filter(pk=round_.pk).update(scheduled_by=by, publish_major=major, publish_note=change_note)
    update(current, status=Status.SCHEDULED, go_live_at=go_live_at, expire_at=expire_at, schedule_error="")
    audit(current, "editorial.schedule", by=by, from_state=Status.APPROVED, to_state=Status.SCHEDULED,
          go_live_at=go_live_at.isoformat(), expire_at=expire_at.isoformat() if expire_at else None)


@transaction.atomic
def unschedule(item, *, by) -> None:
    current = lock_for_update(item)
    require(by.is_active and by.has_perm(rules.PUBLISH), _("您没有取消定时发布的权限。"))
    require_state(current.status == Status.SCHEDULED, _("该内容没有定时发布。"))
    update(current, status=Status.APPROVED, go_live_at=None, expire_at=None)
    audit(current, "editorial.unschedule", by=by, from_state=Status.SCHEDULED, to_state=Status.APPROVED)


def publish_due(now=None) -> dict:
    """Beat, every minute: publish scheduled items whose time has come (never early,
    never twice), and take down live items past their expiry.

    One item's failure never stops the run: each is handled in its own transaction,
    and whatever goes wrong is recorded on the item, audited and mailed."""
    now = now or timezone.now()
    published, failed, expired = [], [], []
    for model in editorial_models():
        due = model._base_manager.filter(status=Status.SCHEDULED, go_live_at__lte=now).values_list("pk", flat=True)
        for pk in list(due):
            try:
                outcome = _publish_scheduled(model, pk, now)
            except Exception:  # even recording the failure failed: log it, go on with the others
                logger.exception("Scheduled publish of %s %s failed and could not be recorded", model._meta.label, pk)
                outcome = False
            (published if outcome is True else failed if outcome is False else []).append((model._meta.label, pk))
        for pk in list(model._base_manager.filter(visibility=Visibility.LIVE, expire_at__lte=now).values_list("pk", flat=True)):
            try:
                if _expire(model, pk, now):
                    expired.append((model._meta.label, pk))
            except Exception:
                logger.exception("Expiry of %s %s failed", model._meta.label, pk)
    return {"published": published, "failed": failed, "expired": expired}


def _publish_scheduled(model, pk, now) -> bool | None:
    with transaction.atomic():
        current = model._base_manager.select_for_update().get(pk=pk)
        if current.status != Status.SCHEDULED or current.go_live_at is None or current.go_live_at > now:
            return None  # already handled by another beat run, or unscheduled meanwhile
        round_ = last_round(current)
        scheduler = round_.scheduled_by if round_ else None
        try:
            # A savepoint: a failure undoes this attempt (and drops the mails and
            # signals it queued), and the failure is recorded below instead.
            with transaction.atomic():
                require(scheduler is not None, _("没有排期人。"))
                require_publisher(scheduler, round_)
                was = publish_version(current, by=scheduler, revision=round_.revision, major=round_.publish_major,
                                      change_note=round_.publish_note, now=now)
                audit(current, "editorial.publish", by=scheduler, from_state=was, to_state=Status.PUBLISHED,
                      note=_("定时发布"), scheduled=True, revision=round_.revision.number)
                notify("published", current, user_ids=round_.authors, by=scheduler)
                signals.send_published(current)
            return True
        except (NotAllowed, InvalidTransition, ValidationError) as exc:
            reason = getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [])) or str(exc)
        except Exception:  # a bug or a database error: record it, never retry every minute
            # The detail (exception, traceback) goes to the log only; staff see and are mailed a Chinese message.
            logger.exception("Scheduled publish of %s %s failed", model._meta.label, pk)
            reason = _("发布时发生意外错误，请联系技术人员查看系统日志，处理后重新排期。")
        current = model._base_manager.get(pk=pk)  # the row as it is, not as the failed attempt left it
        update(current, status=Status.APPROVED, schedule_error=reason)
        audit(current, "editorial.scheduled_publish_failed", by=scheduler or current.created_by,
              from_state=Status.SCHEDULED, to_state=Status.APPROVED, note=reason)
        recipients = set(round_.authors if round_ else []) | ({scheduler.pk} if scheduler else set())
        # The scheduler is told too: beat acted on their behalf and failed.
        notify("schedule_failed", current, user_ids=recipients, by=None, extra={"reason": reason})
        return False


def _expire(model, pk, now) -> bool:
    with transaction.atomic():
        current = model._base_manager.select_for_update().get(pk=pk)
        if current.visibility != Visibility.LIVE or current.expire_at is None or current.expire_at > now:
            return False
        round_ = last_round(current)
        actor = (round_.scheduled_by if round_ and round_.scheduled_by_id else None) or current.updated_by or current.created_by
        update(current, visibility=Visibility.GONE, status=Status.UNPUBLISHED, unpublished_at=now, expire_at=None)
        audit(current, "editorial.expire", by=actor, from_state=Status.PUBLISHED, to_state=Status.UNPUBLISHED,
              note=_("到期自动下线"))
        signals.send_unpublished(current)
        return True
