"""What editors met in the import (issue 15): the preview shows every field of a
new row, a re-import with nothing to do ends, refused and cancelled files are
purged after the retention period, and an uncomputed formula says so."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.conf import settings
from django.utils import timezone

from apps.enterprises import actions, importing, tasks
from apps.enterprises.importing import ImportRefused
from apps.enterprises.models import ImportJob, ImportStatus
from apps.core.spreadsheets import read_table

from .test_import_admin import HEADERS, IMPORT_URL, confirm, csv_file, editor_client, job_of, rows, upload  # noqa: F401


def test_the_preview_shows_every_field_a_new_row_will_write(editor_client):
    job = job_of(upload(editor_client, csv_file(rows(1))))
    page = editor_client.get(f"{IMPORT_URL}{job.pk}/").content.decode()
    # Nine filled columns: each is shown with its value, not only the first four.
    for header, value in [("成立日期", "2012-05-20"), ("从业人数", "20-99"), ("地址", "长春中路1号"), ("网站", "https://www.example.com.cn")]:
        assert f"{header}：" in page and value in page, header
    assert "资质：" in page and "瞪羚企业" in page


def test_a_reimport_with_nothing_to_do_ends_with_a_clear_message(editor_client):
    data = csv_file(rows(2))
    confirm(editor_client, job_of(upload(editor_client, data)))

    job = job_of(upload(editor_client, data))

    assert job.status == ImportStatus.NOTHING_TO_DO and job.finished_at is not None
    assert job.counts["unchanged"] == 2
    page = editor_client.get(f"{IMPORT_URL}{job.pk}/").content.decode()
    assert "无变化" in page and "本次导入已结束，没有写入任何数据" in page
    assert "确认导入" not in page and not ImportJob.objects.running().exists()
    assert confirm(editor_client, job).status_code in (302, 400, 409)
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.NOTHING_TO_DO


def test_a_file_whose_rows_all_have_errors_ends_too_and_says_why(editor_client):
    job = job_of(upload(editor_client, csv_file(rows(2, 统一社会信用代码="91650106MA0000000X"))))
    assert job.status == ImportStatus.NOTHING_TO_DO and job.counts["invalid"] == 2
    page = editor_client.get(f"{IMPORT_URL}{job.pk}/").content.decode()
    assert "其余的行都有错误" in page and "校验码" in page


def _aged(job, days):
    ImportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(days=days))


def test_refused_and_cancelled_import_files_are_purged_after_the_retention_period(people, kinds, settings):
    settings.PARKPORTAL_ENTERPRISES_IMPORT_RETENTION_DAYS = 30
    with pytest.raises(ImportRefused):
        actions.start_import("enterprise", by=people.editor, data=b"\x89PNG not a sheet", filename="a.png")
    refused = ImportJob.objects.get(status=ImportStatus.FAILED)
    cancelled = actions.start_import("enterprise", by=people.editor, data=csv_file(rows(1)), filename="b.csv")
    actions.cancel_import(cancelled, by=people.editor)
    recent = actions.start_import("enterprise", by=people.editor, data=csv_file(rows(1, start=5)), filename="c.csv")
    actions.cancel_import(recent, by=people.editor)
    done = actions.confirm_import(
        actions.start_import("enterprise", by=people.editor, data=csv_file(rows(1, start=9)), filename="d.csv"),
        by=people.editor,
    )
    for job in (refused, cancelled, done):
        _aged(job, 31)
    _aged(recent, 29)

    assert tasks.purge_import_files() == 2

    for job in (refused, cancelled):
        job = ImportJob.objects.get(pk=job.pk)
        assert bytes(job.data) == b"" and job.preview == [] and job.purged_at is not None
        assert job.filename and job.created_by_id == people.editor.pk  # the history stays
    assert bytes(ImportJob.objects.get(pk=recent.pk).data) != b""
    assert bytes(ImportJob.objects.get(pk=done.pk).data) != b""
    assert importing.purge_import_files() == 0  # purged once


def test_the_purge_runs_daily_from_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["enterprises.purge_import_files"]
    assert entry["task"] == tasks.purge_import_files.name


def _xlsx(cells: dict) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append(rows(1)[0])
    for ref, value in cells.items():
        sheet[ref] = value
    out = io.BytesIO()
    workbook.save(out)  # openpyxl stores formulas without a cached result, as a program would
    return out.getvalue()


def test_a_formula_without_a_computed_result_is_reported_as_such(people, kinds):
    data = _xlsx({"A2": '=CONCATENATE("新疆","天山")', "H2": "=B2"})  # name (required) and address
    job = actions.start_import("enterprise", by=people.editor, data=data, filename="公式.xlsx")
    messages = [e["message"] for e in job.errors]
    assert any(m.startswith("第2行，企业名称：公式单元格没有计算结果") for m in messages), messages
    assert any(m.startswith("第2行，地址：公式单元格没有计算结果") for m in messages), messages
    assert not any("必填" in m for m in messages)


def test_a_blank_cell_beside_a_formula_is_still_blank():
    table = read_table(_xlsx({"D2": None, "H2": "=B2"}), filename="a.xlsx")
    blank = table.rows[0][HEADERS.index("资质")]
    assert blank == "" and type(blank) is str


def test_the_import_history_shows_when_a_job_s_file_was_purged(editor_client, people, django_assert_max_num_queries):
    job = job_of(upload(editor_client, csv_file(rows(1))))
    actions.cancel_import(job, by=people.editor)
    _aged(job, 31)
    importing.purge_import_files()
    page = editor_client.get(f"/admin/enterprises/importjob/{job.pk}/change/")
    assert page.status_code == 200 and "文件删除时间" in page.content.decode()
    with django_assert_max_num_queries(12):
        assert editor_client.get("/admin/enterprises/importjob/").status_code == 200
