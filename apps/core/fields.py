"""Field types shared by the content apps."""

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
