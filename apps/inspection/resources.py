"""The wording lists as a spreadsheet (CSV or XLSX), on django-import-export.

Headers are Chinese (词语, 类别, 严重程度, 建议表述, 说明, 启用); a list is keyed by
its term. Files are read with ``apps.core.spreadsheets.read_table``
(format from the content, encoding detected: UTF-8 with or without BOM, GB18030,
UTF-16) and written with its formula-escaping writers, so an exported list opens
safely in Excel or WPS and imports back unchanged.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from .models import Kind, Severity, WordingEntry

HEADERS = {
    "term": "词语", "kind": "类别", "severity": "严重程度", "suggestion": "建议表述", "note": "说明", "active": "启用",
}
_YES = {"是", "启用", "true", "1", "yes", "y", "√", "✓", ""}
_NO = {"否", "停用", "false", "0", "no", "n", "×"}


class ChoiceLabelWidget(widgets.Widget):
    """A choice by its Chinese label (or its code); anything else is a clear error."""

    def __init__(self, choices, header: str):
        super().__init__()
        self.by_text = {}
        for value, label in choices:
            self.by_text[str(value).lower()] = value
            self.by_text[str(label)] = value
        self.labels = dict(choices)
        self.header = header

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if text.lower() in self.by_text:
            return self.by_text[text.lower()]
        if text in self.by_text:
            return self.by_text[text]
        raise ValueError(_("“%(header)s”应为%(choices)s之一，不能是“%(value)s”") % {
            "header": self.header, "choices": "、".join(str(label) for label in self.labels.values()), "value": text})

    def render(self, value, obj=None, **kwargs):
        return str(self.labels.get(value, value))


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip().lower()
        if text in _YES:
            return True
        if text in _NO:
            return False
        raise ValueError(_("“启用”应填“是”或“否”，不能是“%(value)s”") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return _("是") if value else _("否")


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return str(value or "").strip()


class WordingEntryResource(resources.ModelResource):
    term = fields.Field(attribute="term", column_name=HEADERS["term"], widget=TextWidget())
    kind = fields.Field(attribute="kind", column_name=HEADERS["kind"], widget=ChoiceLabelWidget(Kind.choices, HEADERS["kind"]))
    severity = fields.Field(
        attribute="severity", column_name=HEADERS["severity"],
        widget=ChoiceLabelWidget(Severity.choices, HEADERS["severity"]),
    )
    suggestion = fields.Field(attribute="suggestion", column_name=HEADERS["suggestion"], widget=TextWidget())
    note = fields.Field(attribute="note", column_name=HEADERS["note"], widget=TextWidget())
    active = fields.Field(attribute="active", column_name=HEADERS["active"], widget=YesNoWidget())

    class Meta:
        model = WordingEntry
        import_id_fields = ("term",)
        fields = ("term", "kind", "severity", "suggestion", "note", "active")
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, *, by=None):
        super().__init__()
        self.by = by

    def before_save_instance(self, instance, row, **kwargs):
        # The acting user of the import action (apps.inspection.actions.import_entries).
        if instance.pk is None:
            instance.created_by = self.by
        instance.updated_by = self.by
