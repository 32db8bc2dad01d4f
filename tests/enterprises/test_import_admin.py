"""Spreadsheet import through the admin: upload → preview → confirm, every encoding
and format, bad files refused with a Chinese message and a 4xx, idempotent
re-import, unknown clusters and duplicates reported, permissions, the Celery
path for large files, and one review batch whose approval publishes the rows."""

import io

import pytest
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.editorial import actions as editorial
from apps.editorial.batches import open_batch_of
from apps.editorial.models import BatchEntry, ReviewBatch, Revision, RevisionKind, Status, Visibility
from apps.enterprises import actions
from apps.enterprises.models import Enterprise, ImportJob, ImportStatus, Platform
from apps.core.spreadsheets import write_csv, write_xlsx

from .conftest import make_code, refresh

HEADERS = ["企业名称", "统一社会信用代码", "所属产业", "资质", "成立日期", "注册资本", "从业人数", "地址", "网站"]
IMPORT_URL = "/admin/enterprises/enterprise/import/"


def rows(n=3, start=1, cluster="新材料", **overrides):
    out = []
    for i in range(start, start + n):
        row = {
            "企业名称": f"新疆天山新材料有限公司{i}", "统一社会信用代码": make_code(9000 + i), "所属产业": cluster,
            "资质": "国家高新技术企业、瞪羚企业", "成立日期": "2012/5/20", "注册资本": "1,200万元", "从业人数": "85人",
            "地址": f"乌鲁木齐高新区（新市区）长春中路{i}号", "网站": "www.example.com.cn",
        }
        row.update(overrides)
        out.append([row[h] for h in HEADERS])
    return out


def csv_file(data_rows, encoding="utf-8-sig", headers=HEADERS):
    return write_csv(headers, data_rows, encoding=encoding)


def upload(client, data, filename="名录.csv", encoding="auto", url=IMPORT_URL):
    file = io.BytesIO(data)
    file.name = filename
    return client.post(url, {"file": file, "encoding": encoding})


def job_of(response) -> ImportJob:
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def confirm(client, job, model="enterprise"):
    return client.post(f"/admin/enterprises/{model}/import/{job.pk}/confirm/")


@pytest.fixture
def editor_client(client, people, kinds):
    client.force_login(people.editor)
    return client


@pytest.mark.parametrize(
    "encoding, choice, filename",
    [
        ("utf-8", "auto", "名录.csv"),
        ("utf-8-sig", "auto", "名录.csv"),
        ("gbk", "auto", "名录.csv"),
        ("gbk", "gbk", "名录.csv"),
        ("gb18030", "gb18030", "名录.csv"),
        ("utf-8-sig", "utf-8", "名录.csv"),
        ("xlsx", "auto", "名录.xlsx"),
    ],
)
def test_editor_imports_every_encoding_and_format_end_to_end(editor_client, people, encoding, choice, filename):
    data_rows = rows(3)
    data_rows[0][0] = "新疆镕堃新材料有限公司"  # characters outside GB2312
    data = write_xlsx(HEADERS, data_rows) if encoding == "xlsx" else csv_file(data_rows, encoding)
    assert editor_client.get(IMPORT_URL).status_code == 200
    job = job_of(upload(editor_client, data, filename, choice))
    assert job.status == ImportStatus.PREVIEWED and job.counts["new"] == 3
    page = editor_client.get(f"{IMPORT_URL}{job.pk}/").content.decode()
    assert "新增" in page and "新疆镕堃新材料有限公司" in page and "确认导入 3 行并提交审核" in page
    assert Enterprise.objects.count() == 0  # nothing written before the confirmation

    response = confirm(editor_client, job)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.revisions_created == 3
    names = set(Enterprise.objects.values_list("name", flat=True))
    assert "新疆镕堃新材料有限公司" in names
    item = Enterprise.objects.get(name="新疆镕堃新材料有限公司")
    assert item.status == Status.DRAFT and open_batch_of(item).pk == job.batch_id
    assert item.latest_revision.kind == RevisionKind.IMPORT
    assert {q.kind.name for q in item.qualifications.all()} == {"国家高新技术企业", "瞪羚企业"}
    assert str(item.registered_capital.normalize()) == "1.2E+3" and item.headcount == "20-99"
    batch = ReviewBatch.objects.get(pk=job.batch_id)
    assert batch.status == Status.IN_REVIEW and BatchEntry.objects.filter(batch=batch).count() == 3
    assert batch.summary["new"] == 3 and len(batch.diff_rows()) == 3


def test_english_field_names_are_accepted(editor_client):
    headers = ["name", "credit_code", "cluster", "founded_on", "address"]
    data = csv_file([["新疆英文表头科技有限公司", make_code(8001), "IT", "2015-03-01", "高新街1号"]], headers=headers)
    job = job_of(upload(editor_client, data))
    assert job.counts["new"] == 1 and job.counts["invalid"] == 0


def test_importing_the_same_file_twice_changes_nothing(editor_client, people):
    data = csv_file(rows(4), "gbk")
    confirm(editor_client, job_of(upload(editor_client, data)))
    revisions = Revision.objects.count()
    audits = AuditEntry.objects.filter(action="editorial.save_draft").count()
    job = job_of(upload(editor_client, data))
    assert job.counts["unchanged"] == 4 and job.counts["new"] == job.counts["updated"] == 0
    page = editor_client.get(f"{IMPORT_URL}{job.pk}/").content.decode()
    assert "没有可以导入的新增或更新行" in page
    assert Revision.objects.count() == revisions
    assert AuditEntry.objects.filter(action="editorial.save_draft").count() == audits


def test_reimport_after_publication_is_unchanged_and_a_changed_cell_is_one_new_version(editor_client, people):
    data_rows = rows(2)
    job = job_of(upload(editor_client, csv_file(data_rows)))
    confirm(editor_client, job)
    job.refresh_from_db()
    batch = ReviewBatch.objects.get(pk=job.batch_id)
    editorial.approve(batch, by=people.reviewer)
    editorial.approve(batch, by=people.publisher, publish=False)
    editorial.publish(batch, by=people.publisher2)
    assert Enterprise.objects.listed().count() == 2

    assert job_of(upload(editor_client, csv_file(data_rows))).counts["unchanged"] == 2
    data_rows[1][7] = "乌鲁木齐高新区（新市区）新地址88号"
    job = job_of(upload(editor_client, csv_file(data_rows)))
    assert job.counts["updated"] == 1 and job.counts["unchanged"] == 1
    page = editor_client.get(f"{IMPORT_URL}{job.pk}/").content.decode()
    assert "地址" in page and "新地址88号" in page and "<del>" in page
    confirm(editor_client, job)
    item = Enterprise.objects.get(credit_code=data_rows[1][1])
    assert item.address.endswith("长春中路2号")  # the public keeps the published version
    assert item.latest_revision.snapshot["fields"]["address"].endswith("新地址88号")
    assert item.status == Status.DRAFT and open_batch_of(item) is not None  # reviewed with its batch


def test_the_reviewer_sees_the_batch_diff_new_rows_from_their_revisions_and_changed_rows(editor_client, people):
    from django.test import Client

    reviewer = Client()
    reviewer.force_login(people.reviewer)
    data_rows = rows(2)
    job = job_of(upload(editor_client, csv_file(data_rows)))
    confirm(editor_client, job)
    job.refresh_from_db()
    first = ReviewBatch.objects.get(pk=job.batch_id)
    # A new item's row stores no copy of its fields: they come from the batched revision.
    stored = list(BatchEntry.objects.filter(batch=first).order_by("pk").values_list("preview", flat=True))
    assert [row["row"] for row in stored] == [2, 3] and all("changes" not in row for row in stored)
    [row, _second] = first.diff_rows()
    changes = {change["field"]: change["new"] for change in row["changes"]}
    assert row["status_label"] == "新增" and row["name"] == "新疆天山新材料有限公司1"
    assert changes["所属产业"] == "新材料" and changes["资质"] == "国家高新技术企业、瞪羚企业"
    assert changes["注册资本"] == "1200" and changes["统一社会信用代码"] == data_rows[0][1]
    assert changes["地址"].endswith("长春中路1号") and changes["成立日期"] == "2012-05-20"
    html = reviewer.get(f"/admin/editorial/reviewbatch/{first.pk}/change/").content.decode()
    assert "长春中路1号" in html and "国家高新技术企业、瞪羚企业" in html
    editorial.approve(first, by=people.reviewer)
    editorial.approve(first, by=people.publisher, publish=False)
    editorial.publish(first, by=people.publisher2)

    data_rows[1][7] = "乌鲁木齐高新区（新市区）新地址88号"
    job = job_of(upload(editor_client, csv_file(data_rows)))
    confirm(editor_client, job)
    job.refresh_from_db()
    [row] = ReviewBatch.objects.get(pk=job.batch_id).diff_rows()
    assert row["status_label"] == "更新" and row["row"] == 3
    assert row["changes"] == [{"field": "地址", "old": "乌鲁木齐高新区（新市区）长春中路2号", "new": "乌鲁木齐高新区（新市区）新地址88号"}]
    html = reviewer.get(f"/admin/editorial/reviewbatch/{job.batch_id}/change/").content.decode()
    assert "<del>乌鲁木齐高新区（新市区）长春中路2号</del>" in html


def test_unknown_cluster_is_reported_with_row_column_and_choices(editor_client):
    data_rows = rows(2)
    data_rows[1][2] = "人工智能"
    job = job_of(upload(editor_client, csv_file(data_rows)))
    assert job.counts["invalid"] == 1 and job.counts["new"] == 1
    [error] = job.errors
    assert error["row"] == 3 and error["column"] == "所属产业"
    assert "未知的产业集群“人工智能”" in error["message"] and "新材料" in error["message"]
    page = editor_client.get(f"{IMPORT_URL}{job.pk}/").content.decode()
    assert "第3行，所属产业：未知的产业集群" in page


def test_a_wrong_check_character_names_the_row_column_and_rule(editor_client):
    data_rows = rows(1)
    data_rows[0][1] = data_rows[0][1][:17] + ("0" if data_rows[0][1][17] != "0" else "1")
    job = job_of(upload(editor_client, csv_file(data_rows)))
    message = job.errors[0]["message"]
    assert message.startswith("第2行，统一社会信用代码：") and "校验码" in message


def test_duplicate_codes_in_one_file_are_reported(editor_client):
    data_rows = rows(3)
    data_rows[2][1] = data_rows[0][1]
    job = job_of(upload(editor_client, csv_file(data_rows)))
    assert job.counts["duplicates"] == 1 and job.counts["invalid"] == 1
    assert "与第2行重复" in job.errors[0]["message"]


@pytest.mark.parametrize(
    "data, encoding, expected",
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "auto", "PNG 图片"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "auto", ".xls"),
        ("企业名称,统一社会信用代码\n甲公司,91110000600037341L\n".encode("gbk"), "utf-8", "无法按 utf-8 编码读取文件"),
        ("企业名称,地址\n甲公司,高新街1号\n".encode("utf-8"), "auto", "缺少必填列“统一社会信用代码”"),
        ("企业名称,统一社会信用代码\n".encode("utf-8"), "auto", "没有数据行"),
        (b"", "auto", "文件是空的"),
    ],
)
def test_bad_files_are_refused_with_a_chinese_message_and_nothing_is_saved(editor_client, data, encoding, expected):
    response = upload(editor_client, data, "坏文件.csv", encoding)
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert Enterprise.objects.count() == 0 and Revision.objects.count() == 0


def test_reviewers_and_enterprise_users_may_not_import(client, people, make_user, kinds):
    client.force_login(people.reviewer)
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, csv_file(rows(1))).status_code == 403
    firm = make_user("firm", roles=["enterprise"])
    client.force_login(firm)
    assert client.get(IMPORT_URL).status_code == 302  # not staff: the admin login
    with pytest.raises(actions.NotAllowed):
        actions.start_import("enterprise", by=people.reviewer, data=csv_file(rows(1)), filename="a.csv")
    assert ImportJob.objects.count() == 0
    assert people.editor.has_perm("enterprises.import_enterprise")


def test_the_changelist_offers_import_only_to_those_who_may(client, people, kinds):
    client.force_login(people.editor)
    assert "批量导入" in client.get("/admin/enterprises/enterprise/").content.decode()
    client.force_login(people.reviewer)
    page = client.get("/admin/enterprises/enterprise/").content.decode()
    assert "批量导入" not in page and "导出 CSV" in page


def test_a_row_whose_enterprise_is_in_review_is_refused_with_the_reason(editor_client, people, enterprises):
    item = enterprises.draft()
    editorial.submit(item, by=people.editor)
    headers = ["企业名称", "统一社会信用代码", "地址"]
    job = job_of(upload(editor_client, csv_file([[item.name, item.credit_code, "另一个地址"]], headers=headers)))
    assert job.counts["invalid"] == 1
    assert "正在审核中" in job.errors[0]["message"]


def test_large_files_go_through_the_celery_task_with_a_progress_page(
    editor_client, people, broker_queue, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(actions, "SYNC_ROW_LIMIT", 3)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(upload(editor_client, csv_file(rows(5), "gbk")))
    assert job.status == ImportStatus.ANALYSING
    page = editor_client.get(f"{IMPORT_URL}{job.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page and "<progress" in page

    messages = broker_queue.drain()
    assert [m[0] for m in messages] == ["enterprises.analyse_import"] and messages[0][1] == (job.pk,)
    from apps.enterprises import tasks  # noqa: F401 - registers the tasks, as a worker's autodiscovery does
    from parkportal.celery import app

    app.tasks["enterprises.analyse_import"].apply(args=messages[0][1])
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED and job.counts["new"] == 5

    with django_capture_on_commit_callbacks(execute=True):
        confirm(editor_client, job)
    job.refresh_from_db()
    assert job.status == ImportStatus.APPLYING and Enterprise.objects.count() == 0
    assert "正在写入草稿" in editor_client.get(f"{IMPORT_URL}{job.pk}/").content.decode()
    broker_queue.run(only="enterprises.apply_import")
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Enterprise.objects.count() == 5
    # Running the task again (a redelivered message) changes nothing.
    actions.apply_import(job.pk)
    assert Revision.objects.filter(content_type__model="enterprise").count() == 5


def test_small_files_are_handled_in_the_request_without_a_task(editor_client, broker_queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(upload(editor_client, csv_file(rows(2))))
        confirm(editor_client, job)
    assert [m[0] for m in broker_queue.drain() if m[0].startswith("enterprises.")] == []
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE


def test_the_batch_approval_publishes_the_imported_enterprises(editor_client, people, client):
    job = job_of(upload(editor_client, csv_file(rows(3))))
    confirm(editor_client, job)
    job.refresh_from_db()
    batch = ReviewBatch.objects.get(pk=job.batch_id)
    with pytest.raises(actions.NotAllowed):
        editorial.approve(batch, by=people.editor)  # the importer cannot approve their own batch
    editorial.approve(batch, by=people.reviewer)
    editorial.approve(batch, by=people.publisher, publish=False)
    assert Enterprise.objects.listed().count() == 0
    editorial.publish(batch, by=people.publisher2)
    assert Enterprise.objects.listed().count() == 3
    assert all(e.visibility == Visibility.LIVE for e in Enterprise.objects.all())


def test_import_history_records_who_imported_which_file_and_the_counts(editor_client, people):
    job = job_of(upload(editor_client, csv_file(rows(2)), "2026年名录.csv"))
    confirm(editor_client, job)
    page = editor_client.get("/admin/enterprises/importjob/").content.decode()
    assert "2026年名录.csv" in page and str(people.editor) in page and "新增 2" in page


def test_cancelling_a_preview_writes_nothing(editor_client):
    job = job_of(upload(editor_client, csv_file(rows(2))))
    assert editor_client.post(f"{IMPORT_URL}{job.pk}/cancel/").status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED and Enterprise.objects.count() == 0
    assert confirm(editor_client, job).status_code == 302
    assert Enterprise.objects.count() == 0


def test_platforms_import_through_the_same_flow(editor_client, people, enterprises):
    host = enterprises.draft(name="新疆示例能源有限公司")
    headers = ["平台名称", "平台类型", "级别", "依托企业统一社会信用代码", "认定日期"]
    data = csv_file([
        ["新疆示例能源博士后科研工作站", "博士后科研工作站", "国家级", host.credit_code, "2019-06-01"],
        ["生物医药创新创业园", "产业园", "自治区级", "", ""],
        ["无名平台", "未知类型", "", make_code(7777), ""],
    ], "gbk", headers=headers)
    job = job_of(upload(editor_client, data, url="/admin/enterprises/platform/import/"))
    assert job.counts["new"] == 2 and job.counts["invalid"] == 1
    messages = " ".join(e["message"] for e in job.errors)
    assert "未知的平台类型“未知类型”" in messages and "系统中没有统一社会信用代码为" in messages
    confirm(editor_client, job, "platform")
    station = Platform.objects.get(name="新疆示例能源博士后科研工作站")
    assert station.host == host and station.level == "national" and station.latest_revision.kind == RevisionKind.IMPORT
    again = job_of(upload(editor_client, data, url="/admin/enterprises/platform/import/"))
    assert again.counts["unchanged"] == 2


def test_the_job_page_shows_progress_while_a_large_file_is_analysed(
    editor_client, people, broker_queue, monkeypatch, django_capture_on_commit_callbacks
):
    from apps.enterprises import importing

    monkeypatch.setattr(actions, "SYNC_ROW_LIMIT", 3)
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 2)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(upload(editor_client, csv_file(rows(10), "gbk")))
    assert job.status == ImportStatus.ANALYSING and job.row_count == 10
    shown, report = [], importing.report_progress

    def report_and_watch_the_page(*args):
        # The page as an editor sees it right after each report of the worker.
        report(*args)
        page = editor_client.get(f"{IMPORT_URL}{job.pk}/").content.decode()
        if '<progress id="import-progress"' in page:
            shown.append(page.split('<progress id="import-progress"', 1)[1].split("</p>", 1)[0])

    monkeypatch.setattr(importing, "report_progress", report_and_watch_the_page)
    importing.analyse_import(job.pk)
    percents = [part.split("</progress>", 1)[1].strip() for part in shown]
    # Reported every 2 rows while the rows are checked: 0% at the start, then 20%, 40% …
    assert percents == ["0%", "20%", "40%", "60%", "80%", "100%"]
    assert 'value="4"' in shown[2] and 'max="10"' in shown[2]
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED and job.counts["new"] == 10
    assert actions.progress_of(job)["percent"] == 100
