"""Where uploads are stored: the private original under a content-hashed name,
and the row that records it. Shared by the image, video and attachment uploads.

A file this upload wrote is deleted again unless the transaction that records
its row commits (``_Written``), so a refused or rolled-back upload leaves no
orphan; the same content uploaded again reuses the existing row and file.
"""

import logging
import os
import weakref
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction

from ..models import Attachment, Image, Video, private_storage
from ..validation import human_bytes

logger = logging.getLogger(__name__)


def read_capped(file: IO[bytes], limit: int, message: str) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(message.format(size=f">{human_bytes(limit)}", limit=human_bytes(limit)), code="too_large")
    return data


def name_of(file) -> str:
    return os.path.basename(getattr(file, "name", "") or "")[:255]


class _Written:
    """A private original this upload wrote: deleted again unless the transaction
    that records its row commits, so a rollback leaves no orphan file.

    Django has no on-rollback hook. ``keep`` is called from the upload's
    on-commit callback; when the transaction (or a savepoint the callback was
    registered in) rolls back, the connection drops the callback uncalled, this
    object goes with it and its finaliser deletes the file. An error inside the
    upload itself calls ``discard`` at once. A file that was already there
    (the same content, another row) is never a ``_Written``: it is not deleted.
    """

    def __init__(self, storage, name: str):
        self.name = name
        self._finalizer = weakref.finalize(self, _Written._delete, storage, name)
        self._finalizer.atexit = False  # an interrupted process decides nothing

    @staticmethod
    def _delete(storage, name: str, *, unless_referenced: bool = True) -> None:
        # The callback can also be dropped after a commit (an earlier on-commit
        # callback raised and Django skipped the rest): a file that a visible row
        # names is not deleted by the finaliser. When in doubt, keep it: an orphan
        # is harmless, a row without its original is not.
        try:
            if unless_referenced and _outside_any_transaction() and _referenced(name):
                return
            storage.delete(name)
        except Exception:  # noqa: BLE001 - a finaliser must not raise; the file is only an orphan
            logger.exception("media: could not delete the orphaned original %s", name)

    def keep(self) -> None:
        self._finalizer.detach()

    def discard(self) -> None:
        """The upload failed inside its own atomic block, which rolls its row back."""
        detached = self._finalizer.detach()
        if detached is not None:  # not kept or deleted already
            storage, name = detached[2]
            _Written._delete(storage, name, unless_referenced=False)


def _outside_any_transaction() -> bool:
    """True when the finaliser runs after a commit (autocommit is back on); False
    while Django is rolling a transaction or savepoint back, when the row is gone
    and the connection must not be used (PostgreSQL would be left in a transaction)."""
    from django.db import connection

    return connection.get_autocommit() and not connection.in_atomic_block


def _referenced(name: str) -> bool:
    """Whether a row this connection can see names ``name`` as its private file."""
    return (
        Image.objects.filter(original=name).exists()
        or Video.objects.filter(original=name).exists()
        or Attachment.objects.filter(file=name).exists()
    )


def store_private(name: str, content: File) -> tuple[str, "_Written | None"]:
    """Save under a content-hashed name; (name, what this call wrote or None)."""
    if private_storage.exists(name):
        return name, None
    name = private_storage.save(name, content)
    return name, _Written(private_storage._wrapped, name)  # the storage of now, even if settings change


def keep_on_commit(written: "_Written | None") -> None:
    if written is not None:
        transaction.on_commit(written.keep)


def create_or_reuse(model, content_hash: str, stored_name: str, written: "_Written | None", **fields):
    """Insert the row; on a concurrent insert of the same content, reuse that row."""
    try:
        with transaction.atomic():
            return model.objects.create(content_hash=content_hash, **fields), True
    except IntegrityError:
        existing = model.objects.filter(content_hash=content_hash).first()
        if written is not None:
            field = existing and (existing.file if isinstance(existing, Attachment) else existing.original)
            uses = field is not None and field.name == stored_name
            written.keep() if uses else written.discard()  # the same name: the other row's file now
        if existing is None:
            raise
        return existing, False
    except BaseException:
        if written is not None:
            written.discard()
        raise
