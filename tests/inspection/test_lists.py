"""The lists: maintained in the admin, imported and exported as CSV/XLSX (Chinese
headers, encoding detected, formulas escaped), replaceable wholesale; every change
bumps the version and queues a re-scan of live content."""

import pytest
from django.core.exceptions import ValidationError

from apps.core.models import AuditEntry, OutboxMessage
from apps.inspection import actions
from apps.inspection.matching import current_matcher
from apps.inspection.models import Kind, Severity, WordingEntry, WordingListState

HEADER = "词语,类别,严重程度,建议表述,说明,启用\r\n"


def csv_bytes(*lines, encoding="utf-8-sig"):
    return (HEADER + "".join(line + "\r\n" for line in lines)).encode(encoding)


def test_the_starter_list_of_common_typos_is_shipped(db):
    entry = WordingEntry.objects.get(term="截止目前")
    assert entry.suggestion == "截至目前" and entry.kind == Kind.TYPO and entry.severity == Severity.WARN
    assert WordingEntry.objects.filter(kind=Kind.TYPO).count() >= 50


def test_import_adds_and_updates_entries_and_is_audited(site_admin):
    outcome = actions.import_entries(csv_bytes(
        "中华人民共合国,严重表述错误,严重,中华人民共和国,,是",
        "截止目前,错别字,一般,截至目前,改了说明,是",
        "某禁用词,敏感词、禁用词,严重,,,是",
    ), by=site_admin, filename="list.csv")
    assert outcome == {"new": 2, "update": 1, "skip": 0, "delete": 0}
    serious = WordingEntry.objects.get(term="中华人民共合国")
    assert (serious.kind, serious.severity, serious.suggestion) == (Kind.SERIOUS, Severity.BLOCK, "中华人民共和国")
    assert serious.created_by == site_admin
    assert WordingEntry.objects.get(term="某禁用词").kind == Kind.SENSITIVE
    assert WordingEntry.objects.get(term="截止目前").note == "改了说明"
    assert AuditEntry.objects.filter(action="inspection.import_wording_entries", actor=site_admin).count() == 1


def test_a_gbk_file_imports(site_admin):
    actions.import_entries(csv_bytes("園區測試詞,错别字,一般,园区测试词,,是", encoding="gb18030"), by=site_admin)
    assert WordingEntry.objects.filter(term="園區測試詞", suggestion="园区测试词").exists()


def test_replace_makes_the_file_the_whole_list(site_admin):
    actions.import_entries(csv_bytes("唯一词,错别字,一般,唯一的词,,是"), by=site_admin, replace=True)
    assert list(WordingEntry.objects.values_list("term", flat=True)) == ["唯一词"]


def test_a_bad_row_refuses_the_whole_file_with_row_numbers(site_admin):
    before = WordingEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        actions.import_entries(csv_bytes(
            "好词,错别字,一般,好的词,,是",
            "坏词,不存在的类别,一般,,,是",
            "另一个,错别字,很严重,,,是",
        ), by=site_admin)
    messages = refused.value.messages
    assert any(m.startswith("第 3 行") and "类别" in m for m in messages)
    assert any(m.startswith("第 4 行") and "严重程度" in m for m in messages)
    assert WordingEntry.objects.count() == before
    assert not WordingEntry.objects.filter(term="好词").exists()


def test_missing_headers_and_duplicate_terms_are_refused(site_admin):
    with pytest.raises(ValidationError, match="表头缺少"):
        actions.import_entries("词语,说明\r\n甲,乙\r\n".encode(), by=site_admin)
    with pytest.raises(ValidationError, match="第 3 行：词语“重复词”重复"):
        actions.import_entries(csv_bytes("重复词,错别字,一般,,,是", "重复词,错别字,一般,,,是"), by=site_admin)
    with pytest.raises(ValidationError, match="不是表格|文件是空的"):
        actions.import_entries(b"", by=site_admin)


def test_dry_run_writes_nothing(site_admin):
    outcome = actions.import_entries(csv_bytes("预览词,错别字,一般,,,是"), by=site_admin, dry_run=True)
    assert outcome["new"] == 1
    assert not WordingEntry.objects.filter(term="预览词").exists()


def test_export_round_trips_and_escapes_formulas(site_admin):
    actions.save_entry(WordingEntry(term="=HYPERLINK(1)", kind=Kind.SENSITIVE, severity=Severity.BLOCK), by=site_admin)
    data = actions.export_entries()
    text = data.decode("utf-8-sig")
    assert text.startswith("词语,类别,严重程度,建议表述,说明,启用")
    assert "'=HYPERLINK(1),敏感词、禁用词,严重" in text
    assert "截止目前,错别字,一般,截至目前" in text
    count = WordingEntry.objects.count()
    actions.import_entries(data, by=site_admin, replace=True)
    assert WordingEntry.objects.count() == count
    assert WordingEntry.objects.filter(term="=HYPERLINK(1)").exists()
    assert actions.export_entries(fmt="xlsx")[:2] == b"PK"


def test_every_change_bumps_the_version_rebuilds_the_matcher_and_queues_a_rescan(site_admin):
    before = WordingListState.objects.get(pk=1)
    old = current_matcher()
    assert current_matcher() is old  # cached per version
    actions.save_entry(WordingEntry(term="新加词", severity=Severity.WARN), by=site_admin)
    after = WordingListState.objects.get(pk=1)
    assert after.version == before.version + 1 and after.token != before.token
    assert current_matcher() is not old
    assert current_matcher().find("这是新加词")
    assert OutboxMessage.objects.filter(task_name="inspection.rescan_live_wording").exists()
    actions.delete_entries(WordingEntry.objects.filter(term="新加词"), by=site_admin)
    assert not current_matcher().find("这是新加词")
    assert AuditEntry.objects.filter(action="inspection.delete_wording_entries").exists()


def test_only_list_managers_change_the_lists(people):
    from apps.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        actions.save_entry(WordingEntry(term="无权"), by=people.editor)
    with pytest.raises(NotAllowed):
        actions.import_entries(csv_bytes("无权,错别字,一般,,,是"), by=people.editor)


def test_the_admin_imports_and_exports(client, site_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(site_admin)
    listing = client.get("/admin/inspection/wordingentry/")
    assert listing.status_code == 200 and "导入词表" in listing.content.decode()
    upload = SimpleUploadedFile("l.csv", csv_bytes("后台导入词,错别字,一般,,,是"), content_type="text/csv")
    response = client.post("/admin/inspection/wordingentry/import/", {"file": upload})
    assert response.status_code == 302
    assert WordingEntry.objects.filter(term="后台导入词").exists()
    bad = SimpleUploadedFile("l.csv", csv_bytes("x,乱写,一般,,,是"), content_type="text/csv")
    response = client.post("/admin/inspection/wordingentry/import/", {"file": bad})
    assert response.status_code == 400 and "第 2 行" in response.content.decode()
    export = client.get("/admin/inspection/wordingentry/export/")
    assert export.status_code == 200 and "后台导入词" in export.content.decode("utf-8-sig")
    response = client.post("/admin/inspection/wordingentry/add/", {
        "term": "后台新增", "kind": "typo", "severity": "warn", "suggestion": "", "note": "", "active": "on"})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="inspection.add_wording_entry", actor=site_admin).exists()


def test_the_rescan_task_records_hits_of_live_content(pages, site_admin):
    from apps.inspection.models import LiveWordingHit
    from apps.inspection.tasks import rescan_live_wording

    page = pages.published(body="<p>截止目前已完成。</p>")
    assert rescan_live_wording.apply().get() == 1
    hit = LiveWordingHit.objects.get()
    assert hit.object_id == str(page.pk) and hit.term == "截止目前" and hit.suggestion == "截至目前"
    assert hit.context == "【截止目前】已完成。"
    actions.delete_entries(WordingEntry.objects.filter(term="截止目前"), by=site_admin)
    assert rescan_live_wording.apply().get() == 0
    assert not LiveWordingHit.objects.exists()
