"""What the OpenAPI description (drf-spectacular) says about the API: the ``api_key``
scheme and the shapes of the answers (the views build plain dicts in Open311's names)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers as fields


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "apps.open311.auth.ApiKeyAuthentication"
    name = "api_key"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "query", "name": "api_key",
                "description": "园区政务服务中心签发的接口密钥；POST 时放在表单字段 api_key 中"}


ERRORS = inline_serializer("Error", {"code": fields.IntegerField(), "description": fields.CharField()}, many=True)

SERVICE = inline_serializer("Service", {
    "service_code": fields.CharField(), "service_name": fields.CharField(), "description": fields.CharField(),
    "metadata": fields.BooleanField(), "type": fields.CharField(), "keywords": fields.CharField(),
    "group": fields.CharField(),
}, many=True)

VALUE = inline_serializer("AttributeValue", {"key": fields.CharField(), "name": fields.CharField()}, many=True)

DEFINITION = inline_serializer("ServiceDefinition", {
    "service_code": fields.CharField(),
    "attributes": inline_serializer("Attribute", {
        "variable": fields.BooleanField(), "code": fields.CharField(),
        "datatype": fields.ChoiceField(choices=["string", "number", "datetime", "text", "singlevaluelist",
                                                "multivaluelist"]),
        "required": fields.BooleanField(), "datatype_description": fields.CharField(), "order": fields.IntegerField(),
        "description": fields.CharField(), "values": VALUE,
    }, many=True),
})

REQUEST = inline_serializer("ServiceRequest", {
    "service_request_id": fields.CharField(), "status": fields.ChoiceField(choices=["open", "closed"]),
    "status_notes": fields.CharField(), "service_name": fields.CharField(), "service_code": fields.CharField(),
    "agency_responsible": fields.CharField(), "service_notice": fields.CharField(),
    "requested_datetime": fields.DateTimeField(), "updated_datetime": fields.DateTimeField(),
    "expected_datetime": fields.DateTimeField(allow_null=True),
    "description": fields.CharField(required=False, help_text="仅企业密钥读取本企业诉求时"),
    "address": fields.CharField(required=False), "lat": fields.FloatField(required=False, allow_null=True),
    "long": fields.FloatField(required=False, allow_null=True),
}, many=True)

CREATED = inline_serializer("ServiceRequestCreated", {
    "service_request_id": fields.CharField(), "token": fields.CharField(), "service_notice": fields.CharField(),
    "account_id": fields.CharField(),
}, many=True)

TOKEN = inline_serializer("Token", {"service_request_id": fields.CharField(), "token": fields.CharField()}, many=True)

DISCOVERY = inline_serializer("Discovery", {
    "changeset": fields.CharField(), "contact": fields.CharField(), "key_service": fields.CharField(),
    "endpoints": inline_serializer("Endpoint", {
        "specification": fields.CharField(), "url": fields.CharField(), "changeset": fields.CharField(),
        "type": fields.CharField(), "formats": fields.ListField(child=fields.CharField()),
    }, many=True),
})


def answers(ok, status: int = 200) -> dict:
    return {status: ok, 400: ERRORS, 403: ERRORS, 404: ERRORS, 429: ERRORS}
