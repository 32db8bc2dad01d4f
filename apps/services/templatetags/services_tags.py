from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def attribute_value(value):
    """A typed attribute as text: yes/no in words, a multiple choice joined with 、."""
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return value
