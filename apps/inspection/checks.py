"""The wording check the editorial engine asks at each gate (submit, publish,
schedule, urgent publish; registered in ``InspectionConfig.ready``): a 严重 hit
refuses the gate unless a publisher's override (``actions.override_wording``)
lets that version through, and the gate it opens uses it up
(``actions.use_override``). Its panel on the change page shows the hits.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from apps.editorial.checks import SubmissionCheck

from .actions import may_override, use_override
from .models import WordingOverride
from .wording import blocking_problem, scan, unused_override


class WordingCheck(SubmissionCheck):
    def problems(self, item, *, stage, revision):
        problem = blocking_problem(scan(item, revision))
        if problem and unused_override(item, revision) is None:
            return [problem]
        return []

    def warnings(self, item, *, revision):
        minor = [f for f in scan(item, revision) if not f.blocking]
        if not minor:
            return []
        return [_("可能的错别字或不规范表述：%(hits)s") % {"hits": "、".join(f.describe() for f in minor)}]

    def passed(self, item, *, stage, revision, by):
        if not any(f.blocking for f in scan(item, revision)):
            return
        override = unused_override(item, revision)
        if override is None:  # problems() refused already; never reached
            return
        use_override(override, item=item, by=by, stage=stage)

    def panel(self, request, item):
        revision = item.latest_revision
        if revision is None:
            return ""
        findings = scan(item, revision)
        if not findings:
            return ""
        overrides = list(WordingOverride.objects.filter(
            content_type=ContentType.objects.get_for_model(item, for_concrete_model=False),
            object_id=str(item.pk), revision=revision).select_related("created_by"))
        opts = item._meta
        serious = any(f.blocking for f in findings)
        open_override = any(o.used_at is None for o in overrides)
        return render_to_string("inspection/admin/wording_panel.html", {
            "findings": findings,
            "serious": serious,
            "overrides": overrides,
            "open_override": open_override,
            "may_override": serious and not open_override and may_override(request.user, item),
            "override_url": _override_url(opts.app_label, opts.model_name, item.pk),
            "revision": revision,
        }, request=request)


def _override_url(app_label, model_name, pk) -> str:
    from django.urls import reverse

    return reverse("admin:inspection_wording_override", args=[app_label, model_name, pk])


CHECK = WordingCheck()

