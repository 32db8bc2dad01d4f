"""The enterprise rates its resolved request (好差评): the form lives on the request's page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.errors import InvalidTransition, NotAllowed

from .. import actions
from ..forms import RatingForm, add_action_errors
from ..models.ratings import DIMENSIONS
from .common import enterprise_page, status_of
from .requests import _detail, _own_request


@enterprise_page
@require_POST
def rate(request, number: str):
    item = _own_request(request, number)
    form = RatingForm(request.POST)
    form.is_valid()
    data = {name: request.POST.get(name, "") for name, _label in DIMENSIONS}
    try:
        actions.rate(item, by=request.user, score=request.POST.get("score", ""),
                     comment=request.POST.get("comment", ""), **data)
    except ValidationError as exc:
        add_action_errors(form, exc)
        return _detail(request, item, rating_form=form, status=400)
    except (NotAllowed, InvalidTransition) as exc:
        messages.error(request, str(getattr(exc, "message", "") or exc))
        return _detail(request, item, status=status_of(exc))
    messages.success(request, _("感谢您的评价。"))
    return redirect("services:my_detail", number=number)
