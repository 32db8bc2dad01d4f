"""The two ways an action refuses: a permission problem or a state problem.

They are different exceptions on purpose (Wagtail mixes them): a view turns
NotAllowed into 403 and InvalidTransition into 409, each with the message.
"""

from django.core.exceptions import PermissionDenied


class NotAllowed(PermissionDenied):
    """The acting user may not do this."""


class InvalidTransition(Exception):
    """The object is not in a state where this action applies."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


def require(condition: bool, message: str) -> None:
    """Raise NotAllowed with a user-facing message unless condition holds."""
    if not condition:
        raise NotAllowed(message)


def require_state(condition: bool, message: str) -> None:
    """Raise InvalidTransition with a user-facing message unless condition holds."""
    if not condition:
        raise InvalidTransition(message)
