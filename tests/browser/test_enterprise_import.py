"""In a real browser: an editor imports a GBK CSV with Chinese headers and some bad
rows, sees the preview with the errors, confirms the good rows; a reviewer and a
publisher approve the one review batch (普通: 复审 → 签发) and publish it; the
enterprises are then in the public directory, which passes axe at WCAG 2.1 AA."""

import pytest

from apps.enterprises.models import Enterprise, ImportJob
from apps.core.spreadsheets import write_csv
from tests.browser.conftest import describe, run_axe
from tests.editorial.conftest import people  # noqa: F401  (fixture)
from tests.enterprises.conftest import kinds, make_code  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "irrelevant-password-123"
HEADERS = ["企业名称", "统一社会信用代码", "所属产业", "资质", "成立日期", "注册资本", "地址"]


def login(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def press(page, label, **inputs):
    page.locator("summary", has_text=label).first.click()
    form = page.locator("details[open] form")
    for name, value in inputs.items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def spreadsheet() -> bytes:
    bad_code = make_code(5004)
    bad_code = bad_code[:17] + ("0" if bad_code[17] != "0" else "1")
    rows = [
        ["新疆绿洲膜业新材料有限公司", make_code(5001), "新材料", "国家高新技术企业", "2006-04-18", "8600万元", "示例工业园一路8号"],
        ["乌鲁木齐云岭软件有限公司", make_code(5002), "新一代信息技术", "科技型中小企业", "2015/3/10", "1200", "软件园示例楼5层"],
        ["新疆博格达生物医药有限公司", make_code(5003), "生物医药", "瞪羚企业", "2012年7月6日", "3500", "生物医药创新创业园3号楼"],
        ["新疆错误校验码有限公司", bad_code, "新材料", "", "", "", ""],
        ["新疆未知产业有限公司", make_code(5005), "人工智能", "", "", "", ""],
    ]
    return write_csv(HEADERS, rows, encoding="gbk")


def test_editor_imports_a_gbk_csv_and_the_approved_batch_is_public(
    live_server, browser, people, kinds, artifacts, axe_source  # noqa: F811
):
    # 1. The editor uploads the GBK file, choosing the encoding, and sees the preview.
    editor = login(browser, live_server, "editor")
    editor.goto(f"{live_server.url}/admin/enterprises/enterprise/")
    editor.get_by_role("link", name="批量导入").click()
    editor.set_input_files("#id_file", files=[{"name": "园区企业名录.csv", "mimeType": "text/csv", "buffer": spreadsheet()}])
    editor.check("input[name=encoding][value=gbk]")
    editor.click("input[type=submit][value='上传并预览']")
    editor.wait_for_load_state()
    content = editor.content()
    assert "新疆绿洲膜业新材料有限公司" in content and "新增" in content
    assert "第5行，统一社会信用代码：" in content and "校验码" in content
    assert "第6行，所属产业：未知的产业集群“人工智能”" in content
    editor.screenshot(path=artifacts / "import-1-preview.png", full_page=True)
    assert Enterprise.objects.count() == 0

    # 2. It confirms the three good rows: drafts, one batch submitted for review.
    editor.click("input[type=submit][value='确认导入 3 行并提交审核']")
    editor.wait_for_load_state()
    assert "已生成 3 个草稿版本" in editor.content()
    job = ImportJob.objects.get()
    assert job.batch_id and Enterprise.objects.count() == 3
    batch_url = f"{live_server.url}/admin/editorial/reviewbatch/{job.batch_id}/change/"
    assert editor.request.get(f"{live_server.url}/enterprises/").text().count("card-title") == 0

    # 3. The reviewer approves 复审 with the preview as the diff.
    reviewer = login(browser, live_server, "reviewer")
    reviewer.goto(batch_url)
    assert "新疆云岭" not in reviewer.content() and "乌鲁木齐云岭软件有限公司" in reviewer.content()
    press(reviewer, "审核通过", note="抽查无误")
    assert "已审核通过" in reviewer.content()

    # 4. The publisher signs off (签发), which publishes the batch.
    publisher = login(browser, live_server, "publisher")
    publisher.goto(batch_url)
    press(publisher, "签发（审核通过并发布）", note="同意发布")  # 签发 publishes the batch
    assert "已签发，内容已发布" in publisher.content()
    publisher.screenshot(path=artifacts / "import-2-batch-published.png", full_page=True)

    # 5. The public finds them in the directory, in pinyin order, and by filter.
    reader = browser.new_page()
    assert reader.goto(f"{live_server.url}/enterprises/").status == 200
    titles = reader.locator(".card-title").all_inner_texts()
    assert titles == ["乌鲁木齐云岭软件有限公司", "新疆博格达生物医药有限公司", "新疆绿洲膜业新材料有限公司"]
    reader.select_option("#filter-cluster", label="新材料")
    reader.click("button[type=submit]:has-text('筛选')")
    reader.wait_for_load_state()
    assert reader.locator(".card-title").all_inner_texts() == ["新疆绿洲膜业新材料有限公司"]
    reader.screenshot(path=artifacts / "import-3-directory.png", full_page=True)
    violations = run_axe(reader, axe_source)
    assert not violations, describe(violations)
    reader.get_by_role("link", name="新疆绿洲膜业新材料有限公司").click()
    reader.wait_for_load_state()
    assert reader.locator("h1").inner_text() == "新疆绿洲膜业新材料有限公司"
    assert "国家高新技术企业" in reader.content()
    violations = run_axe(reader, axe_source)
    assert not violations, describe(violations)
