"""Serving attachments. Originals of images and videos are never served.

A domain app decides whether its reader may have the file (e.g. it belongs
to a published press release) and then calls ``attachment_response``.
"""

from django.http import FileResponse, Http404

from .models import Attachment

# A downloaded document must never run as a page of this site.
ATTACHMENT_CSP = "default-src 'none'; sandbox"


def attachment_response(attachment: Attachment) -> FileResponse:
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.download_name, content_type=attachment.content_type
    )
    response["Content-Security-Policy"] = ATTACHMENT_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, max-age=3600"
    return response
