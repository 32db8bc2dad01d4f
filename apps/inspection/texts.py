"""What an item will publish, as readers will see it.

:func:`texts_of` reads a version's snapshot (the draft at submission, the approved
version at publication, the live version for the report) generically from the
model's fields, so every content type is covered without a list per model:

- its own text fields (title, summary, body, captions …; slugs, codes, choices,
  URLs and e-mail addresses are not reading matter);
- the ordered child rows of ``editorial_children`` (gallery captions, link titles);
- the media it refers to by foreign key or many-to-many, in the version and in
  its child rows: the reviewed text (``REVIEWED_TEXT_FIELDS``: an image's title,
  alt text, caption and credit, a video's title, description and transcript, an
  attachment's title) that the snapshot carries as ``media_text``
  (apps.editorial.media_text), not the library's newer text.

Rich text is reduced to what a reader sees (:func:`visible_text`): tags removed,
entities decoded, a line break between blocks so that a term never spans two
paragraphs; ``alt`` texts of inline images become texts of their own, and
``href``s are kept for the link checker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import re
from functools import lru_cache
from html import unescape

from django.utils.translation import get_language, gettext as _

from apps.core.scripts import strip_pinyin_annotations
from apps.core.textclean import text_field_names
from apps.editorial import media_text
from apps.editorial.snapshots import child_relation, content_fields, serialize

BLOCK_TAGS = frozenset({
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table",
    "blockquote", "pre", "hr", "figure", "figcaption", "section", "article", "dd", "dt",
})
SKIPPED_TAGS = frozenset({"script", "style", "template"})


@dataclass
class Text:
    """One text as the public will read it: pinyin annotations pasted from broken
    converters ("区(qū)") are removed here as the public pages' middleware removes them."""

    label: str
    text: str

    def __post_init__(self):
        self.text = strip_pinyin_annotations(self.text)


@dataclass
class Link:
    url: str
    label: str = ""


_TAG = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
_ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


@dataclass
class Reading:
    parts: list[str] = field(default_factory=list)
    alts: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)


def _attrs(raw: str) -> dict:
    return {m.group(1).lower(): unescape(m.group(2) if m.group(2) is not None else
                                         m.group(3) if m.group(3) is not None else m.group(4))
            for m in _ATTR.finditer(raw)}


def read_html(html: str) -> Reading:
    """One pass over the (sanitised) HTML with a tag pattern: the text between
    tags (entities decoded, a line break around block elements, nothing of
    script or style), inline images' alt texts, and links with their text."""
    reading = Reading()
    html = html or ""
    skip = 0
    anchor: Link | None = None
    anchor_text: list[str] = []
    position = 0
    for match in _TAG.finditer(html):
        if match.start() > position and not skip:
            data = unescape(html[position:match.start()])
            reading.parts.append(data)
            if anchor is not None:
                anchor_text.append(data)
        position = match.end()
        name = (match.group(2) or "").lower()
        if not name:
            continue  # a comment
        closing = bool(match.group(1))
        if name in SKIPPED_TAGS:
            skip = max(0, skip - 1) if closing else skip + 1
            continue
        if name in BLOCK_TAGS:
            reading.parts.append("\n")
        if closing:
            if name == "a" and anchor is not None:
                anchor.label = "".join(anchor_text).strip()[:300]
                reading.links.append(anchor)
                anchor = None
            continue
        if name == "img":
            attrs = _attrs(match.group(3))
            if attrs.get("alt"):
                reading.alts.append(attrs["alt"])
            if attrs.get("src"):
                reading.links.append(Link(attrs["src"], attrs.get("alt") or ""))
        elif name == "a":
            href = _attrs(match.group(3)).get("href")
            if href:
                anchor, anchor_text = Link(href), []
    if position < len(html) and not skip:
        reading.parts.append(unescape(html[position:]))
        if anchor is not None:
            anchor_text.append(html[position:])
    if anchor is not None:
        anchor.label = "".join(anchor_text).strip()[:300]
        reading.links.append(anchor)
    return reading


def visible_text(html: str) -> str:
    """The text a reader sees of an HTML fragment (plain text passes through)."""
    if "<" not in (html or "") and "&" not in (html or ""):
        return html or ""
    return "".join(read_html(html).parts)


NOT_READING_MATTER = frozenset({"url", "code", "redirect_url", "slug"})


@lru_cache(maxsize=None)
def _text_fields(model) -> list:
    """The model's content fields that readers read: its free-text fields
    (apps.core.textclean) without codes and addresses."""
    names = set(text_field_names(model)) - NOT_READING_MATTER
    return [f for f in content_fields(model) if f.name in names]


@lru_cache(maxsize=None)
def _child_model(model, accessor):
    try:
        return child_relation(model, accessor).related_model
    except LookupError:
        return None


@dataclass
class Content:
    """Everything a version publishes: its texts, and the links and attachments in it."""

    texts: list[Text] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    attachment_ids: list[int] = field(default_factory=list)


def _add_field_text(content: Content, label: str, value, rich: bool) -> None:
    if not value or not isinstance(value, str):
        return
    if rich or "<" in value:
        reader = read_html(value)
        content.texts.append(Text(label, "".join(reader.parts)))
        content.texts.extend(Text(_("%(label)s中的图片替代文本") % {"label": label}, alt) for alt in reader.alts)
        content.links.extend(reader.links)
    else:
        content.texts.append(Text(label, value))


def _rows_of(model, snapshot: dict, language) -> list[tuple[type, dict, dict, str]]:
    """(model, field values, many-to-many ids, label prefix) of the version and of its child rows."""
    rows = [(model, snapshot.get("fields", {}), snapshot.get("m2m", {}), "")]
    for accessor, children in (snapshot.get("children") or {}).items():
        child_model = _child_model(model, accessor)
        if child_model is None:
            continue
        prefix = _label(child_model._meta, language)
        for index, row in enumerate(children, start=1):
            rows.append((child_model, row, {}, f"{prefix} {index} "))
    return rows


_LABELS: dict = {}


def _label(named, language) -> str:
    """A field's (or a model's) verbose name in ``language``, translated once (an
    import's batch scans thousands of rows of the same fields)."""
    key = (named, language)
    label = _LABELS.get(key)
    if label is None:
        label = _LABELS[key] = str(named.verbose_name)
    return label


_COLUMNS: dict = {}


def _text_columns(model, language) -> list[tuple[str, str, bool]]:
    """(attname, label in ``language``, rich text?) of the model's text fields."""
    key = (model, language)
    columns = _COLUMNS.get(key)
    if columns is None:
        from apps.core.fields import RichTextField

        columns = _COLUMNS[key] = [(f.attname, _label(f, language), isinstance(f, RichTextField))
                                  for f in _text_fields(model)]
    return columns


_MEDIA_COLUMNS: dict = {}


def _media_columns(media_model, language) -> list[tuple[str, str]]:
    """(field name, label in ``language``) of a media model's reviewed text fields:
    the field's name after the model's ("图片" + "替代文本"), unless it already
    names the model ("图片说明")."""
    key = (media_model, language)
    columns = _MEDIA_COLUMNS.get(key)
    if columns is None:
        kind = _label(media_model._meta, language)
        columns = _MEDIA_COLUMNS[key] = []
        for name in media_text.text_fields(media_model):
            label = _label(media_model._meta.get_field(name), language)
            columns.append((name, label if label.startswith(kind) else f"{kind}{label}"))
    return columns


@lru_cache(maxsize=None)
def _has_url_field(model) -> bool:
    return any(f.name == "url" for f in model._meta.concrete_fields)


def content_of_snapshot(model, snapshot: dict | None) -> Content:
    """The texts, links and attachments of one version (a revision's snapshot); the
    media's text is the reviewed copy the snapshot carries (apps.editorial.media_text)."""
    content = Content()
    if not snapshot:
        return content
    media = media_text.reviewed(model, snapshot)
    wanted: dict[type, list[tuple[int, str]]] = {}
    language = get_language()
    for row_model, values, m2m, prefix in _rows_of(model, snapshot, language):
        for attname, label, rich in _text_columns(row_model, language):
            value = values.get(attname)
            if not value or not isinstance(value, str):
                continue
            _add_field_text(content, f"{prefix}{label}" if prefix else label, value, rich)
        if _has_url_field(row_model) and values.get("url"):
            content.links.append(Link(values["url"], str(values.get("title") or "")))
        if not media:
            continue  # the version carries no media text: nothing to look up (an import's rows)
        for media_model, pk in media_text.row_references(row_model, values, m2m):
            wanted.setdefault(media_model, []).append((pk, prefix))
    for media_model, refs in wanted.items():
        label = media_model._meta.label_lower
        for pk, prefix in refs:
            entry = media.get(label, {}).get(str(pk))
            if entry is None:
                continue
            for name, text_label in _media_columns(media_model, language):
                if entry.get(name):
                    content.texts.append(Text(f"{prefix}{text_label}", entry[name]))
            if label == "media.attachment":
                content.attachment_ids.append(pk)
    return content


def content_of(item, revision=None) -> Content:
    """What ``revision`` of the item publishes (default: its latest version)."""
    revision = revision if revision is not None else item.latest_revision
    snapshot = revision.snapshot if revision is not None else serialize(item)
    return content_of_snapshot(type(item), snapshot)


def texts_of(item, revision=None) -> list[Text]:
    return content_of(item, revision).texts
