"""A 严重 hit blocks submit, publish and urgent publish; a publisher's override
with a written reason lets one gate through, audited; 一般 hits only warn."""

import pytest
from django.core.exceptions import ValidationError

from apps.core.errors import InvalidTransition, NotAllowed
from apps.core.models import AuditEntry
from apps.editorial import actions as editorial
from apps.editorial.models import Status, Visibility
from apps.inspection import actions
from apps.inspection.models import Severity, WordingOverride
from tests.editorial.conftest import refresh


@pytest.fixture
def serious(wording):
    return wording.add("高新技术产业开发区管委", suggestion="高新技术产业开发区管理委员会")


def page_with(pages, text, **kw):
    return pages.draft(body=f"<p>本文提到{text}。</p>", **kw)


def test_a_serious_hit_blocks_submission(pages, people, serious):
    page = page_with(pages, "高新技术产业开发区管委")
    with pytest.raises(InvalidTransition, match="严重错敏词.*高新技术产业开发区管委.*建议"):
        editorial.submit(page, by=people.editor)
    assert refresh(page).status == Status.DRAFT


def test_a_full_width_or_tag_split_serious_hit_blocks_too(pages, people, wording):
    wording.add("ABC公司")
    page = pages.draft(body="<p>与<strong>ＡＢＣ</strong>公司合作</p>")
    with pytest.raises(InvalidTransition, match="ＡＢＣ公司"):
        editorial.submit(page, by=people.editor)


def test_a_minor_hit_does_not_block(pages, people, wording):
    wording.add("按排", severity=Severity.WARN, suggestion="安排")
    page = page_with(pages, "按排")
    editorial.submit(page, by=people.editor)
    assert refresh(page).status == Status.IN_REVIEW


def test_an_override_lets_submission_through_once_and_is_audited(pages, people, serious):
    page = page_with(pages, "高新技术产业开发区管委")
    override = actions.override_wording(page, by=people.publisher, reason="引用原文件标题，保留原文")
    assert AuditEntry.objects.filter(action="inspection.override_wording", object_id=str(page.pk),
                                     note="引用原文件标题，保留原文", actor=people.publisher).count() == 1
    editorial.submit(page, by=people.editor)
    assert refresh(page).status == Status.IN_REVIEW
    override.refresh_from_db()
    assert override.used_at is not None and override.used_for == "submit"
    used = AuditEntry.objects.get(action="inspection.use_wording_override", object_id=str(page.pk))
    assert used.actor == people.editor and used.data["stage"] == "submit"
    # Used up: 签发 (the last approval publishes) meets the publish gate and is refused whole.
    editorial.approve(page, by=people.reviewer)
    with pytest.raises(InvalidTransition, match="暂不能发布"):
        editorial.approve(page, by=people.publisher)
    assert refresh(page).status == Status.IN_REVIEW and refresh(page).visibility == Visibility.NONE
    # Approving without publishing is allowed; publishing is blocked again.
    editorial.approve(page, by=people.publisher, publish=False)
    with pytest.raises(InvalidTransition, match="暂不能发布"):
        editorial.publish(page, by=people.publisher2)
    assert refresh(page).visibility == Visibility.NONE
    # A second override lets the publication through.
    actions.override_wording(page, by=people.publisher2, reason="经领导同意保留")
    editorial.publish(page, by=people.publisher2)
    assert refresh(page).visibility == Visibility.LIVE


def test_a_serious_hit_blocks_publishing_when_the_list_grew_after_approval(pages, people, wording):
    page = pages.approved(body="<p>高新技术产业开发区管委</p>")
    wording.add("高新技术产业开发区管委")
    with pytest.raises(InvalidTransition, match="暂不能发布"):
        editorial.publish(page, by=people.publisher2)
    assert refresh(page).status == Status.APPROVED


def test_urgent_publish_is_no_escape(pages, people, serious):
    page = page_with(pages, "高新技术产业开发区管委")
    with pytest.raises(InvalidTransition, match="暂不能紧急发布"):
        editorial.urgent_publish(page, by=people.publisher, reason="突发事件")
    assert refresh(page).visibility == Visibility.NONE
    assert not AuditEntry.objects.filter(action="editorial.urgent_publish").exists()
    actions.override_wording(page, by=people.publisher2, reason="突发事件，原文照登")
    editorial.urgent_publish(page, by=people.publisher, reason="突发事件")
    assert refresh(page).visibility == Visibility.LIVE
    assert WordingOverride.objects.get().used_for == "urgent_publish"


def test_a_refused_gate_does_not_use_up_the_override(pages, people, serious):
    page = page_with(pages, "高新技术产业开发区管委")
    actions.override_wording(page, by=people.publisher, reason="保留原文")
    # The editor may not urgently publish: refused before the checks' passed() ran.
    with pytest.raises(NotAllowed):
        editorial.urgent_publish(page, by=people.editor, reason="急")
    assert WordingOverride.objects.get().used_at is None


def test_an_override_applies_to_the_version_it_was_given_for(pages, people, serious):
    page = page_with(pages, "高新技术产业开发区管委")
    actions.override_wording(page, by=people.publisher, reason="保留原文")
    editorial.save_draft(refresh(page), by=people.editor, fields={"title": "改了标题"})
    with pytest.raises(InvalidTransition):
        editorial.submit(refresh(page), by=people.editor)


def test_only_a_publisher_other_than_the_author_may_override_and_with_a_reason(pages, people, serious):
    page = page_with(pages, "高新技术产业开发区管委")
    with pytest.raises(NotAllowed, match="签发人"):
        actions.override_wording(page, by=people.reviewer, reason="理由")
    with pytest.raises(ValidationError, match="理由"):
        actions.override_wording(page, by=people.publisher, reason="  ")
    mine = page_with(pages, "高新技术产业开发区管委", by=people.superuser)
    with pytest.raises(NotAllowed, match="双人审核"):
        actions.override_wording(mine, by=people.superuser, reason="理由")
    clean = pages.draft()
    with pytest.raises(InvalidTransition, match="没有需要放行"):
        actions.override_wording(clean, by=people.publisher, reason="理由")
    assert not WordingOverride.objects.exists()


def test_the_change_page_highlights_hits_with_the_suggestion_and_offers_the_override(client, pages, people, serious):
    page = page_with(pages, "高新技术产业开发区管委")
    client.force_login(people.publisher)
    response = client.get(f"/admin/pages/page/{page.pk}/change/")
    html = response.content.decode()
    assert '<mark style="background:#ffe08a;color:#000;font-weight:bold">高新技术产业开发区管委</mark>' in html
    assert "建议改为“高新技术产业开发区管理委员会”" in html
    assert "放行严重错敏词（签发人）" in html
    url = f"/admin/inspection/wordingentry/override/pages/page/{page.pk}/"
    assert url in html
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "引用原文"})
    assert response.status_code == 302
    assert WordingOverride.objects.filter(reason="引用原文", created_by=people.publisher).exists()
    assert client.post(url, {"reason": "再次"}).status_code == 409


def test_saving_in_the_admin_warns_of_hits(client, pages, people, wording):
    wording.add("按排", severity=Severity.WARN, suggestion="安排")
    page = pages.draft()
    client.force_login(people.editor)
    form = client.get(f"/admin/pages/page/{page.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, (list,))}
    data.update({"title": "设备按排通知", "body": "<p>正文</p>", "_editorial_base_revision": refresh(page).latest_revision_id,
                 "links-TOTAL_FORMS": 0, "links-INITIAL_FORMS": 0, "column_type": page.column_type,
                 "position": 0, "sensitivity": "normal", "slug": page.slug})
    response = client.post(f"/admin/pages/page/{page.pk}/change/", data, follow=True)
    assert "可能的错别字或不规范表述" in response.content.decode()


def test_a_serious_hit_blocks_scheduling_too(pages, people, wording):
    from datetime import timedelta

    from django.utils import timezone

    page = pages.approved(body="<p>高新技术产业开发区管委</p>")
    wording.add("高新技术产业开发区管委")
    with pytest.raises(InvalidTransition, match="暂不能定时发布"):
        editorial.schedule(page, by=people.publisher2, go_live_at=timezone.now() + timedelta(hours=1))
    assert refresh(page).status == Status.APPROVED


def test_submission_problems_lists_the_models_own_and_the_registered_checks(pages, wording):
    from apps.editorial.checks import registered_checks, submission_problems
    from apps.inspection.checks import CHECK

    assert CHECK in registered_checks()
    wording.add("高新技术产业开发区管委")
    page = page_with(pages, "高新技术产业开发区管委")
    problems = submission_problems(page, stage="urgent_publish")
    assert len(problems) == 1 and "严重错敏词" in problems[0]


def test_a_batch_is_no_way_around_the_check(pages, people, serious):
    clean = pages.draft()
    bad = page_with(pages, "高新技术产业开发区管委", title="含错稿件")
    batch = editorial.create_batch(title="批次", items=[(p, refresh(p).latest_revision) for p in (clean, bad)],
                                   by=people.editor)
    with pytest.raises(InvalidTransition, match="暂不能提交审核.*高新技术产业开发区管委"):
        editorial.submit(batch, by=people.editor)
    actions.override_wording(batch, by=people.publisher, reason="批量导入的原文件名称")
    editorial.submit(refresh(batch), by=people.editor)
    assert refresh(batch).status == Status.IN_REVIEW


@pytest.mark.parametrize("members_per_search", [3, 500])
def test_a_batch_reports_each_members_hits_labelled_with_the_member_and_the_field(
        pages, people, wording, monkeypatch, members_per_search):
    from apps.inspection import wording as check

    monkeypatch.setattr(check, "MEMBERS_PER_SEARCH", members_per_search)
    wording.add("按排", severity=Severity.WARN, suggestion="安排")
    clean = pages.draft()
    named = pages.draft(title="按排说明")
    across = pages.draft(summary="工作按", keywords="排期")  # a term never spans two fields
    unnamed = pages.draft(body="<p>会议<strong>按</strong>排</p>")
    batch = editorial.create_batch(
        title="批次", items=[(p, refresh(p).latest_revision) for p in (clean, named, across, unnamed)],
        by=people.editor, preview_rows=[{"name": "甲企业"}, {"name": "乙企业"}, {"name": "丙企业"}, {}])
    findings = check.scan(refresh(batch))
    assert [(f.label, f.found, f.blocking) for f in findings] == [
        ("乙企业：标题", "按排", False),
        (f"#{unnamed.pk}：正文", "按排", False),
    ]


def test_the_change_page_does_not_offer_the_override_to_the_author_of_the_version(client, pages, people, serious):
    mine = page_with(pages, "高新技术产业开发区管委", by=people.superuser)
    client.force_login(people.superuser)
    html = client.get(f"/admin/pages/page/{mine.pk}/change/").content.decode()
    assert "高新技术产业开发区管委" in html
    assert "放行严重错敏词（签发人）" not in html
