"""The indicators this app computes, in the national checklist's order
(严重表述错误 and faked data first: they fail a site outright).

Each is a fixed number of queries: aggregates over the content tables and the
stored results of the wording scan and the link checker.
"""

from __future__ import annotations

from django.apps import apps
from urllib.parse import urlencode

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.models import AuditEntry, ColumnType

from .indicators import (
    FAIL, PASS, WARN, Result, Row, admin_url, describe_age, describe_limit, grade, grade_age, oldest_open, setting,
    worst,
)
from .models import LinkCheck, LiveWordingHit, Severity

MAX_ROWS = 200


def wording(now) -> Result:
    hits = list(LiveWordingHit.objects.select_related("content_type").order_by("severity", "pk")[:MAX_ROWS])
    counts = LiveWordingHit.objects.aggregate(
        serious=Count("pk", filter=Q(severity=Severity.BLOCK)), minor=Count("pk", filter=Q(severity=Severity.WARN)))
    status = FAIL if counts["serious"] else WARN if counts["minor"] else PASS
    rows = [
        Row(h.item_repr, _("%(label)s：%(context)s%(suggestion)s") % {
            "label": h.field_label, "context": h.context,
            "suggestion": _("（建议：%(s)s）") % {"s": h.suggestion} if h.suggestion else ""},
            FAIL if h.severity == Severity.BLOCK else WARN,
            admin_url(h.content_type.app_label, h.content_type.model, h.object_id), h.found_at)
        for h in hits
    ]
    value = _("严重 %(serious)s 处，一般 %(minor)s 处") % counts
    return Result("", "", status, value, _("已发布内容中不得有严重表述错误和禁用词"), rows)


def dates_edited(now) -> Result:
    actions = setting("DATE_EDIT_ACTIONS")
    entries = list(AuditEntry.objects.filter(action__in=actions).select_related("actor", "content_type")
                   .order_by("-created_at")[:MAX_ROWS])
    rows = [
        Row(e.object_repr, e.note or _("发布时间被修改"), FAIL,
            admin_url(e.content_type.app_label, e.content_type.model, e.object_id) if e.content_type_id else "",
            e.created_at, str(e.actor))
        for e in entries
    ]
    status = FAIL if rows else PASS
    return Result("", "", status, _("%(n)s 次修改") % {"n": len(rows)}, _("发布后不得修改发布时间（虚假或伪造内容）"), rows)


def changelist_url(app_label: str, model_name: str, query: str = "") -> str:
    try:
        return reverse(f"admin:{app_label}_{model_name}_changelist") + (f"?{query}" if query else "")
    except NoReverseMatch:
        return ""


def _home_last():
    last = None
    for label in setting("HOME_MODELS"):
        model = apps.get_model(label)
        value = model.objects.published().aggregate(last=Max("first_published_at"))["last"]
        if value is not None and (last is None or value > last):
            last = value
    return last


def home(now) -> Result:
    limit = setting("HOME_MAX_AGE")
    last = _home_last()
    status = grade_age(last, now, limit)
    return Result("", "", status, describe_age(last, now),
                  _("首页 %(limit)s 内须有新内容") % {"limit": describe_limit(limit)},
                  [] if status == PASS else [Row(_("首页"), describe_age(last, now), status, "/", last)])


def _columns():
    """(column type, label, last public update or None, published count, fix URL) of
    every column in use: pages by column type, and the content types that are columns
    of their own (``COLUMN_MODELS``: the newsroom as 工作动态, policy documents as
    政策文件, their interpretations as 政策解读), whose publications count for the
    column as a page of that type does."""
    from apps.editorial.models import Status

    Page = apps.get_model("pages", "Page")
    labels = dict(ColumnType.choices)
    published = Q(pk__in=Page.objects.published().values("pk"))
    columns = {}
    for row in (Page._base_manager.exclude(status=Status.ARCHIVED).values("column_type")
                .annotate(last=Max("public_updated_at", filter=published), live=Count("pk", filter=published))):
        columns[row["column_type"]] = [str(labels.get(row["column_type"], row["column_type"])), row["last"], row["live"],
                                       changelist_url("pages", "page", urlencode({"column_type__exact": row["column_type"]}))]
    for label, column_type in setting("COLUMN_MODELS").items():
        model = apps.get_model(label)
        live = Q(pk__in=model.objects.published().values("pk"))
        found = model._base_manager.aggregate(  # one query a model
            last=Max("public_updated_at", filter=live), live=Count("pk", filter=live), rows=Count("pk"))
        if not found["rows"]:
            continue  # a content type never used is no column
        column = columns.setdefault(column_type, [str(labels.get(column_type, column_type)), None, 0, ""])
        if found["last"] and (column[1] is None or found["last"] > column[1]):
            column[1] = found["last"]
        column[2] += found["live"]
        column[3] = changelist_url(model._meta.app_label, model._meta.model_name)
    return columns


def columns(now) -> Result:
    rules = setting("COLUMN_RULES")
    rows = []
    for column_type, (label, last, _live, url) in sorted(_columns().items()):
        limit = rules.get(column_type)
        if limit is None:
            continue
        status = grade_age(last, now, limit)
        rows.append(Row(label, _("最近更新：%(age)s；要求：%(limit)s 内更新") % {
            "age": describe_age(last, now), "limit": describe_limit(limit)}, status, url, last))
    status = worst(r.verdict for r in rows)
    late = sum(1 for r in rows if r.verdict == FAIL)
    rows = [r for r in rows if r.verdict != PASS]
    return Result("", "", status, _("%(late)s 个栏目未按时更新") % {"late": late},
                  _("动态、要闻类 2 周内更新；通知公告、政策文件类 6 个月内更新"), rows)


def empty_columns(now) -> Result:
    from apps.editorial.models import Status

    Page = apps.get_model("pages", "Page")
    PageLink = apps.get_model("pages", "PageLink")
    rows = [Row(label, _("栏目下没有已发布的内容"), FAIL, url)
            for _type, (label, _last, live, url) in sorted(_columns().items()) if not live]
    blank = (Page.objects.published().filter(Q(body="") | Q(body="<p></p>"))
             .exclude(Exists(Page.objects.published().filter(parent=OuterRef("pk"))))
             .exclude(Exists(PageLink.objects.filter(page=OuterRef("pk"))))
             .exclude(status=Status.ARCHIVED).only("pk", "title").order_by("pk"))
    rows += [Row(page.title, _("栏目页面没有正文、下级页面或链接"), FAIL, admin_url("pages", "page", page.pk)) for page in blank]
    limit = setting("EMPTY_COLUMN_LIMIT")
    status = grade(len(rows), limit)
    rows = [Row(r.label, r.detail, status, r.fix_url) for r in rows]
    return Result("", "", status, _("%(n)s 个空白栏目") % {"n": len(rows)},
                  _("空白栏目少于 %(limit)s 个") % {"limit": limit}, rows)


GUIDE_ELEMENTS = (
    ("name", gettext_lazy("事项名称")), ("legal_basis", gettext_lazy("设定依据")),
    ("eligibility", gettext_lazy("申请条件")), ("materials", gettext_lazy("办理材料")),
    ("venue", gettext_lazy("办理地点")), ("office_hours", gettext_lazy("办理时间")),
    ("phone", gettext_lazy("联系电话")), ("procedure", gettext_lazy("办理流程")),
)


def guides(now) -> Result:
    Service = apps.get_model("services", "Service")
    fields = [name for name, _label in GUIDE_ELEMENTS if name != "materials"]
    services = list(Service.objects.published().annotate(material_count=Count("materials"))
                    .only("pk", *fields).order_by("pk"))
    rows = []
    for service in services:
        missing = [str(label) for name, label in GUIDE_ELEMENTS
                   if (service.material_count == 0 if name == "materials" else not (getattr(service, name) or "").strip())]
        if missing:
            rows.append(Row(service.name or str(service.pk), _("缺少：%(missing)s") % {"missing": "、".join(missing)},
                            FAIL, admin_url("services", "service", service.pk)))
    if not services:
        rows.append(Row(_("办事服务"), _("没有已发布的办事指南"), FAIL, changelist_url("services", "service")))
    status = FAIL if rows else PASS
    return Result("", "", status, _("%(bad)s / %(all)s 个办事指南要素不全") % {"bad": len(rows) if services else 0,
                                                                          "all": len(services)},
                  _("办事指南须含事项名称、设定依据、申请条件、办理材料、办理地点、办理时间、联系电话、办理流程"), rows)


def consultations(now) -> Result:
    """留言 answered within 3 months of submission (单项否决 past it)."""
    Message = apps.get_model("interaction", "Message")
    return oldest_open(Message.objects.unanswered(), date_field="submitted_at", limit=("months", 3), now=now,
                       title=_("留言咨询答复"), rule=_("群众留言 3 个月内答复"))


def links(now) -> Result:
    reported = list(LinkCheck.objects.reported().select_related("content_type").order_by("-dead_runs", "pk")[:MAX_ROWS])
    count = LinkCheck.objects.reported().count()
    limit = setting("DEAD_LINK_LIMIT")
    status = grade(count, limit)
    last_run = LinkCheck.objects.aggregate(last=Max("last_checked_at"))["last"]
    rows = [
        Row(c.item_repr, _("%(kind)s %(url)s：%(error)s（首次发现 %(seen)s，连续 %(runs)s 次失效）") % {
            "kind": c.get_kind_display(), "url": c.label or c.url if c.kind == "attachment" else c.url,
            "error": c.error, "seen": timezone.localtime(c.first_seen_at).strftime("%Y-%m-%d"), "runs": c.dead_runs},
            status, admin_url(c.content_type.app_label, c.content_type.model, c.object_id), c.dead_since)
        for c in reported
    ]
    value = _("%(n)s 个失效链接或附件") % {"n": count}
    if last_run is None:
        value += _("（链接检查尚未运行）")
    return Result("", "", status, value, _("失效链接和无法下载的附件少于 %(limit)s 个（连续两次检查失效才计入）") % {
        "limit": limit}, rows)


INDICATORS = (
    ("wording", gettext_lazy("严重表述错误和错敏词"), 10, wording),
    ("dates", gettext_lazy("发布时间被修改"), 20, dates_edited),
    ("home", gettext_lazy("首页更新"), 30, home),
    ("columns", gettext_lazy("栏目更新"), 40, columns),
    ("empty_columns", gettext_lazy("空白栏目"), 50, empty_columns),
    ("consultations", gettext_lazy("留言咨询答复"), 60, consultations),
    ("guides", gettext_lazy("办事指南要素"), 70, guides),
    ("links", gettext_lazy("链接和附件可用性"), 80, links),
)
