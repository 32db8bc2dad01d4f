"""The wording hits of an item (the submission check the editorial engine asks
at each gate is ``checks.WordingCheck``, registered in ``InspectionConfig.ready``).

A 严重 (blocking) hit refuses submit, publish, schedule and urgent publish, unless
a publisher let that version through with a written reason
(``actions.override_wording``): the override is used up by the first gate it opens.
一般 hits are shown to the editor after each save and to the reviewers on the
change page, highlighted in context with the suggested form.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from .matching import Hit, context, current_matcher
from .models import Severity, WordingOverride
from .texts import Text, content_of_snapshot, texts_of


@dataclass
class Finding:
    label: str
    hit: Hit
    before: str
    found: str
    after: str

    @property
    def term(self) -> str:
        return self.hit.entry.term

    @property
    def suggestion(self) -> str:
        return self.hit.entry.suggestion

    @property
    def severity(self) -> str:
        return self.hit.entry.severity

    @property
    def kind(self) -> str:
        return self.hit.entry.kind

    @property
    def kind_label(self) -> str:
        from .models import Kind

        return str(Kind(self.kind).label)

    @property
    def blocking(self) -> bool:
        return self.severity == Severity.BLOCK

    def describe(self) -> str:
        if self.suggestion:
            return _("%(label)s中的“%(term)s”（建议：%(suggestion)s）") % {
                "label": self.label, "term": self.found, "suggestion": self.suggestion}
        return _("%(label)s中的“%(term)s”") % {"label": self.label, "term": self.found}


def find_in(texts: list[Text], matcher=None) -> list[Finding]:
    matcher = matcher if matcher is not None else current_matcher()
    findings = []
    for text in texts:
        for hit in matcher.find(text.text):
            before, found, after = context(text.text, hit)
            findings.append(Finding(text.label, hit, before, found, after))
    return findings


MEMBERS_PER_SEARCH = 500


def batch_findings(item) -> list[Finding]:
    """A review batch carries its members' drafts (an import's rows): their texts
    are checked at the batch's gates, each labelled with the member's name, so a
    batch is no way around the check.

    One query for the members' names and versions. The texts of 500 members are
    searched joined, in one pass; only a member in which an occurrence ends is
    searched again text by text, with its labels. The findings are those of
    searching every text: a term found in one text is found in the joined ones
    (one spanning two texts only costs a member the closer look)."""
    from apps.editorial.models import BatchEntry, ReviewBatch

    if not isinstance(item, ReviewBatch) or item.pk is None or not item.member_type_id:
        return []
    model = item.member_type.model_class()
    if model is None:
        return []
    matcher = current_matcher()
    if not matcher.size:
        return []
    findings = []
    members = BatchEntry.objects.filter(batch=item).order_by("pk").values_list(
        "object_id", "preview__name", "revision__snapshot").iterator(chunk_size=MEMBERS_PER_SEARCH)
    while chunk := list(islice(members, MEMBERS_PER_SEARCH)):
        texts = [content_of_snapshot(model, snapshot).texts for _id, _name, snapshot in chunk]
        starts, parts, offset = [], [], 0
        for member_texts in texts:
            part = "\n".join(text.text for text in member_texts)
            starts.append(offset)
            parts.append(part)
            offset += len(part) + 1
        candidates = sorted({bisect_right(starts, end) - 1 for end in matcher.match_ends("\n".join(parts))})
        for index in candidates:
            object_id, name, _snapshot = chunk[index]
            name = name or f"#{object_id}"
            findings.extend(find_in([Text(f"{name}：{text.label}", text.text) for text in texts[index]], matcher))
    return findings


def scan(item, revision=None) -> list[Finding]:
    """The hits of a version of the item (default: its latest version)."""
    revision = revision if revision is not None else item.latest_revision
    memo = getattr(item, "_wording_scan", None)
    key = (getattr(revision, "pk", None), current_matcher())
    if memo is not None and memo[0] == key:
        return memo[1]
    findings = find_in(texts_of(item, revision)) + batch_findings(item)
    item._wording_scan = (key, findings)
    return findings


def unused_override(item, revision):
    if revision is None:
        return None
    return WordingOverride.objects.filter(
        content_type=ContentType.objects.get_for_model(item, for_concrete_model=False),
        object_id=str(item.pk), revision=revision, used_at__isnull=True,
    ).order_by("-pk").first()


def blocking_problem(findings: list[Finding]) -> str:
    serious = [f for f in findings if f.blocking]
    if not serious:
        return ""
    return _("含有严重错敏词：%(hits)s。请修改，或由签发人填写理由后放行") % {
        "hits": "、".join(f.describe() for f in serious)}
