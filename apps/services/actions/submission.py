"""What an enterprise account does: submit a request, withdraw it, answer a 补正.

Everything is checked before anything is written: a refusal is a ValidationError
(bad input, keyed by field), NotAllowed (not an account of the enterprise) or
InvalidTransition (the request is no longer in that state).
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import require
from apps.core.tracking import create_with_number

from .. import materials as stored_materials
from .. import rules, tracking
from ..models import Service, ServiceRequest, State
from ..validation import check_file, clean_attributes, clean_description, clean_plain
from .base import change, finish_waiting, lock, record, require_in

PHONE = re.compile(r"^\+?[0-9][0-9\- ]{6,19}$")


def _service(service) -> Service:
    code = service.code if isinstance(service, Service) else str(service or "")
    found = Service.objects.open_online().filter(code=code).first()
    if found is None:
        raise ValidationError({"service": _("没有编码为“%(code)s”的可在线办理事项，请从办事指南中选择。") % {"code": code[:50]}})
    return found


def _contact(name: str, phone: str) -> tuple[str, str]:
    errors = {}
    name = (name or "").strip()
    phone = (phone or "").strip()
    if not name:
        errors["contact_name"] = _("请填写联系人姓名。")
    elif len(name) > 50:
        errors["contact_name"] = _("联系人姓名不能超过 50 个字。")
    if not PHONE.match(phone):
        errors["contact_phone"] = _("请填写有效的联系电话（手机号或带区号的固定电话）。")
    if errors:
        raise ValidationError(errors)
    return name, phone.replace(" ", "")


def _check_all(uploads: list[tuple[str, str, object]]) -> list:
    """Check every file by content; (label, upload, (bytes, kind)) or one ValidationError."""
    checked, errors = [], {}
    for key, label, upload in uploads:
        try:
            checked.append((label, upload, check_file(upload)))
        except ValidationError as exc:
            errors.setdefault(key, exc.messages[0])
    if errors:
        raise ValidationError(errors)
    return checked


def _collect(errors: dict, call, *args):
    try:
        return call(*args)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        return None


def _location(lat, long) -> dict:
    """Optional WGS-84 coordinates (Open311 ``lat``/``long``): both or neither, in range."""
    from decimal import Decimal, InvalidOperation

    if lat in (None, "") and long in (None, ""):
        return {}
    message = _("位置坐标须同时填写纬度（-90 至 90）和经度（-180 至 180）。")
    try:
        lat_value, long_value = Decimal(str(lat).strip()), Decimal(str(long).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"lat": message}) from None
    if not (lat_value.is_finite() and long_value.is_finite() and -90 <= lat_value <= 90 and -180 <= long_value <= 180):
        raise ValidationError({"lat": message})
    return {"lat": lat_value.quantize(Decimal("0.000001")), "long": long_value.quantize(Decimal("0.000001"))}


def check_submission(service, *, contact_name, contact_phone, description, attributes=None, attribute_files=None,
                     materials=None, address: str = "", lat=None, long=None):
    """Every check of a submission, with nothing written: (service, cleaned values, checked files)."""
    service = _service(service)
    attributes, attribute_files, materials = attributes or {}, attribute_files or {}, materials or {}
    errors: dict = {}
    contact = _collect(errors, _contact, contact_name, contact_phone)
    location = _collect(errors, _location, lat, long)
    description = _collect(errors, clean_description, description)
    try:
        address = clean_plain(address, _("地点或地址"), 200)
    except ValidationError as exc:
        errors["address"] = exc.messages
    definitions = list(service.attribute_definitions.all())
    values = _collect(errors, clean_attributes, definitions, attributes, attribute_files)
    uploads = []
    for definition in definitions:
        upload = attribute_files.get(definition.code)
        if definition.datatype == "file" and upload:
            uploads.append((f"attr_{definition.code}", definition.label, upload))
    for material in service.materials.all():
        files = [f for f in materials.get(material.pk, []) if f]
        if material.required and not files:
            errors[f"material_{material.pk}"] = [_("请上传“%(name)s”。") % {"name": material.name}]
        uploads.extend((f"material_{material.pk}", material.name, f) for f in files)
    for f in materials.get("other", []):
        if f:
            uploads.append(("material_other", _("其他材料"), f))
    checked = _collect(errors, _check_all, uploads)
    if errors:
        raise ValidationError(errors)
    for definition in definitions:
        upload = attribute_files.get(definition.code)
        if definition.datatype == "file" and upload:
            values[definition.code] = (getattr(upload, "name", "") or definition.label)[-100:]
    cleaned = {"contact_name": contact[0], "contact_phone": contact[1], "description": description,
               "attributes": values, "address": address, **(location or {})}
    return service, cleaned, checked


@transaction.atomic
def submit_request(service, *, by, contact_name: str, contact_phone: str, description: str,
                   attributes: dict | None = None, attribute_files: dict | None = None,
                   materials: dict | None = None, address: str = "", lat=None, long=None) -> ServiceRequest:
    """An enterprise account files a request; the mail with its tracking number goes after commit.

    ``attributes``: code -> value (a list for multiple choice); ``attribute_files``:
    code -> upload for file attributes; ``materials``: ServiceMaterial pk -> uploads
    (key ``"other"`` for anything else)."""
    enterprise_id = rules.enterprise_id_of(by)
    require(enterprise_id is not None, _("只有关联了企业的企业账号可以提交服务诉求。"))
    service, cleaned, checked = check_submission(
        service, contact_name=contact_name, contact_phone=contact_phone, description=description,
        attributes=attributes, attribute_files=attribute_files, materials=materials, address=address,
        lat=lat, long=long,
    )
    request = create_with_number(
        ServiceRequest, tracking.PREFIX, service=service, enterprise_id=enterprise_id,
        submitted_by=by, department=service.department, **cleaned,
    )
    event = record(request, "submit", by=by, from_state="", public=True, service=service.code)
    for label, upload, data in checked:
        stored_materials.store(request, by=by, label=label, upload=upload, checked=data, event=event)
    return request


@transaction.atomic
def withdraw(request: ServiceRequest, *, by, public_note: str = "") -> ServiceRequest:
    """The enterprise takes back a request nobody has accepted yet."""
    request = lock(request)
    require(rules.is_requester(by, request), _("只有提交诉求的企业可以撤回。"))
    require_in(request, (State.SUBMITTED,), _("诉求已受理或已处理（现为“%(state)s”），不能再撤回。") % {
        "state": State(request.state).label})
    change(request, State.WITHDRAWN, closed_at=timezone.now())
    record(request, "withdraw", by=by, from_state=State.SUBMITTED, public=True, public_note=public_note)
    return request


@transaction.atomic
def answer_supplement(request: ServiceRequest, *, by, text: str, files=()) -> ServiceRequest:
    """补正: the enterprise answers with text and new materials; the clock runs again,
    later by the working days it waited."""
    request = lock(request)
    require(rules.is_requester(by, request), _("只有提交诉求的企业可以提交补正。"))
    require_in(request, (State.WAITING,), _("该诉求当前不需要补正（现为“%(state)s”）。") % {
        "state": State(request.state).label})
    errors = {}
    try:
        text = clean_plain(text, _("补正说明"), 4000)
        if not text:
            errors["text"] = [_("请填写补正说明。")]
    except ValidationError as exc:
        errors["text"] = exc.messages
    checked = _collect(errors, _check_all, [("files", _("补正材料"), f) for f in files if f])
    if errors:
        raise ValidationError(errors)
    change(request, State.IN_PROGRESS, **finish_waiting(request))
    event = record(request, "answer_supplement", by=by, from_state=State.WAITING, public=True, public_note=text)
    for label, upload, data in checked:
        stored_materials.store(request, by=by, label=label, upload=upload, checked=data, event=event)
    return request
