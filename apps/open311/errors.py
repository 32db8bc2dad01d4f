"""Every error as Open311 says: a list of ``{code, description}`` with the HTTP status
the specification gives (400 bad input, 403 bad or missing api_key, 404 not found),
plus 405 and 429 (rate limit). Never a 500 for bad input."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from apps.core.errors import InvalidTransition


class Open311Error(exceptions.APIException):
    def __init__(self, code: int, description: str):
        self.status_code = code
        super().__init__(description)


def error_response(code: int, descriptions: list[str]) -> Response:
    response = Response([{"code": code, "description": d} for d in descriptions], status=code)
    response.open311_errors = True
    return response


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{field}: {m}" if field not in ("__all__",) else m
                for field, messages in exc.message_dict.items() for m in messages]
    return list(exc.messages)


def handler(exc, context):
    if isinstance(exc, ValidationError):
        return error_response(400, _messages(exc))
    if isinstance(exc, InvalidTransition):
        return error_response(400, [exc.message or str(exc)])
    if isinstance(exc, Http404):
        return error_response(404, [_("没有找到。")])
    if isinstance(exc, (PermissionDenied, exceptions.NotAuthenticated, exceptions.AuthenticationFailed,
                        exceptions.PermissionDenied)):
        return error_response(403, [str(getattr(exc, "detail", "") or exc) or _("没有权限。")])
    if isinstance(exc, exceptions.Throttled):
        response = error_response(429, [_("调用过于频繁，请在 %(seconds)s 秒后重试。") % {"seconds": exc.wait or 60}])
        if exc.wait:
            response["Retry-After"] = str(int(exc.wait))
        return response
    if isinstance(exc, exceptions.MethodNotAllowed):
        return error_response(405, [_("不支持 %(method)s 方法。") % {"method": exc.args[0] if exc.args else ""}])
    if isinstance(exc, exceptions.APIException):
        detail = exc.detail
        if isinstance(detail, dict):
            texts = [f"{k}: {v}" for k, values in detail.items() for v in (values if isinstance(values, list) else [values])]
        elif isinstance(detail, list):
            texts = [str(d) for d in detail]
        else:
            texts = [str(detail)]
        code = exc.status_code if exc.status_code in (400, 403, 404, 405, 406, 415, 429) else status.HTTP_400_BAD_REQUEST
        return error_response(code, texts)
    return None
