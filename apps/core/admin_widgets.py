"""Admin widgets that survive garbage input.

Django's autocomplete widgets re-render the submitted values of a refused form by
filtering the related model on them (``pk__in``): a value that is not a valid key
(``"abc"``) raises inside the template, a 500 instead of the form's own error. The
widgets here drop such values before rendering; the form still reports the error.
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class _ValidKeysOnly:
    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        to_field_name = getattr(remote, "field_name", self.field.model._meta.pk.attname)
        key = remote.model._meta.get_field(to_field_name)
        valid = []
        for raw in value:
            try:
                key.to_python(raw)
            except ValidationError:
                continue
            valid.append(raw)
        return super().optgroups(name, valid, attr)


class SafeAutocompleteSelect(_ValidKeysOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ValidKeysOnly, AutocompleteSelectMultiple):
    pass


_SAFE = {AutocompleteSelect: SafeAutocompleteSelect, AutocompleteSelectMultiple: SafeAutocompleteSelectMultiple}


class SafeAutocompleteAdminMixin:
    """For a ModelAdmin with ``autocomplete_fields``: garbage ids give a form error, not a 500."""

    @staticmethod
    def _safe(formfield):
        if formfield is not None and type(formfield.widget) in _SAFE:
            formfield.widget.__class__ = _SAFE[type(formfield.widget)]
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return self._safe(super().formfield_for_foreignkey(db_field, request, **kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return self._safe(super().formfield_for_manytomany(db_field, request, **kwargs))
