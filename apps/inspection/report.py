"""The self-inspection report as files: the quarterly sheet (XLSX, in the
checklist's order) for the inspection file."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from .indicators import Result


def sheet_rows(results: list[Result]) -> tuple[list[str], list[list]]:
    headers = [_("序号"), _("检查指标"), _("结果"), _("当前情况"), _("判定标准"), _("问题条目")]
    rows = []
    for number, result in enumerate(results, start=1):
        items = "\n".join(
            f"{row.label}：{row.detail}" + (f"（{row.who}）" if row.who else "")
            + (f" {timezone.localtime(row.when).strftime('%Y-%m-%d %H:%M')}" if row.when else "")
            for row in result.rows
        )
        rows.append([number, result.title, result.status_label, result.value, result.rule, items])
    return headers, rows


def xlsx(results: list[Result]) -> bytes:
    from apps.core.writers import write_xlsx

    headers, rows = sheet_rows(results)
    return write_xlsx(headers, rows, sheet_title=_("网站自查"))
