from django import template

from ..models import ChangeNote, Visibility

register = template.Library()


@register.inclusion_tag("editorial/publication_dates.html")
def publication_dates(item):
    """发布时间 and 更新时间, as the norms require on every published item."""
    return {"item": item}


@register.inclusion_tag("editorial/withdrawal_notice.html")
def withdrawal_notice(item):
    return {"item": item, "withdrawn": item.visibility == Visibility.WITHDRAWN}


@register.inclusion_tag("editorial/change_history.html")
def change_history(item):
    """The public change notes of an item: one query."""
    notes = list(ChangeNote.objects.filter(**ChangeNote.ref_filter(item)).order_by("-published_at", "-id"))
    return {"item": item, "notes": notes}
