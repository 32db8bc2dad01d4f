"""The published statistics (/services/statistics/): a public, page-cached page with
server-rendered SVG charts, each beside its data table, and a CSV download."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_safe

from apps.core.scripts import public_text
from apps.core.writers import write_csv

from .. import deadlines, statistics
from ..charts import bar_chart
from .guide import COLUMN


def _month_label(month) -> str:
    return _("%(year)s年%(month)s月") % {"year": month.year, "month": month.month}


def _charts(stats) -> list:
    months = [_("%(month)s月") % {"month": m.month} for m in stats.months]
    totals = stats.totals
    volume = bar_chart(
        "chart-volume", _("每月受理与办结件数"),
        _("柱状图：最近十二个月每月受理件数与办结件数，具体数字见右侧数据表。"),
        months, [_("受理"), _("办结")], [[t.accepted for t in totals], [t.completed for t in totals]], unit=_("件"))
    satisfaction = bar_chart(
        "chart-satisfaction", _("每月满意率"),
        _("柱状图：最近十二个月每月评价中“满意”和“非常满意”所占比例，没有评价的月份不画柱，具体数字见右侧数据表。"),
        months, [_("满意率")], [[t.satisfaction_percent for t in totals]], unit="%", top=100)
    return [
        (volume, [(_month_label(t.month), t.accepted, t.completed) for t in totals], [_("受理（件）"), _("办结（件）")]),
        (satisfaction, [(_month_label(t.month), t.ratings, t.satisfaction_percent) for t in totals],
         [_("评价数"), _("满意率（%）")]),
    ]


@require_safe
def page(request):
    stats = statistics.published(deadlines.today())
    return render(request, "services/statistics.html", {
        "stats": stats, "charts": _charts(stats), "column": COLUMN, "active_column": "services",
        "rows": [(_month_label(r.month), r) for r in stats.rows],
        "first_month": _month_label(stats.months[0]), "last_month": _month_label(stats.months[-1]),
    })


HEADER = (_lazy("月份"), _lazy("事项分组"), _lazy("受理件数"), _lazy("办结件数"), _lazy("按时办结率（%）"),
          _lazy("平均办理用时（工作日）"), _lazy("收到评价数"), _lazy("满意率（%）"), _lazy("差评按时整改率（%）"))


def _figure(value):
    """A rounded figure as the cell text ``str`` gives it ("50.0", "21.0"; "" for none):
    write_csv would write a whole float as "50", and the published cells keep one decimal."""
    return "" if value is None else str(value)


@require_safe
def csv_download(request):
    stats = statistics.published(deadlines.today())
    hant = translation.get_language() == "zh-hant"

    def text(value) -> str:
        return public_text(str(value), traditional=True) if hant else str(value)

    rows = [[f"{r.month:%Y-%m}", text(r.group), r.accepted, r.completed, _figure(r.on_time_percent),
             _figure(r.average_days), r.ratings, _figure(r.satisfaction_percent), _figure(r.rectified_percent)]
            for r in stats.rows]
    response = HttpResponse(write_csv([text(h) for h in HEADER], rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="service-statistics.csv"'
    return response
