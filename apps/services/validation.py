"""Checking what an enterprise submits, before anything is written.

Each refusal is a ``ValidationError`` with a Chinese message keyed by the field
it concerns (``description``, ``attr_<code>``, ``material_<n>``), so a form
shows it beside the field and an API can return it as-is.
"""

import datetime as dt
import os
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.core.textclean import require_plain_text

from .models import AttributeType

DESCRIPTION_MAX = 4000
YES = {"yes", "true", "1", "是", "on"}
NO = {"no", "false", "0", "否", "off"}
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "webp", "gif", "tif", "tiff", "heic", "heif", "avif", "bmp"}


def clean_description(value: str) -> str:
    value = (value or "").replace("\r\n", "\n").strip()
    if not value:
        raise ValidationError({"description": _("请填写诉求描述。")})
    if len(value) > DESCRIPTION_MAX:
        raise ValidationError({"description": _("诉求描述不能超过 %(max)d 个字（现有 %(n)d 个字）。") % {
            "max": DESCRIPTION_MAX, "n": len(value)}})
    return require_plain_text(value, _("诉求描述只能是纯文本，不能包含 HTML 标签（如 <p>、<a>）。"), field="description")


def clean_plain(value: str, label: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError(_("“%(label)s”不能超过 %(limit)d 个字。") % {"label": label, "limit": limit})
    return require_plain_text(value, _("“%(label)s”只能是纯文本，不能包含 HTML 标签。") % {"label": label})


def _clean_attribute(definition, raw):
    """One typed value, or raise ValidationError with a message naming the field."""
    label = definition.label
    kind = definition.datatype
    if kind == AttributeType.MULTIPLE:
        values = [v.strip() for v in (raw or []) if str(v).strip()]
        offered = definition.choice_list
        wrong = [v for v in values if v not in offered]
        if wrong:
            raise ValidationError(_("“%(label)s”中没有选项“%(value)s”，请从列出的选项中选择。") % {"label": label, "value": wrong[0]})
        return values or None
    value = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
    value = value.strip()
    if not value:
        return None
    if kind == AttributeType.TEXT:
        return clean_plain(value, label, 200)
    if kind == AttributeType.LONG_TEXT:
        return clean_plain(value, label, 2000)
    if kind == AttributeType.NUMBER:
        try:
            number = Decimal(value.replace(",", "").replace("，", ""))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or abs(number) >= Decimal("1e15"):
            raise ValidationError(_("“%(label)s”须填写数字，例如 120 或 3.5。") % {"label": label})
        return str(number.normalize()) if number != number.to_integral() else str(number.quantize(Decimal(1)))
    if kind == AttributeType.DATE:
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValidationError(_("“%(label)s”须填写日期，格式为 年-月-日，例如 2026-03-01。") % {"label": label}) from None
    if kind == AttributeType.SINGLE:
        if value not in definition.choice_list:
            raise ValidationError(_("“%(label)s”中没有选项“%(value)s”，请从列出的选项中选择。") % {"label": label, "value": value[:50]})
        return value
    if kind == AttributeType.YES_NO:
        if value.lower() in YES:
            return True
        if value.lower() in NO:
            return False
        raise ValidationError(_("“%(label)s”请选择“是”或“否”。") % {"label": label})
    raise ValidationError(_("“%(label)s”的类型不受支持。") % {"label": label})


def clean_attributes(definitions, raw: dict, files: dict) -> dict:
    """Values of the service's typed attributes; unknown keys are ignored.

    ``raw`` maps a code to a string (a list for multiple choice); ``files`` maps
    the code of a file attribute to an upload. Raises one ValidationError with
    every field's message."""
    values, errors = {}, {}
    for definition in definitions:
        key = f"attr_{definition.code}"
        if definition.datatype == AttributeType.FILE:
            if definition.required and not files.get(definition.code):
                errors[key] = _("请上传“%(label)s”。") % {"label": definition.label}
            continue
        try:
            value = _clean_attribute(definition, raw.get(definition.code))
        except ValidationError as exc:
            errors[key] = exc.messages[0]
            continue
        if value is None:
            if definition.required:
                errors[key] = _("“%(label)s”为必填项。") % {"label": definition.label}
            continue
        values[definition.code] = value
    if errors:
        raise ValidationError(errors)
    return values


def check_file(upload) -> tuple[bytes, str]:
    """Bytes and kind of an uploaded material, checked by content with the media
    library's validation (images and documents); ValidationError otherwise."""
    from apps.media import actions as media

    name = os.path.basename(getattr(upload, "name", "") or "")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    limit = getattr(settings, "PARKPORTAL_SERVICES_FILE_MAX_BYTES", 20 * 1024 * 1024)
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(_("文件“%(name)s”过大，不能超过 %(limit)d MB。") % {"name": name, "limit": limit // (1024 * 1024)})
    if ext in IMAGE_EXTENSIONS:
        try:
            data, probe = media.validate_image(upload)
        except ValidationError as exc:
            raise ValidationError(_("文件“%(name)s”：%(reason)s") % {"name": name, "reason": exc.messages[0]}) from None
        return data, {"jpeg": "jpg"}.get(probe.format, probe.format)
    try:
        data, kind = media.validate_attachment(upload)
    except ValidationError as exc:
        raise ValidationError(_("文件“%(name)s”：%(reason)s") % {"name": name, "reason": exc.messages[0]}) from None
    if len(data) > limit:
        raise ValidationError(_("文件“%(name)s”过大，不能超过 %(limit)d MB。") % {"name": name, "limit": limit // (1024 * 1024)})
    return data, kind
