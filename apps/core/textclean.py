"""Cleaning pasted text: one rule for every text field that editors fill in.

Editors and importers paste from converters that glue pinyin after each character
("園區(qū)"). ``PastedTextFormMixin`` removes those annotations from every text field
of a form when it is cleaned, so titles, summaries, captions, alt text and media
titles are stored clean, as the rich-text body already was (its sanitiser). The
media forms inherit it; every admin form, list-editable form and inline (the
editorial content forms and child rows included) gets it from
``PastedTextAdminMixin``, which the project's admin site adds to each ModelAdmin
it registers; the action pages (apps.core.admin_pages) clean the
request's fields (``cleaned_post``); the editorial actions clean the ``fields``
they are given (imports, commands) with ``clean_text_values``.

Traditional characters in Simplified content are not changed silently: the
change page lists them (``traditional_fields``) and offers a one-click
conversion (apps.editorial.actions.convert_to_simplified).

What the public types into a plain-text field (a message, a request's description)
must not hold HTML tags: ``has_html_tag`` / ``require_plain_text``.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from .scripts import strip_pinyin_annotations, traditional_characters


def clean_pasted_text(value):
    """A string with pinyin annotations removed; anything else unchanged."""
    return strip_pinyin_annotations(value) if isinstance(value, str) else value


def text_field_names(model) -> list[str]:
    """The model's editable free-text fields (CharField, TextField and their
    subclasses such as the rich-text field), without choice fields."""
    return [
        f.name for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField)) and f.editable and not f.choices
        and not isinstance(f, (models.SlugField, models.URLField, models.EmailField))
    ]


def clean_text_values(model, values: dict) -> dict:
    """``values`` (field name → value) with the model's free-text values cleaned."""
    names = set(text_field_names(model))
    return {name: clean_pasted_text(value) if name in names else value for name, value in values.items()}


def traditional_fields(model, values: dict) -> list[tuple[str, str, list[str]]]:
    """(field name, verbose name, Traditional-only characters) for each free-text
    field of ``model`` whose value in ``values`` (name → value) holds any."""
    found = []
    for name in text_field_names(model):
        value = values.get(name)
        chars = traditional_characters(value) if isinstance(value, str) else []
        if chars:
            found.append((name, str(model._meta.get_field(name).verbose_name), chars))
    return found


class PastedTextFormMixin:
    """Mix into a form (before the form class): every text field's cleaned value
    loses its pinyin annotations, whatever the form's own ``clean`` does."""

    def clean(self):
        cleaned = super().clean()
        data = cleaned if cleaned is not None else self.cleaned_data
        for name, field in self.fields.items():
            if (
                isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput)
                and isinstance(data.get(name), str)
            ):
                data[name] = clean_pasted_text(data[name])
        return cleaned


def with_pasted_text_cleaning(form_class):
    """``form_class`` with PastedTextFormMixin in front (once)."""
    if issubclass(form_class, PastedTextFormMixin):
        return form_class
    return type(form_class.__name__, (PastedTextFormMixin, form_class), {"__module__": form_class.__module__})


class PastedTextAdminMixin:
    """Mix into a ModelAdmin: its forms, list-editable forms and inlines clean
    pasted text. The project's admin site puts it on every ModelAdmin it
    registers (parkportal.admin.ParkAdminSite.register), so no admin can forget it."""

    def get_form(self, request, obj=None, **kwargs):
        return with_pasted_text_cleaning(super().get_form(request, obj, **kwargs))

    def get_changelist_form(self, request, **kwargs):
        return with_pasted_text_cleaning(super().get_changelist_form(request, **kwargs))

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            inline.form = with_pasted_text_cleaning(inline.form)
        return inlines


def with_pasted_text_admin(admin_class):
    """``admin_class`` with PastedTextAdminMixin in front (once)."""
    if issubclass(admin_class, PastedTextAdminMixin):
        return admin_class
    return type(admin_class.__name__, (PastedTextAdminMixin, admin_class), {"__module__": admin_class.__module__})


def cleaned_post(data):
    """A copy of a request's POST data with every value's pinyin annotations
    removed (for admin pages that read fields straight from the request)."""
    copy = data.copy()
    for key in copy:
        copy.setlist(key, [clean_pasted_text(value) for value in copy.getlist(key)])
    return copy


HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


def has_html_tag(value) -> bool:
    """Whether ``value`` (text a person typed) holds an HTML tag or comment."""
    return bool(value) and HTML_TAG.search(value) is not None


def require_plain_text(value, message, *, field: str | None = None):
    """``value`` unchanged, or ValidationError(``message``, keyed by ``field`` when given)
    if it holds an HTML tag."""
    if has_html_tag(value):
        raise ValidationError({field: message} if field else message)
    return value
