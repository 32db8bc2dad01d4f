"""The enterprise directory and platforms in site search (apps.search.registry).
Names join the park dictionary, so a full name is one word and its parts still match."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.search.registry import register

from .models import Enterprise, Platform


def _enterprise_body(enterprise) -> str:
    today = timezone.localdate()
    qualifications = [
        q.kind.name for q in enterprise.qualifications.all()
        if (q.valid_from is None or q.valid_from <= today) and (q.valid_until is None or q.valid_until >= today)
    ]
    cluster = enterprise.cluster.name if enterprise.cluster_id else ""
    return " ".join(filter(None, [*qualifications, cluster, enterprise.main_products, enterprise.description,
                                  enterprise.address]))


register(
    Enterprise, key="enterprises", label=_("企业"), position=40,
    rule=lambda: Enterprise.objects.listed(),
    title="name", summary="short_name", body=_enterprise_body, date=None,
    terms=("name", "short_name"), select=("cluster",), prefetch=("qualifications__kind",),
)

register(
    Platform, key="platforms", label=_("平台载体"), position=45,
    rule=lambda: Platform.objects.published(),
    title="name", summary=lambda p: p.kind.name, body=("description", "address"), date=None,
    terms=("name",), select=("kind",),
)
