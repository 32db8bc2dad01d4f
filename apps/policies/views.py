"""Public pages of the policy column: 政策文件 (list with filters, detail) and 政策解读
(list, detail). Every read goes through the named rules (``published()`` for lists,
``public_item`` for a page), in a constant number of queries."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Max, Min
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from apps.core import viewcounts
from apps.core.models import ColumnType
from apps.editorial.models import Visibility
from apps.editorial.public import public_item
from apps.media.models import Attachment, Rendition
from apps.media.templatetags.media_tags import attach_renditions
from apps.editorial.media_text import show_reviewed_text
from apps.media.views import attachment_response

from .models import PolicyDocument, PolicyInterpretation, Topic, Validity

PAGE_SIZE = getattr(settings, "PARKPORTAL_POLICIES_PAGE_SIZE", 20)

DOCUMENTS = {"name": "政策文件", "type": ColumnType.POLICY,
             "description": "乌鲁木齐高新区（新市区）发布的规范性文件和政策文件，标明有效性",
             "keywords": "政策文件,规范性文件,有效性,文号"}
INTERPRETATIONS = {"name": "政策解读", "type": ColumnType.POLICY_INTERPRETATION,
                   "description": "园区政策文件的文字解读、图解和视频解读",
                   "keywords": "政策解读,图解,视频解读"}

VIEWABLE = (Visibility.LIVE, Visibility.WITHDRAWN)


def _year(value):
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 1949 <= year <= 9999 else None


def _choice(value, choices):
    return value if value in {c for c, _label in choices} else ""


@require_safe
def index(request):
    published = PolicyDocument.objects.published()
    issuers = list(published.order_by("issuer").values_list("issuer", flat=True).distinct())
    issuer = request.GET.get("issuer", "")
    issuer = issuer if issuer in issuers else ""
    topic = _choice(request.GET.get("topic"), Topic.choices)
    validity = _choice(request.GET.get("validity"), Validity.choices)
    year = _year(request.GET.get("year"))
    documents = published
    if issuer:
        documents = documents.filter(issuer=issuer)
    if topic:
        documents = documents.filter(topic=topic)
    if validity:
        documents = documents.filter(validity=validity)
    if year is not None:
        documents = documents.issued_in(year)
    span = published.aggregate(first=Min("issued_on"), last=Max("issued_on"))
    years = list(range(span["last"].year, span["first"].year - 1, -1)) if span["first"] else []
    page = Paginator(documents.list_rows().newest_first(), PAGE_SIZE).get_page(request.GET.get("page"))
    query = "&".join(f"{name}={value}" for name, value in (
        ("issuer", issuer), ("topic", topic), ("validity", validity), ("year", year or "")) if value)
    return render(request, "policies/index.html", {
        "page": page, "documents": page.object_list, "issuers": issuers, "issuer": issuer,
        "topics": Topic.choices, "topic": topic, "validities": Validity.choices, "validity": validity,
        "years": years, "year": year, "filter_query": query,
        "column": DOCUMENTS, "active_column": "policies",
    })


@require_safe
def detail(request, pk: int):
    item, gone = public_item(request, PolicyDocument.objects.select_related("superseded_by"), pk=pk)
    if gone is not None:
        return gone
    return viewcounts.mark(render_document(request, item), item)


def render_document(request, item, *, preview: bool = False):
    """The public page (also the staff preview of any revision)."""
    replacement = item.superseded_by if item.superseded_by and item.superseded_by.visibility in VIEWABLE else None
    attachments = list(item.attachments.order_by("pk"))
    show_reviewed_text(item, attachments)  # the reviewed titles, not the media library's newer ones
    return render(request, "policies/detail.html", {
        "item": item, "replacement": replacement,
        # What this document amended or repealed (set on those documents): the public ones.
        "replaced": list(item.supersedes.viewable().only("pk", "title", "document_number", "validity", "superseded_by")
                         .order_by("-issued_on", "-pk")),
        "interpretations": list(item.interpretations.published().newest_first()
                                .only("pk", "title", "kind", "first_published_at", "document")),
        "attachments": attachments,
        "views": viewcounts.count_of(item), "preview": preview,
        "column": DOCUMENTS, "active_column": "policies",
    })


@require_safe
def attachment(request, pk: int, attachment_id: int):
    """A document's attachment (the original PDF/OFD), to anyone who may read the document."""
    found = Attachment.objects.filter(pk=attachment_id).first()
    if found is None:
        raise Http404
    document = PolicyDocument.objects.viewable().filter(pk=pk, attachments=found).only("pk", "media_text").first()
    if document is None and not request.user.has_perm("media.view_attachment"):
        raise Http404
    if document is not None:
        show_reviewed_text(document, found)  # the download name is the reviewed title
    return attachment_response(found)


@require_safe
def interpretations(request):
    rows = (PolicyInterpretation.objects.published().newest_first()
            .select_related("document").only("pk", "title", "kind", "summary", "interpreter", "first_published_at",
                                             "document__id", "document__title", "document__validity",
                                             "document__visibility"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:  # the document is named only while the public may read it, as on the detail page
        row.shown_document = row.document if row.document.visibility in VIEWABLE else None
    return render(request, "policies/interpretations.html", {
        "page": page, "interpretations": page.object_list, "filter_query": "",
        "column": INTERPRETATIONS, "active_column": "policies",
    })


@require_safe
def interpretation(request, pk: int):
    item, gone = public_item(request, PolicyInterpretation.objects.select_related("document", "video"), pk=pk)
    if gone is not None:
        return gone
    return viewcounts.mark(render_interpretation(request, item), item)


def render_interpretation(request, item, *, preview: bool = False):
    images = list(item.images.select_related("image"))
    attach_renditions([row.image for row in images], kind=Rendition.Kind.WIDTH)
    show_reviewed_text(item, [row.image for row in images], item.video)
    document = item.document if item.document.visibility in VIEWABLE else None
    return render(request, "policies/interpretation.html", {
        "item": item, "document": document, "images": images,
        "views": viewcounts.count_of(item), "preview": preview,
        "column": INTERPRETATIONS, "active_column": "policies",
    })
