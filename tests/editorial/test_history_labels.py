"""Issue 15: the 操作记录 names the review step and the states in Chinese; a batch's
counts are labelled in Chinese."""

import pytest

from apps.editorial import actions
from apps.editorial.batches import create_batch
from apps.editorial.models import Sensitivity
from tests.editorial.conftest import refresh


def test_history_rows_name_the_step_and_the_states_in_chinese(pages, people, client):
    page = pages.in_review(sensitivity=Sensitivity.IMPORTANT)
    actions.approve(page, by=people.editor2)      # 初审
    actions.approve(page, by=people.reviewer)     # 复审
    actions.approve(page, by=people.publisher)    # 终审（签发）: publishes
    client.force_login(people.publisher2)
    html = client.get(f"/admin/pages/page/{page.pk}/change/").content.decode()
    timeline = html[html.index('id="timeline-heading"'):]
    timeline = timeline[:timeline.index("</section>")]
    assert "in_review" not in timeline and "approved" not in timeline and "draft →" not in timeline
    assert "（初审）" in timeline and "转入“复审”" in timeline
    assert "（复审）" in timeline and "转入“终审（签发）”" in timeline
    assert "（终审（签发））" in timeline and "审核中 → 审核通过" in timeline
    assert "审核通过 → 已发布" in timeline
    assert "草稿 → 审核中" in timeline  # the submission


def test_the_batch_page_labels_its_counts_in_chinese(pages, people, client):
    item = refresh(pages.draft(title="导入页面", slug="import-labels"))
    batch = create_batch(
        title="名录批次", items=[(item, item.latest_revision)], by=people.editor,
        summary={"invalid": 0, "updated": 0, "new": 11, "unchanged": 2, "duplicates": 0, "total": 13},
    )
    client.force_login(people.reviewer)
    html = client.get(f"/admin/editorial/reviewbatch/{batch.pk}/change/").content.decode()
    assert "新增：11" in html and "更新：0" in html and "未变化：2" in html and "合计：13" in html
    assert "new：11" not in html and "updated：0" not in html
