"""What every editorial action shares: the row lock, the one writer of workflow
fields (which also tells the page cache when the public's view changed), item
references, the rounds of an item, and the refusals that more than one action raises."""

import logging

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import pagecache
from apps.core.errors import InvalidTransition

from .. import signals
from ..models import BatchEntry, EditorialModel, ReviewRound, RoundStatus, Status
from ..models import editorial_models  # noqa: F401 - the actions' name for it

logger = logging.getLogger("apps.editorial.actions")


class StaleStep(InvalidTransition):
    """The review step the reviewer was looking at has been decided meanwhile."""


class StaleEdit(InvalidTransition):
    """The form was based on an older version than the latest one."""

    def __init__(self, message, *, base_revision_id, latest_revision_id):
        super().__init__(message)
        self.base_revision_id = base_revision_id
        self.latest_revision_id = latest_revision_id


EDITABLE = {
    Status.DRAFT, Status.CHANGES_REQUESTED, Status.APPROVED, Status.PUBLISHED,
    Status.WITHDRAWN, Status.UNPUBLISHED,
}

# Workflow fields the public sees: writing any of them changes public pages
# (a version going live, a withdrawal notice, 410 or a redirect, the dates shown).
PUBLIC_FIELDS = frozenset({
    "visibility", "live_revision", "first_published_at", "public_updated_at",
    "withdrawn_at", "withdrawal_note", "unpublished_at", "redirect_url",
})


def lock_for_update(item: EditorialModel) -> EditorialModel:
    """Re-read the item under a row lock: state decisions use this copy only."""
    # of=("self",): lock the item row only (PostgreSQL refuses FOR UPDATE across the
    # nullable side of the outer join that select_related makes).
    return type(item)._base_manager.select_for_update(of=("self",)).select_related("latest_revision").get(pk=item.pk)


def update(item, *, announce: bool = True, **fields) -> None:
    """Write workflow fields without touching content (which may be the public version).

    Every workflow write goes through here, so this is where the page cache hears
    of every change the public can see: visibility (publish, scheduled publish,
    expiry, withdraw, unpublish), the live version, a takedown's details, and
    archiving (which drops an item from site navigation). ``announce=False`` only
    where the same transaction has announced already (a batch's members).
    Such a write also sends ``signals.public_version_changed`` (always, batch
    members included, collected into one ``public_versions_changed`` per model):
    the search index follows it.
    """
    fields.setdefault("updated_at", timezone.now())
    type(item)._base_manager.filter(pk=item.pk).update(**fields)
    for name, value in fields.items():
        setattr(item, name, value)
    public = bool(PUBLIC_FIELDS.intersection(fields) or fields.get("status") == Status.ARCHIVED)
    if public and announce:
        pagecache.content_changed()  # bumps the generation after commit
    if public:
        signals.announce_public_change(item, frozenset(fields))


def ref(item) -> dict:
    return {"content_type": ContentType.objects.get_for_model(item, for_concrete_model=False), "object_id": str(item.pk)}


def open_round(item) -> ReviewRound | None:
    return ReviewRound.objects.filter(**ref(item), status=RoundStatus.IN_PROGRESS).first()


def last_round(item) -> ReviewRound | None:
    return ReviewRound.objects.filter(**ref(item)).order_by("-id").first()


def require_text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


def refuse_if_locked_by_other(current, by) -> None:
    """Someone else is mid-edit: neither save over them nor send their draft to review."""
    if current.lock_is_active() and current.locked_by_id != by.pk:
        raise InvalidTransition(
            _("%(user)s 正在编辑该内容（%(time)s 起），请稍后再试或请其解除锁定。")
            % {"user": current.locked_by, "time": timezone.localtime(current.locked_at).strftime("%H:%M")}
        )


def refuse_if_batched(item) -> None:
    """While a batch holding the item is open, the item is neither edited nor submitted alone."""
    entry = BatchEntry.objects.filter(**BatchEntry.ref_filter(item)).in_open_batch().select_related("batch").first()
    if entry is not None:
        raise InvalidTransition(
            _("该内容在批次《%(batch)s》中等待审核，批次审核完成前不能单独修改或提交。") % {"batch": entry.batch.title}
        )

