"""What the API says about services and requests, in Open311's field names.

Requests read through ``apps.services`` read rules only: ``visible_to(account)`` for
an enterprise key (its own requests, every Open311 field), ``open_data()`` with
``PUBLIC_FIELDS`` for everyone else. ``status_notes`` is the newest public note
(``RequestEvent.objects.public()``, which never loads an internal note).
"""

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch

from apps.core.workdays import SHANGHAI
from apps.services.models import AttributeDefinition, AttributeType, RequestEvent, Service, ServiceRequest
from apps.services.models.requests import PUBLIC_FIELDS

DATATYPES = {
    AttributeType.TEXT: "string", AttributeType.LONG_TEXT: "text", AttributeType.NUMBER: "number",
    AttributeType.DATE: "datetime", AttributeType.SINGLE: "singlevaluelist", AttributeType.MULTIPLE: "multivaluelist",
    AttributeType.YES_NO: "singlevaluelist", AttributeType.FILE: "string",
}

OWN_FIELDS = PUBLIC_FIELDS + ("description", "address", "lat", "long")


def w3(moment) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(SHANGHAI).isoformat(timespec="seconds")


def services():
    return (Service.objects.open_online().in_guide_order().select_related("group")
            .only("pk", "code", "name", "description", "keywords", "group__name", "group__position", "position")
            .annotate(has_attributes=Exists(AttributeDefinition.objects.filter(service=OuterRef("pk")))))


def service_row(service) -> dict:
    return {
        "service_code": service.code, "service_name": service.name, "description": service.description[:500],
        "metadata": bool(service.has_attributes), "type": "realtime", "keywords": service.keywords,
        "group": service.group.name,
    }


def attribute_row(d: AttributeDefinition, order: int) -> dict:
    values = []
    if d.datatype in (AttributeType.SINGLE, AttributeType.MULTIPLE):
        values = [{"key": c, "name": c} for c in d.choice_list]
    elif d.datatype == AttributeType.YES_NO:
        values = [{"key": "yes", "name": "是"}, {"key": "no", "name": "否"}]
    description = d.help_text or d.label
    if d.datatype == AttributeType.FILE:
        description = f"{d.label}（文件须在门户网站上传，接口不接收）"
    return {
        "variable": d.datatype != AttributeType.FILE, "code": d.code, "datatype": DATATYPES[d.datatype],
        "required": d.required and d.datatype != AttributeType.FILE, "datatype_description": d.label,
        "order": order, "description": description, "values": values,
    }


def definition(service) -> dict:
    return {"service_code": service.code,
            "attributes": [attribute_row(d, i) for i, d in enumerate(service.attribute_definitions.all(), start=1)]}


def requests_for(account):
    """The rows a caller reads, and whether it reads them in full."""
    notes = Prefetch("events", queryset=RequestEvent.objects.public().exclude(public_note=""), to_attr="notes")
    if account is not None:
        rows = ServiceRequest.objects.visible_to(account).only(*OWN_FIELDS)
        full = True
    else:
        rows = ServiceRequest.objects.open_data().only(*PUBLIC_FIELDS)
        full = False
    return rows.select_related("service").prefetch_related(notes), full


def expected(due: dt.date | None) -> str | None:
    if due is None:
        return None
    return w3(dt.datetime.combine(due, dt.time(23, 59, 59), tzinfo=SHANGHAI))


def request_row(item: ServiceRequest, *, full: bool) -> dict:
    notes = getattr(item, "notes", [])
    row = {
        "service_request_id": item.tracking_number, "status": item.open311_status,
        "status_notes": notes[-1].public_note if notes else "", "service_name": item.service.name,
        "service_code": item.service.code, "agency_responsible": item.referred_to or item.department,
        "service_notice": "", "requested_datetime": w3(item.submitted_at), "updated_datetime": w3(item.updated_at),
        "expected_datetime": expected(item.due_date),
    }
    if full:
        row.update({
            "description": item.description, "address": item.address, "address_id": "", "zipcode": "",
            "lat": float(item.lat) if item.lat is not None else None,
            "long": float(item.long) if item.long is not None else None, "media_url": "",
        })
    return row
