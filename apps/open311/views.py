"""Open311 GeoReport v2 (open311.org) at /open311/v2/, every endpoint in .json and .xml.

- ``discovery``; ``services``; ``services/{service_code}`` (the typed attributes);
- ``POST requests`` (an enterprise ``api_key``): the services action files it;
- ``GET requests`` (filters ``service_request_id``, ``service_code``, ``start_date``,
  ``end_date``, ``status``) and ``requests/{service_request_id}``: an enterprise key
  reads its own requests in full, anyone else the public fields;
- ``tokens/{token}``: the request a POST created.
"""

import datetime as dt
import re

from django.conf import settings
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers as fields
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.workdays import SHANGHAI
from apps.services.models import Service, ServiceRequest
from apps.services.tracking import normalise

from . import actions, schema, serializers
from .auth import ApiKeyAuthentication, KeyRateThrottle
from .errors import Open311Error, handler
from .models import ApiSubmission, KeyKind
from .renderers import Open311JSONRenderer, Open311XMLRenderer

MAX_RESULTS = 1000
DEFAULT_DAYS = 90
ATTRIBUTE = re.compile(r"^attribute\[([a-z0-9_-]{1,50})\](\[\])?$")


class Open311View(APIView):
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = []
    throttle_classes = [KeyRateThrottle]
    renderer_classes = [Open311JSONRenderer, Open311XMLRenderer]
    parser_classes = [FormParser, MultiPartParser]
    xml_root = "response"

    def get_exception_handler(self):
        return handler

    @staticmethod
    def enterprise_account(request):
        key = request.auth
        return key.account if key is not None and key.kind == KeyKind.ENTERPRISE else None


class Discovery(Open311View):
    xml_root = "discovery"

    @extend_schema(summary="服务发现（discovery）", responses=schema.answers(schema.DISCOVERY))
    def get(self, request, format=None):
        base = request.build_absolute_uri(reverse("open311:discovery", kwargs={"format": "json"})).rsplit("/", 1)[0]
        return Response({
            "changeset": "2026-12-01T00:00:00+08:00",
            "contact": getattr(settings, "PARKPORTAL_OPEN311_CONTACT", ""),
            "key_service": _("接口密钥由园区政务服务中心签发：企业账号或合作系统向服务中心申请。"),
            "endpoints": [{
                "specification": "http://wiki.open311.org/GeoReport_v2", "url": base + "/",
                "changeset": "2026-12-01T00:00:00+08:00", "type": "production",
                "formats": ["text/xml", "application/json"],
            }],
        })


class ServiceList(Open311View):
    xml_root = "services"

    @extend_schema(summary="事项列表（GET services）", responses=schema.answers(schema.SERVICE))
    def get(self, request, format=None):
        return Response([serializers.service_row(s) for s in serializers.services()])


class ServiceDefinition(Open311View):
    xml_root = "service_definition"

    @extend_schema(summary="事项定义（GET services/{service_code}）", responses=schema.answers(schema.DEFINITION))
    def get(self, request, service_code, format=None):
        service = Service.objects.open_online().filter(code=service_code).first()
        if service is None:
            raise Open311Error(404, _("没有编码为“%(code)s”的可在线办理事项。") % {"code": service_code[:50]})
        return Response(serializers.definition(service))


def _csv(value: str, limit: int = 50) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()][:limit]


def _moment(request, name: str):
    raw = request.query_params.get(name, "")
    if not raw:
        return None
    try:
        moment = parse_datetime(raw.strip().replace(" ", "+"))
    except ValueError:
        moment = None
    if moment is None:
        raise Open311Error(400, _("%(name)s 须是 W3C 日期时间格式，例如 2026-03-01T00:00:00+08:00。") % {"name": name})
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


class Requests(Open311View):
    xml_root = "service_requests"

    @extend_schema(summary="查询诉求（GET requests）", responses=schema.answers(schema.REQUEST), parameters=[
        OpenApiParameter("service_request_id", str, description="受理编号，多个用逗号分隔"),
        OpenApiParameter("service_code", str, description="事项编码，多个用逗号分隔"),
        OpenApiParameter("start_date", str, description="W3C 日期时间"),
        OpenApiParameter("end_date", str, description="W3C 日期时间"),
        OpenApiParameter("status", str, description="open 或 closed，多个用逗号分隔"),
    ])
    def get(self, request, format=None):
        rows, full = serializers.requests_for(self.enterprise_account(request))
        ids = _csv(request.query_params.get("service_request_id", ""))
        if ids:
            rows = rows.filter(tracking_number__in=[normalise(i) for i in ids])
        else:
            codes = _csv(request.query_params.get("service_code", ""))
            if codes:
                rows = rows.filter(service__code__in=codes)
            start, end = _moment(request, "start_date"), _moment(request, "end_date")
            if start and end and end < start:
                raise Open311Error(400, _("end_date 不能早于 start_date。"))
            if start and end and end - start > dt.timedelta(days=DEFAULT_DAYS):
                raise Open311Error(400, _("start_date 与 end_date 相隔不能超过 90 天。"))
            if start is None and end is None:
                from django.utils import timezone

                start = timezone.now() - dt.timedelta(days=DEFAULT_DAYS)
            if start:
                rows = rows.filter(submitted_at__gte=start)
            if end:
                rows = rows.filter(submitted_at__lte=end)
            statuses = set(_csv(request.query_params.get("status", "")))
            if statuses - {"open", "closed"}:
                raise Open311Error(400, _("status 只能是 open 或 closed。"))
            if statuses == {"open"}:
                rows = rows.open()
            elif statuses == {"closed"}:
                rows = rows.closed()
        rows = rows.order_by("-submitted_at", "-pk")[:MAX_RESULTS]
        return Response([serializers.request_row(item, full=full) for item in rows])

    @extend_schema(summary="提交诉求（POST requests，须企业账号的 api_key）", responses=schema.answers(schema.CREATED, 201), request={
        "application/x-www-form-urlencoded": inline_serializer("PostServiceRequest", {
            "api_key": fields.CharField(help_text="企业账号的接口密钥"),
            "service_code": fields.CharField(help_text="事项编码，见 services"),
            "description": fields.CharField(help_text="诉求描述，纯文本，不超过 4000 字"),
            "last_name": fields.CharField(required=False, help_text="联系人姓"),
            "first_name": fields.CharField(required=False, help_text="联系人名"),
            "phone": fields.CharField(help_text="联系电话"),
            "address_string": fields.CharField(required=False, help_text="地点或地址"),
            "lat": fields.DecimalField(max_digits=9, decimal_places=6, required=False),
            "long": fields.DecimalField(max_digits=9, decimal_places=6, required=False),
            "attribute[code]": fields.CharField(required=False, help_text="表单字段，见 services/{service_code}；"
                                                "多选用 attribute[code][] 重复提交"),
        }),
    })
    def post(self, request, format=None):
        key = request.auth
        if key is None:
            raise Open311Error(403, _("提交诉求须提供有效的 api_key。"))
        data = request.data
        if not (data.get("service_code") or "").strip():
            raise Open311Error(400, _("service_code 为必填参数。"))
        attributes = {}
        for name in data:
            match = ATTRIBUTE.match(name)
            if match:
                values = data.getlist(name) if hasattr(data, "getlist") else [data[name]]
                attributes[match.group(1)] = values if match.group(2) or len(values) > 1 else values[0]
        contact = f"{data.get('last_name', '').strip()}{data.get('first_name', '').strip()}"
        submission = actions.file_request(
            key, service_code=data.get("service_code", "").strip(), contact_name=contact,
            contact_phone=data.get("phone", ""), description=data.get("description", ""), attributes=attributes,
            address=data.get("address_string", ""), lat=data.get("lat"), long=data.get("long"),
        )
        return Response([{
            "service_request_id": submission.request.tracking_number, "token": submission.token,
            "service_notice": _("已收到，受理编号 %(number)s，可凭编号查询办理进度。") % {
                "number": submission.request.tracking_number},
            "account_id": "",
        }], status=201)


class RequestDetail(Open311View):
    xml_root = "service_requests"

    @extend_schema(summary="诉求详情（GET requests/{service_request_id}）", responses=schema.answers(schema.REQUEST))
    def get(self, request, service_request_id, format=None):
        account = self.enterprise_account(request)
        rows, full = serializers.requests_for(account)
        number = normalise(service_request_id)
        item = rows.filter(tracking_number=number).first()
        if item is None:
            if account is not None and ServiceRequest.objects.open_data().filter(tracking_number=number).exists():
                raise Open311Error(403, _("此密钥只能读取本企业的诉求。"))
            raise Open311Error(404, _("没有受理编号为“%(number)s”的诉求。") % {"number": number})
        return Response([serializers.request_row(item, full=full)])


class Token(Open311View):
    xml_root = "service_requests"

    @extend_schema(summary="凭令牌查询受理编号（GET tokens/{token}）", responses=schema.answers(schema.TOKEN))
    def get(self, request, token, format=None):
        found = ApiSubmission.objects.select_related("request").filter(token=token[:40]).first()
        if found is None:
            raise Open311Error(404, _("没有这个令牌。"))
        return Response([{"service_request_id": found.request.tracking_number, "token": found.token}])


class NotFound(Open311View):
    @extend_schema(exclude=True)
    def get(self, request, rest="", format=None):
        raise Open311Error(404, _("没有这个接口地址。地址须以 .json 或 .xml 结尾，见 discovery.json。"))

    post = get
