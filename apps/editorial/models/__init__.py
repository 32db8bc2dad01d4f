"""The editorial workflow engine's data.

A content model plugs in by inheriting ``EditorialModel`` (and its admin by
``EditorialAdminMixin``). The content row always holds what the public may see
once it has been published; every saved draft is a ``Revision`` snapshot, and a
draft of a published item lives only in its revisions until it is published.

By concern: ``content`` (what a content model inherits, the read rules),
``revisions``, ``review`` (chains, rounds, tasks, comments), ``sharing``
(preview links, mail opt-outs), ``batches``. Import the names from here.
"""

from .content import Status, Visibility, Sensitivity, EditorialQuerySet, EditorialModel, editorial_models, ObjectRef
from .revisions import RevisionKind, Revision, ChangeNote
from .review import ReviewChain, ReviewStep, RoundStatus, ReviewRound, TaskStatus, ReviewTaskQuerySet, ReviewTask, ReviewComment
from .sharing import PreviewLink, PreviewLinkUse, NotificationKind, EmailOptOut
from .batches import ReviewBatch, BatchEntryQuerySet, BatchEntry

__all__ = [
    "BatchEntry",
    "BatchEntryQuerySet",
    "ChangeNote",
    "EditorialModel",
    "EditorialQuerySet",
    "EmailOptOut",
    "NotificationKind",
    "ObjectRef",
    "PreviewLink",
    "PreviewLinkUse",
    "ReviewBatch",
    "ReviewChain",
    "ReviewComment",
    "ReviewRound",
    "ReviewStep",
    "ReviewTask",
    "ReviewTaskQuerySet",
    "Revision",
    "RevisionKind",
    "RoundStatus",
    "Sensitivity",
    "Status",
    "TaskStatus",
    "Visibility",
    "editorial_models",
]
