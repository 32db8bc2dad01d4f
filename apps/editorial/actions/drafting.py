"""Drafts, revisions, reverts and edit locks."""

from typing import Callable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit
from apps.core.errors import InvalidTransition, require, require_state
from apps.core.textclean import clean_text_values

from .. import rules, traditional
from ..models import EditorialModel, Revision, RevisionKind, Status
from ..snapshots import draft_workspace, materialize, serialize, snapshots_equal
from .base import EDITABLE, StaleEdit, lock_for_update, ref, refuse_if_batched, refuse_if_locked_by_other, update


def check_editable(current, by, base_revision_id) -> None:
    """May ``by`` save a new version of ``current`` (read under the row lock) now?
    ``base_revision_id``: the version the editor's form was based on (None: don't check)."""
    require(rules.can_edit(by, current), _("您没有修改该内容的权限。"))
    require_state(
        current.status in EDITABLE,
        _("“%(status)s”状态的内容不能直接修改。") % {"status": current.get_status_display()},
    )
    refuse_if_locked_by_other(current, by)
    refuse_if_batched(current)
    if base_revision_id is not None and current.latest_revision_id != base_revision_id:
        raise StaleEdit(
            _("该内容在您打开后已被他人修改并保存。为避免覆盖他人的修改，本次保存未生效，请查看差异后重新编辑。"),
            base_revision_id=base_revision_id,
            latest_revision_id=current.latest_revision_id,
        )


def record_revision(item, *, by, snapshot: dict, kind=RevisionKind.EDIT, summary="", based_on=None) -> Revision | None:
    """Store a snapshot as the item's next revision and move the workflow state.

    Returns None when nothing changed since the latest revision. Callers hold
    the row lock.
    """
    latest = item.latest_revision
    if latest is not None and snapshots_equal(latest.snapshot, snapshot) and kind == RevisionKind.EDIT:
        return None
    item_ref = ref(item)
    number = (Revision.objects.filter(**item_ref).aggregate(n=Max("number"))["n"] or 0) + 1
    revision = Revision.objects.create(
        **item_ref, number=number, kind=kind, created_by=by, snapshot=snapshot,
        based_on=based_on or latest, summary=summary[:200],
    )
    from_status = item.status
    # A new version needs review again; "changes requested" stays until resubmitted.
    to_status = Status.CHANGES_REQUESTED if from_status == Status.CHANGES_REQUESTED else Status.DRAFT
    update(item, latest_revision=revision, status=to_status, updated_by=by, schedule_error="")
    audit(
        item, "editorial.revert" if kind == RevisionKind.REVERT else "editorial.save_draft", by=by,
        from_state=from_status, to_state=to_status, note=summary, revision=number,
    )
    return revision


@transaction.atomic
def create_draft(model, *, by, fields: dict, m2m: dict | None = None, children: dict | None = None,
                 kind=RevisionKind.EDIT, summary="") -> EditorialModel:
    """A new item as a draft, with its first revision."""
    require(rules.can_add(by, model), _("您没有新建该类内容的权限。"))
    item = model(**clean_text_values(model, fields))
    item.stamp(by)
    item.full_clean(exclude=list(m2m or {}))
    item.save()
    _write_relations(item, m2m, children)
    record_revision(item, by=by, snapshot=serialize(item), kind=kind, summary=summary or _("新建"))
    return item


def _write_relations(item, m2m, children):
    for name, values in (m2m or {}).items():
        getattr(item, name).set(values)
    for accessor, rows in (children or {}).items():
        manager = getattr(item, accessor)
        manager.all().delete()
        for row in rows:
            manager.create(**row)


@transaction.atomic
def save_draft(item, *, by, fields: dict | None = None, m2m: dict | None = None,
               children: dict | None = None, write: Callable | None = None,
               base_revision_id: int | None = None, summary="", kind=RevisionKind.EDIT) -> Revision | None:
    """Save a new version of an item. The public keeps the published version.

    Either pass ``fields`` / ``m2m`` / ``children`` to change, or ``write``: a
    function called with the item (the latest draft, materialised in the
    database) that makes its changes with ordinary saves (the admin does this).
    """
    current = lock_for_update(item)
    check_editable(current, by, base_revision_id)
    with draft_workspace(current) as workspace:
        if fields:
            for name, value in clean_text_values(type(current), fields).items():
                setattr(current, name, value)
            current.full_clean(exclude=list(m2m or {}))
        if fields or m2m or children:
            current.stamp(by)
            current.save()
            _write_relations(current, m2m, children)
        if write is not None:
            write(current)
        snapshot = workspace.capture()
        workspace.keep = True
    current = lock_for_update(item)  # reload: workflow fields, and the row as committed
    return record_revision(current, by=by, snapshot=snapshot, kind=kind, summary=summary)


def draft_fields(item) -> dict:
    """The field values of the item's latest version (its draft), by field name."""
    if item.latest_revision_id:
        return dict(item.latest_revision.snapshot.get("fields", {}))
    return {f.name: getattr(item, f.attname) for f in item._meta.concrete_fields}


@transaction.atomic
def convert_to_simplified(item, *, by, base_revision_id: int | None = None) -> Revision | None:
    """A new draft whose free-text fields and child rows have their Traditional
    characters converted to Simplified (OpenCC t2s, phrase by phrase). Media text
    is the media row's: it is converted there (apps.media)."""
    current = lock_for_update(item)
    check_editable(current, by, base_revision_id)
    snapshot = current.latest_revision.snapshot if current.latest_revision_id else serialize(current)
    found = [f for f in traditional.findings(type(current), snapshot) if f.in_item]
    require_state(found, _("该内容没有需要转换的繁体字。"))
    chars = "".join(dict.fromkeys(c for f in found for c in f.chars))
    return save_draft(
        current, by=by, write=traditional.convert, base_revision_id=base_revision_id,
        summary=_("繁体字转换为简体：%(chars)s") % {"chars": chars[:150]},
    )


@transaction.atomic
def revert(item, *, by, revision: Revision) -> Revision:
    """A new draft whose content is an old revision's."""
    current = lock_for_update(item)
    check_editable(current, by, None)
    require_state(revision.object_id == str(item.pk), _("该版本不属于此内容。"))
    with draft_workspace(current) as workspace:
        materialize(current, revision.snapshot)
        snapshot = workspace.capture()
        workspace.keep = True
    current = lock_for_update(item)
    return record_revision(
        current, by=by, snapshot=snapshot, kind=RevisionKind.REVERT, based_on=revision,
        summary=_("恢复为第 %(n)s 版") % {"n": revision.number},
    )


# --- Edit locks -------------------------------------------------------------------------

@transaction.atomic
def lock(item, *, by) -> None:
    current = lock_for_update(item)
    require(rules.can_edit(by, current), _("您没有编辑该内容的权限。"))
    if current.lock_is_active() and current.locked_by_id != by.pk:
        raise InvalidTransition(_("%(user)s 已锁定该内容。") % {"user": current.locked_by})
    update(current, locked_by=by, locked_at=timezone.now())
    audit(current, "editorial.lock", by=by)


@transaction.atomic
def unlock(item, *, by) -> None:
    current = lock_for_update(item)
    require_state(current.locked_by_id is not None, _("该内容没有被锁定。"))
    require(
        current.locked_by_id == by.pk or by.has_perm(rules.BREAK_LOCK),
        _("只有锁定人或有权限的管理人员可以解除锁定。"),
    )
    previous = current.locked_by_id
    update(current, locked_by=None, locked_at=None)
    audit(current, "editorial.unlock", by=by, previous_holder=previous)
