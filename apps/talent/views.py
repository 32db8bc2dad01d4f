"""Public pages of the talent column. Reads go through the named rules
(``TalentProgramme.objects.published()``, ``ApplicationRound.objects.public()``
and the state rules), in a constant number of queries whatever the number of
programmes, rounds or materials. Round states and "还剩N天" are computed here,
on the server, at the request's moment (Beijing time)."""

from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from apps.core.models import ColumnType
from apps.editorial.media_text import show_reviewed_text
from apps.editorial.public import public_item
from apps.media.models import Attachment
from apps.media.views import attachment_response
from apps.core.params import row_id

from . import calendar as ical
from .models import ApplicationRound, ProgrammeCategory, RoundState, TalentProgramme

COLUMN = {"name": "人才项目", "type": ColumnType.SPECIAL,
          "description": "乌鲁木齐高新区（新市区）人才引进和青年人才培养项目、申报批次和截止时间"}

#: How a state sorts on the list: open now first (the soonest deadline first), then upcoming.
STATE_ORDER = {RoundState.CLOSING_SOON: 0, RoundState.OPEN: 0, RoundState.UPCOMING: 1, RoundState.CLOSED: 2, None: 3}
STATE_CHOICES = [("open", gettext_lazy("正在申报")), ("upcoming", gettext_lazy("即将开始")), ("closed", gettext_lazy("已截止"))]
STATE_FILTERS = {"open": (RoundState.OPEN, RoundState.CLOSING_SOON), "upcoming": (RoundState.UPCOMING,),
                 "closed": (RoundState.CLOSED,)}


def annotate_rounds(rounds, now) -> list:
    """Give each round ``state`` and ``days_left`` at ``now`` (for templates)."""
    for round_ in rounds:
        round_.state_now = round_.state_at(now)
        round_.days_left = round_.days_left_at(now)
    return rounds


def current_round(rounds):
    """The round a list shows: an open one (soonest deadline), else the next
    upcoming, else the most recently closed. ``rounds`` carry ``state``."""
    def key(r):
        if r.state_now in (RoundState.OPEN, RoundState.CLOSING_SOON):
            return (0, r.closes_at.timestamp() if r.closes_at else float("inf"))
        if r.state_now == RoundState.UPCOMING:
            return (1, r.opens_at.timestamp())
        return (2, -r.closes_at.timestamp())
    return min(rounds, key=key, default=None)


def _list_order(programme) -> tuple:
    """Open now first (soonest deadline first, 常年受理 after those with a deadline),
    then upcoming (soonest opening first), then closed, then those without rounds."""
    current = programme.current
    if current is None:
        return (STATE_ORDER[None], 0)
    if current.state_now == RoundState.UPCOMING:
        return (STATE_ORDER[current.state_now], current.opens_at.timestamp())
    if current.state_now == RoundState.CLOSED:
        return (STATE_ORDER[current.state_now], -current.closes_at.timestamp())
    return (STATE_ORDER[current.state_now], current.closes_at.timestamp() if current.closes_at else float("inf"))




@require_safe
def index(request):
    now = timezone.now()
    category = row_id(request.GET.get("category"))
    state = request.GET.get("state") if request.GET.get("state") in STATE_FILTERS else ""
    programmes = TalentProgramme.objects.published().for_list().prefetch_related(
        Prefetch("rounds", queryset=ApplicationRound.objects.all())
    )
    if category is not None:
        programmes = programmes.in_category(category)
    rows = []
    for programme in programmes:
        programme.current = current_round(annotate_rounds(list(programme.rounds.all()), now))
        current_state = programme.current.state_now if programme.current else None
        if state and current_state not in STATE_FILTERS[state]:
            continue
        rows.append(programme)
    rows.sort(key=_list_order)
    return render(request, "talent/index.html", {
        "programmes": rows, "categories": list(ProgrammeCategory.objects.all()), "category": category,
        "state": state, "states": STATE_CHOICES,
        "column": COLUMN, "active_column": "talent", "now": now,
    })


@require_safe
def detail(request, pk: int):
    item, gone = public_item(request, TalentProgramme.objects.select_related("category", "cover_image", "policy_page"), pk=pk)
    if gone is not None:
        return gone
    return render_programme(request, item)


def render_programme(request, item, *, preview: bool = False):
    now = timezone.now()
    rounds = annotate_rounds(
        list(item.rounds.select_related("results_release", "results_page").order_by("-opens_at", "-pk")), now
    )
    live = [r for r in rounds if r.state_now != RoundState.CLOSED]
    live.sort(key=lambda r: (STATE_ORDER[r.state_now], r.opens_at.timestamp() if r.opens_at else 0))
    if item.cover_image is not None:
        prefetch_related_objects([item.cover_image], "renditions")
    materials = list(item.materials.select_related("template"))
    show_reviewed_text(item, item.cover_image, [m.template for m in materials])
    policy = item.policy_page if item.policy_page and item.policy_page.visibility == "live" else None
    return render(request, "talent/detail.html", {
        "item": item, "rounds": live, "archive": [r for r in rounds if r.state_now == RoundState.CLOSED],
        "materials": materials, "policy": policy,
        "news": list(item.related_news.published().order_by("-first_published_at", "-pk").only(
            "pk", "title", "created_at", "first_published_at")),
        "enterprises": list(item.enterprises.listed().in_directory_order().only("pk", "name")),
        "preview": preview, "column": COLUMN, "active_column": "talent", "now": now,
    })


@require_safe
def round_calendar(request, pk: int):
    """The round as an iCalendar file: its opening and its deadline as two events."""
    round_ = ApplicationRound.objects.public().filter(pk=pk).select_related("programme").first()
    if round_ is None:
        raise Http404
    response = HttpResponse(ical.round_calendar(round_, request), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="round-{round_.pk}.ics"'
    return response


@require_safe
def material_template(request, pk: int, attachment_id: int):
    """A required material's template file, to anyone who may read the programme."""
    found = Attachment.objects.filter(pk=attachment_id).first()
    if found is None:
        raise Http404
    programme = TalentProgramme.objects.viewable().filter(pk=pk, materials__template=found).only("pk", "media_text").first()
    if programme is None and not request.user.has_perm("media.view_attachment"):
        raise Http404
    if programme is not None:
        show_reviewed_text(programme, found)  # the download name is the reviewed title
    return attachment_response(found)
