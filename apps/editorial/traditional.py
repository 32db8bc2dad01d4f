"""Traditional characters pasted into a Simplified draft, wherever its version keeps
text: the item's fields, its child rows (gallery captions, link titles, a round's
name…) and the media text the version shows (alt text, captions, titles, which
belong to the media library's rows).

``findings`` lists them for the change page; ``convert`` (run by the
``convert_to_simplified`` action on the materialised draft) converts the item's
own fields and child rows. Media text is converted on the media row (its change
page has the same one-click button), and comes into the next version saved.
"""

from dataclasses import dataclass

from django.apps import apps as django_apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from apps.core.scripts import to_simplified
from apps.core.textclean import text_field_names, traditional_fields

from . import media_text
from .snapshots import child_relation


@dataclass(frozen=True)
class Finding:
    label: str
    chars: list[str]
    media_url: str = ""  # set when the text belongs to a media row: convert it there

    @property
    def in_item(self) -> bool:
        return not self.media_url


def _child_model(model, accessor):
    return child_relation(model, accessor).related_model


def findings(model, snapshot: dict) -> list[Finding]:
    """Where the version held in ``snapshot`` has Traditional-only characters."""
    found = [Finding(label, chars) for _n, label, chars in traditional_fields(model, snapshot.get("fields", {}))]
    for accessor in getattr(model, "editorial_children", ()):
        child_model = _child_model(model, accessor)
        group = str(child_model._meta.verbose_name)
        for number, row in enumerate(snapshot.get("children", {}).get(accessor, []), start=1):
            for _n, label, chars in traditional_fields(child_model, row):
                found.append(Finding(_("%(group)s第 %(n)s 行：%(field)s") % {"group": group, "n": number, "field": label}, chars))
    for label_lower, rows in sorted(snapshot.get("fields", {}).get(media_text.FIELD, {}).items()):
        try:
            media_model = django_apps.get_model(label_lower)
        except LookupError:
            continue
        for pk, values in sorted(rows.items()):
            for _n, label, chars in traditional_fields(media_model, values):
                try:
                    url = reverse(f"admin:{media_model._meta.app_label}_{media_model._meta.model_name}_change", args=[pk])
                except NoReverseMatch:
                    url = ""
                name = values.get("title") or pk
                found.append(Finding(
                    _("%(kind)s“%(name)s”的%(field)s") % {"kind": media_model._meta.verbose_name, "name": name, "field": label},
                    chars, url or "#",
                ))
    return found


def convert(item) -> list[str]:
    """Convert the Traditional characters of ``item``'s own fields and child rows
    (the draft materialised in the database) to Simplified; returns the characters."""
    model = type(item)
    chars = []
    values = {name: getattr(item, name) for name in text_field_names(model)}
    for name, _label, found in traditional_fields(model, values):
        setattr(item, name, to_simplified(values[name]))
        chars += found
    item.save()
    for accessor in getattr(model, "editorial_children", ()):
        child_model = _child_model(model, accessor)
        for child in getattr(item, accessor).all():
            values = {name: getattr(child, name) for name in text_field_names(child_model)}
            changed = []
            for name, _label, found in traditional_fields(child_model, values):
                setattr(child, name, to_simplified(values[name]))
                changed.append(name)
                chars += found
            if changed:
                child.save(update_fields=changed)
    return chars
