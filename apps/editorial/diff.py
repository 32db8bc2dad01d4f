"""Field-by-field comparison of two revisions, word-level for text.

Chinese has no spaces between words: text is split into CJK characters, Latin
words and numbers, whitespace and punctuation, and the diff runs over those
tokens, so a changed character or number shows as exactly that.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from . import media_text
from .snapshots import content_fields

TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[A-Za-z0-9_.%]+|\s+|[^\sA-Za-z0-9_.%\u3400-\u9fff]")
BLOCK_END = re.compile(r"</(p|h[1-6]|li|tr|blockquote|div)>|<br\s*/?>", re.I)


@dataclass
class FieldDiff:
    name: str
    label: str
    html: str
    changed: bool


def html_to_text(value: str) -> str:
    return strip_tags(BLOCK_END.sub("\n", value or "")).strip()


def diff_text(old: str, new: str) -> str:
    """HTML with <del> and <ins> around removed and added tokens."""
    a, b = TOKEN.findall(old or ""), TOKEN.findall(new or "")
    out = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out).replace("\n", "<br>"))


def _display(field, value) -> str:
    if value in (None, ""):
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        obj = field.related_model._base_manager.filter(pk=value).first()
        return str(obj) if obj else str(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def compare(model, old: dict, new: dict) -> list[FieldDiff]:
    diffs = []
    old_fields, new_fields = old.get("fields", {}), new.get("fields", {})
    for field in content_fields(model):
        a, b = old_fields.get(field.attname), new_fields.get(field.attname)
        rich = field.get_internal_type() == "TextField" and ("<" in str(a or "") or "<" in str(b or ""))
        if field.name == media_text.FIELD:
            a_text, b_text = media_text.describe(a), media_text.describe(b)
        elif rich:
            a_text, b_text = html_to_text(a), html_to_text(b)
        else:
            a_text, b_text = _display(field, a), _display(field, b)
        diffs.append(FieldDiff(field.name, str(field.verbose_name), diff_text(a_text, b_text), a != b))
    for field in model._meta.many_to_many:
        a = set(old.get("m2m", {}).get(field.name, []))
        b = set(new.get("m2m", {}).get(field.name, []))
        names = {o.pk: str(o) for o in field.related_model._base_manager.filter(pk__in=a | b)}
        parts = [f"<del>{escape(names.get(pk, pk))}</del>" for pk in sorted(a - b)]
        parts += [f"<ins>{escape(names.get(pk, pk))}</ins>" for pk in sorted(b - a)]
        parts += [escape(names.get(pk, pk)) for pk in sorted(a & b)]
        diffs.append(FieldDiff(field.name, str(field.verbose_name), mark_safe("、".join(parts)), a != b))
    for accessor in model.editorial_children:
        def rows(snapshot):
            return "\n".join(
                " · ".join(str(v) for k, v in sorted(row.items()) if k != "pk" and v not in (None, ""))
                for row in snapshot.get("children", {}).get(accessor, [])
            )

        a_rows, b_rows = rows(old), rows(new)
        label = str(getattr(model, accessor).rel.related_model._meta.verbose_name_plural)
        diffs.append(FieldDiff(accessor, label, diff_text(a_rows, b_rows), a_rows != b_rows))
    return diffs
