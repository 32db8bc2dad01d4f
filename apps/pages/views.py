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
    page, gone = public_item(request, Page.objects.all(), slug=slug)
    if gone is not None:
        return gone
    return render_page(request, page)


def render_page(request, page, *, preview: bool = False):
    """The public page; also used to preview any revision with the same template.

    The parent and the subpages follow the public read rule in a preview too: a
    share-link holder sees this draft, not other pages' unpublished titles.
    """
    parent = Page.objects.published().filter(pk=page.parent_id).first() if page.parent_id else None
    subpages = list(page.subpages.published().in_menu_order())
    return render(
        request,
        "pages/detail.html",
        {"page": page, "parent": parent, "subpages": subpages, "preview": preview, "column_types": ColumnType},
    )
