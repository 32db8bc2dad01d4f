from django.utils.translation import get_language

from .scripts import strip_pinyin_annotations, to_traditional

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
        html = strip_pinyin_annotations(original)
        if get_language() == TRADITIONAL:
            html = to_traditional(html)
        if html is original:  # nothing stripped or converted: keep the bytes as they are
            return response
        response.content = html.encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
