from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.utils.translation import get_language

from .scripts import public_text

TRADITIONAL = "zh-hant"


# Public pages and feeds: a /zh-hant/ feed is converted like the page it lists.
CONVERTED_TYPES = ("text/html", "application/rss+xml", "application/atom+xml")


def is_public_html(request, response) -> bool:
    if response.streaming or not response.get("Content-Type", "").startswith(CONVERTED_TYPES):
        return False
    match = getattr(request, "resolver_match", None)
    # The admin is for staff working on the Simplified source: never converted.
    return not (match and "admin" in match.namespaces)


class ScriptConversionMiddleware:
    """Serve public HTML (and feeds) under /zh-hant/ converted to Traditional Chinese.

    The page is rendered from the same templates in Simplified Chinese and
    converted server-side as a whole, so titles, meta tags and content agree.
    Every public page, in either script, is also cleaned of pinyin annotations.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_public_html(request, response):
            return response
        charset = response.charset or "utf-8"
        original = response.content.decode(charset)
        html = public_text(original, traditional=get_language() == TRADITIONAL)
        if html is original:  # nothing stripped or converted: keep the bytes as they are
            return response
        response.content = html.encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response


def _has_nul(query_dict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query_dict.lists())


class RejectNulBytesMiddleware:
    """400 for a request whose query parameters or form fields contain a NUL character.

    No text a person types holds one, and PostgreSQL's text columns cannot store or
    compare it (a search or login with ``%00`` was a database error, a 500). One rule
    here instead of a check in every view and form. It sits after the body-size
    limit, so it never reads an oversized body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        form_post = request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded", "multipart/form-data",
        )
        if _has_nul(request.GET) or (form_post and _has_nul(request.POST)):
            return HttpResponseBadRequest(
                _("请求中含有无效字符，请检查后重试。"), content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
