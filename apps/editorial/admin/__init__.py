"""Admin integration: a ModelAdmin mixin for content models, and the engine's own admin.

A content model's admin inherits ``EditorialAdminMixin`` first:

    @admin.register(Page)
    class PageAdmin(EditorialAdminMixin, admin.ModelAdmin): ...

The change form then edits the latest draft (not the public row), refuses a
stale save, shows the workflow buttons this user may press (POST forms with a
comment), the timeline, comments, revisions with diffs, and preview links.

By concern: ``mixins`` (the two mixins), ``buttons`` (what each workflow button
asks for and calls), ``configuration`` (the engine's own models' admin).
"""

from . import configuration  # noqa: F401 - registers the engine's own models
from .buttons import ACTION_INPUTS, ACTION_LABELS, BASE_REVISION_FIELD, run_action
from .mixins import EditorialAdminMixin, EditorialChildInlineMixin

__all__ = [
    "ACTION_INPUTS", "ACTION_LABELS", "BASE_REVISION_FIELD", "EditorialAdminMixin",
    "EditorialChildInlineMixin", "run_action",
]
