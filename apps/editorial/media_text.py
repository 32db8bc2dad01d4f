"""The text of the media an item shows (alt text, captions, titles), kept with each revision.

Images, videos and attachments are shared rows in the media library (媒体资源):
editing their text there must not change a published page without review. So
every revision carries, as the content field ``media_text``, a copy of the
reviewed text of each asset its version refers to:

    {"media.image": {"12": {"alt_text": "…", "caption": "…", "title": "…"}}, …}

``serialize()`` fills it from the media rows when a version is saved (and
``submit`` refreshes it, so what goes to review is what the library holds then);
publishing writes the approved revision into the row like any field; public
views call ``show_reviewed_text(item, assets)`` on the media instances they
render, which puts the reviewed text on them, so ``{% picture %}``, captions and
download names read the reviewed words, never the library's newer ones.

A media model opts in by naming its reviewed fields in ``REVIEWED_TEXT_FIELDS``
(apps.media does; this module never imports it: the arrows point from media
users to apps.editorial, and from apps.editorial to nothing of theirs).
"""

from collections.abc import Iterable

from django.utils.translation import gettext as _

FIELD = "media_text"


def text_fields(model) -> tuple[str, ...]:
    return tuple(getattr(model, "REVIEWED_TEXT_FIELDS", ()) or ())


def _foreign_keys(model):
    """(attname, related model) of the forward foreign keys to media with reviewed text."""
    return [
        (f.attname, f.related_model) for f in model._meta.concrete_fields
        if f.many_to_one and f.related_model is not None and text_fields(f.related_model)
    ]


def row_references(model, fields: dict, m2m: dict | None = None) -> list[tuple[type, object]]:
    """(media model, pk) of the media one row refers to, in field order: ``fields``
    are its values by attname, ``m2m`` its many-to-many ids by field name (a
    snapshot's ``fields``/``m2m``, or one of its child rows)."""
    found = [(related, fields[attname]) for attname, related in _foreign_keys(model) if fields.get(attname)]
    for f in model._meta.many_to_many:
        if text_fields(f.related_model):
            found.extend((f.related_model, pk) for pk in (m2m or {}).get(f.name, []) if pk)
    return found


def referenced(model, snapshot: dict) -> dict[type, set]:
    """The media a snapshot refers to (foreign keys, many-to-many, child rows), by model."""
    found: dict[type, set] = {}
    for related, pk in row_references(model, snapshot.get("fields", {}), snapshot.get("m2m", {})):
        found.setdefault(related, set()).add(pk)
    for accessor in getattr(model, "editorial_children", ()):
        rel = next((r for r in model._meta.related_objects if r.get_accessor_name() == accessor), None)
        if rel is None:
            continue
        for row in snapshot.get("children", {}).get(accessor, []):
            for related, pk in row_references(rel.related_model, row):
                found.setdefault(related, set()).add(pk)
    return {m: ids for m, ids in found.items() if ids}


def collect(model, snapshot: dict) -> dict:
    """The media text the snapshot's version shows, read from the media rows now
    (one query per media model referred to; none when it refers to no media)."""
    text = {}
    for related, ids in sorted(referenced(model, snapshot).items(), key=lambda kv: kv[0]._meta.label_lower):
        names = text_fields(related)
        rows = related._base_manager.filter(pk__in=ids).order_by("pk").values("pk", *names)
        entries = {str(row.pop("pk")): row for row in rows}
        if entries:
            text[related._meta.label_lower] = entries
    return text


def reviewed(model, snapshot: dict) -> dict:
    """The media text a snapshot's version shows: the reviewed copy it carries, or,
    for a snapshot saved before media text was kept, the media rows' text now."""
    fields = snapshot.get("fields", {})
    if FIELD in fields:
        return fields[FIELD] or {}
    return collect(model, snapshot)


def has_field(model) -> bool:
    return any(f.name == FIELD for f in model._meta.concrete_fields)


def with_current_text(model, snapshot: dict) -> dict:
    """The snapshot with ``media_text`` read afresh from the media library."""
    if not has_field(model):
        return snapshot
    fields = dict(snapshot.get("fields", {}))
    fields[FIELD] = collect(model, snapshot)
    return {**snapshot, "fields": fields}


def _flatten(assets) -> Iterable:
    for asset in assets:
        if asset is None:
            continue
        if isinstance(asset, (list, tuple, set)):
            yield from _flatten(asset)
        else:
            yield asset


def show_reviewed_text(item, *assets) -> None:
    """Put the text of ``item``'s reviewed version on the media instances a page
    renders (in memory only). An asset the version has no text for (an item
    published before media text was kept) keeps the library's text."""
    text = getattr(item, FIELD, None) or {}
    if not text:
        return
    for asset in _flatten(assets):
        entry = text.get(asset._meta.label_lower, {}).get(str(asset.pk))
        if not entry:
            continue
        allowed = text_fields(type(asset))
        for name, value in entry.items():
            if name in allowed:
                setattr(asset, name, value)


def describe(value: dict | None) -> str:
    """A reviewer-readable form of a ``media_text`` value (for the version diff)."""
    from django.apps import apps

    lines = []
    for label, entries in sorted((value or {}).items()):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        kind = str(model._meta.verbose_name)
        for pk, fields in sorted(entries.items(), key=lambda kv: int(kv[0]) if kv[0].isdigit() else 0):
            for name in text_fields(model):
                if fields.get(name):
                    label_text = str(model._meta.get_field(name).verbose_name)
                    lines.append(_("%(kind)s #%(pk)s %(field)s：%(value)s") % {
                        "kind": kind, "pk": pk, "field": label_text, "value": fields[name]})
    return "\n".join(lines)
