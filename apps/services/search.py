"""The service guide (办事指南) in site search (apps.search.registry). Service
requests are private and never registered."""

from django.utils.translation import gettext_lazy as _

from apps.search.registry import register

from .models import Service


def _service_body(service) -> str:
    materials = [m.name for m in service.materials.all()]
    return " ".join(filter(None, [service.group.name, service.description, service.eligibility, service.legal_basis,
                                  service.department, *materials, service.keywords]))


register(
    Service, key="services", label=_("办事指南"), position=35,
    rule=lambda: Service.objects.published(),
    title="name", summary="description", body=_service_body, date="public_updated_at",
    terms=("name",), select=("group",), prefetch=("materials",),
)
