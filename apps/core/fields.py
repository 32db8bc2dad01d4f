"""Field types shared by the content apps."""

from django.db import models
from django_prose_editor.fields import ProseEditorField, create_sanitizer

from .scripts import strip_pinyin_annotations

# What editors may write, and exactly what the sanitiser (nh3) lets through.
RICH_TEXT_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
}


class RichTextField(ProseEditorField):
    """Rich text edited with django-prose-editor and sanitised with nh3 on save;
    pinyin annotations pasted from broken converters are removed too."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", dict(RICH_TEXT_EXTENSIONS))
        # Applied last to first: nh3 first, then the pinyin guard.
        kwargs.setdefault("sanitize", [strip_pinyin_annotations, create_sanitizer])
        super().__init__(*args, **kwargs)


class RowJSONField(models.JSONField):
    """A JSON column of a table written thousands of rows at a time whose documents
    are large or full of quotes: revision snapshots, a batch's diff rows.

    On PostgreSQL Django 5.2 sends a bulk insert as one array per column
    (``INSERT … SELECT * FROM UNNEST(…)``), and psycopg builds a ``jsonb[]``
    array in Python, escaping every quote of every document. A field with a
    placeholder keeps the insert as ``VALUES`` lists, where each document is a
    parameter of its own, sent as it is (server-side binding). For small
    documents (audit rows) the arrays are cheaper: measured in docs/BENCHMARKS.md.
    Stored and read as any ``JSONField``.
    """

    def get_placeholder(self, value, compiler, connection):
        return "%s"
