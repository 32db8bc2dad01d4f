"""Every editorial write, by concern. Each action takes the acting user (``by``),
reads the item's state under a row lock, checks permission (NotAllowed) then
state (InvalidTransition), writes, audits, and queues notifications after commit.
Bad input (an empty reason, a time in the past) raises ValidationError.

- ``base``: the row lock, the one writer of workflow fields (which tells the page
  cache when the public's view changes), shared refusals and exceptions;
- ``drafting``: drafts, revisions, reverts, edit locks;
- ``review``: submit, approve, request changes, retrospective approval;
- ``golive`` / ``publishing``: a version going live, publish and urgent publish;
- ``scheduling``: schedule, unschedule, and beat's ``publish_due`` (scheduled
  publish and expiry);
- ``takedown``: withdraw, unpublish, archive;
- ``batches``: review batches and publishing their members;
- ``comments``, ``preview_links``.

Callers use this package's names (``actions.publish(...)``); the modules are its layout.
"""

from .base import EDITABLE, StaleEdit, StaleStep, editorial_models, last_round, lock_for_update
from .batches import create_batch, publish_members
from .comments import add_comment, resolve_comment
from .drafting import check_editable, convert_to_simplified, create_draft, draft_fields, lock, record_revision, revert, save_draft, unlock
from .golive import go_live
from .preview_links import (
    PREVIEW_SALT, PreviewLinkInvalid, create_preview_link, revoke_preview_link, use_preview_link,
)
from .publishing import publish, publish_version, urgent_publish
from .review import approve, approve_retrospectively, may_publish_urgently, request_changes, submit
from .scheduling import publish_due, schedule, unschedule
from .takedown import archive, unpublish, withdraw

__all__ = [
    "EDITABLE", "PREVIEW_SALT", "PreviewLinkInvalid", "StaleEdit", "StaleStep",
    "add_comment", "approve", "approve_retrospectively", "archive", "check_editable", "create_batch",
    "convert_to_simplified", "create_draft", "create_preview_link", "draft_fields", "editorial_models", "go_live", "last_round", "lock",
    "lock_for_update", "may_publish_urgently", "publish", "publish_due", "publish_members",
    "publish_version", "record_revision", "request_changes", "resolve_comment", "revert",
    "revoke_preview_link", "save_draft", "schedule", "submit", "unlock", "unpublish", "unschedule",
    "urgent_publish", "use_preview_link", "withdraw",
]
