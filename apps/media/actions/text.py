"""Traditional characters pasted into a media row's text (title, alt text,
caption, description, transcript…): listed on its change page, converted to
Simplified in one click through the row's own edit action (audited; pages that
show the row get the new words with their next reviewed version)."""

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.errors import require_state
from apps.core.scripts import to_simplified
from apps.core.textclean import traditional_fields

from ..models import Attachment, Image, Video
from .attachments import update_attachment
from .images import IMAGE_FIELDS, update_image
from .videos import VIDEO_FIELDS, update_video

EDITABLE_TEXT = {Image: IMAGE_FIELDS, Video: VIDEO_FIELDS, Attachment: ("title",)}


def traditional_text(asset) -> list[tuple[str, str, list[str]]]:
    """(field, verbose name, Traditional-only characters) of the row's editable text."""
    model = type(asset)
    return traditional_fields(model, {name: getattr(asset, name) for name in EDITABLE_TEXT[model]})


@transaction.atomic
def convert_text_to_simplified(asset, *, by):
    """The row's text with its Traditional characters converted (OpenCC t2s, phrase by phrase)."""
    asset = type(asset).objects.select_for_update().get(pk=asset.pk)
    found = traditional_text(asset)
    require_state(found, _("该文件的文字没有需要转换的繁体字。"))
    fields = {name: to_simplified(getattr(asset, name)) for name, _label, _chars in found}
    if isinstance(asset, Image):
        return update_image(asset, by=by, fields=fields)
    if isinstance(asset, Video):
        return update_video(asset, by=by, fields=fields)
    return update_attachment(asset, by=by, title=fields["title"])
