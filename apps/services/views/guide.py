"""The service guide (办事指南): public, cacheable pages read through ``published()``."""

from django.db.models import Prefetch, Q
from django.shortcuts import render
from django.views.decorators.http import require_safe

from apps.editorial.media_text import show_reviewed_text
from apps.editorial.public import public_item

from ..models import Service, ServiceGroup

COLUMN = {"name": "办事服务", "description": "企业服务事项的办事指南、在线申请和进度查询", "type": "办事服务"}


@require_safe
def index(request):
    query = (request.GET.get("q") or "").strip()[:50]
    services = Service.objects.published().in_guide_order().only(
        "pk", "code", "name", "group_id", "department", "deadline_days", "online", "position")
    if query:
        services = services.filter(Q(name__icontains=query) | Q(keywords__icontains=query) | Q(description__icontains=query))
    groups = ServiceGroup.objects.prefetch_related(Prefetch("services", queryset=services, to_attr="listed"))
    groups = [g for g in groups if g.listed]
    return render(request, "services/guide_index.html", {
        "groups": groups, "query": query, "column": COLUMN, "active_column": "services",
        "count": sum(len(g.listed) for g in groups),
    })


@require_safe
def detail(request, code: str):
    service, gone = public_item(request, Service.objects.select_related("group"), code=code)
    if gone is not None:
        return gone
    return render_service(request, service)


def render_service(request, service, *, preview: bool = False):
    materials = list(service.materials.select_related("template"))
    show_reviewed_text(service, [m.template for m in materials])  # the reviewed template titles
    return render(request, "services/guide_detail.html", {
        "service": service, "materials": materials,
        "definitions": list(service.attribute_definitions.all()), "preview": preview,
        "column": COLUMN, "active_column": "services",
    })
