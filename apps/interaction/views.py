"""Public pages of 互动交流: published consultations (list, detail), the message form and
the tracking lookup. The list and detail read ``Consultation.objects.published()``,
which holds no personal data; the form and the lookup are never cached."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from apps.core import viewcounts
from apps.core.models import ColumnType
from apps.core.tracking import phone_matches
from apps.editorial.public import public_item

from . import actions, antispam
from .forms import LookupForm, MessageForm
from .models import Consultation, Message
from .tracking import normalise

PAGE_SIZE = getattr(settings, "PARKPORTAL_INTERACTION_PAGE_SIZE", 20)
COLUMN = {"name": "互动交流", "type": ColumnType.INTERACTION,
          "description": "群众和企业的留言、咨询、建议和投诉，以及受理日期、答复部门和答复内容",
          "keywords": "互动交流,留言,咨询,投诉,答复"}


@require_safe
def index(request):
    rows = Consultation.objects.published().newest_first().only(
        "pk", "kind", "subject", "accepted_on", "department", "first_published_at")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "interaction/index.html", {
        "page": page, "consultations": page.object_list, "filter_query": "",
        "column": COLUMN, "active_column": "interaction",
    })


@require_safe
def detail(request, pk: int):
    item, gone = public_item(request, Consultation.objects.filter(public=True), pk=pk)
    if gone is not None:
        return gone
    return viewcounts.mark(render_consultation(request, item), item)


def render_consultation(request, item, *, preview: bool = False):
    return render(request, "interaction/detail.html", {
        "item": item, "views": viewcounts.count_of(item), "preview": preview,
        "column": COLUMN, "active_column": "interaction",
    })


def _fresh(form_data=None):
    """The form, with a new signed start time (keeping what the visitor typed)."""
    data = form_data.copy() if form_data is not None else None
    if data is not None:
        data["started"] = antispam.new_form_token()
        data["website"] = ""
        return MessageForm(data)
    return MessageForm(initial={"started": antispam.new_form_token()})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def write(request):
    if request.method != "POST":
        return render(request, "interaction/write.html", {"form": _fresh(), "column": COLUMN,
                                                          "active_column": "interaction"})
    status, problem = 200, None
    if antispam.submit_over_limit(request):
        status, problem = 429, _("提交过于频繁，请一小时后再试。")
    elif antispam.honeypot_filled(request.POST):
        status, problem = 400, _("提交未成功：请不要填写“请勿填写此项”一栏。")
    else:
        age = antispam.form_age(request.POST.get("started"))
        if age is None:
            status, problem = 400, _("表单已过期或无效，请核对后重新提交。")
        elif antispam.too_fast(age):
            status, problem = 400, _("提交过快，请核对内容后再次提交。")
    form = MessageForm(request.POST)
    if problem is None and form.is_valid():
        try:
            message = actions.submit_message(form.cleaned_data, by=request.user)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return render(request, "interaction/submitted.html", {
                "message": message, "column": COLUMN, "active_column": "interaction"})
    if problem is None:
        status = 400
    shown = _fresh(request.POST)
    shown.is_valid()
    for field, errors in form.errors.items():
        if field not in shown.errors:
            for error in errors:
                shown.add_error(field if field != "__all__" else None, error)
    if problem:
        shown.add_error(None, problem)
    return render(request, "interaction/write.html", {"form": shown, "column": COLUMN,
                                                      "active_column": "interaction"}, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def track(request):
    """The writer's own message, by tracking number and phone: its status and the reviewed
    reply once published (their own message shows even when it was not made public)."""
    form = LookupForm(request.POST or None)
    item, status = None, 200
    if request.method == "POST":
        if antispam.lookup_over_limit(request):
            form.is_valid()
            form.add_error(None, _("查询过于频繁，请 10 分钟后再试。"))
            status = 429
        elif form.is_valid():
            found = (Message.objects.select_related("consultation")
                     .filter(tracking_number=normalise(form.cleaned_data["tracking_number"])).first())
            if found is not None and phone_matches(found.phone, form.cleaned_data["phone"]):
                item = found
            else:
                form.add_error(None, _("没有找到与该受理编号和联系电话相符的留言，请核对后重试。"))
                status = 404
        else:
            status = 400
    return render(request, "interaction/track.html", {
        "form": form, "item": item, "column": COLUMN, "active_column": "interaction",
    }, status=status)
