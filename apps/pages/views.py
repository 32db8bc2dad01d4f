from django.shortcuts import render
from django.views.decorators.http import require_safe

from apps.core.models import ColumnType
from apps.editorial.public import public_item

from .models import Page


@require_safe
def index(request):
    pages = list(Page.objects.published().filter(parent__isnull=True).in_menu_order())
    return render(request, "pages/index.html", {"pages": pages})


@require_safe
def detail(request, slug: str):
    page, gone = public_item(request, Page.objects.select_related("parent"), slug=slug)
    if gone is not None:
        return gone
    return render_page(request, page)


def render_page(request, page, *, preview: bool = False):
    """The public page; also used to preview any revision with the same template."""
    subpages = list(page.subpages.published().in_menu_order()) if not preview else list(page.subpages.in_menu_order())
    return render(
        request,
        "pages/detail.html",
        {"page": page, "subpages": subpages, "preview": preview, "column_types": ColumnType},
    )
