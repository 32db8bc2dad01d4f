"""The index follows the editorial engine; nothing that is not public is ever returned."""

from datetime import timedelta

import time_machine
from django.core.management import call_command
from django.utils import timezone

from apps.core.models import OutboxMessage
from apps.editorial import actions as editorial
from apps.search import indexing
from apps.search.models import SearchEntry
from apps.search.query import search, top_urls

from .conftest import refresh, run_index_tasks


def titles(query, **kw):
    return [hit.title for hit in search(query, **kw).hits]


def test_publishing_queues_indexing_through_the_outbox_after_which_the_item_is_found(releases, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        release = releases.published(title="园区举办专精特新企业培训", body="<p>培训面向园区企业。</p>")
    assert OutboxMessage.objects.filter(task_name="search.index_items", args=["news", [release.pk]]).exists()
    assert callbacks  # the outbox sends after commit
    assert titles("专精特新") == []  # not before the task ran
    assert run_index_tasks() == ["indexed"]
    assert titles("专精特新") == ["园区举办专精特新企业培训"]


def test_drafts_in_review_and_approved_items_are_never_indexed(releases, pages, people):
    releases.draft(title="专精特新草稿")
    pages.in_review(title="专精特新审核中", slug="in-review")
    pages.approved(title="专精特新已通过", slug="approved")
    run_index_tasks()
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))
    assert SearchEntry.objects.count() == 0
    assert titles("专精特新") == []


def test_withdrawn_items_leave_the_index_in_the_withdrawing_transaction(releases, people):
    release = releases.published(title="高新区通知一则")
    run_index_tasks()
    assert titles("高新区通知") == ["高新区通知一则"]
    editorial.withdraw(release, by=people.publisher, note="内容有误")
    # no task has run: the entry was removed by the action itself
    assert titles("高新区通知") == []
    assert not SearchEntry.objects.filter(kind="news", object_id=release.pk).exists()
    assert not OutboxMessage.objects.filter(task_name="search.index_items").exists()


def test_unpublished_items_leave_the_index_at_once(pages, people):
    page = pages.published(title="专精特新政策汇编", slug="policies")
    run_index_tasks()
    assert titles("专精特新") == ["专精特新政策汇编"]
    editorial.unpublish(page, by=people.publisher)
    assert titles("专精特新") == []


def test_expired_items_leave_the_index_when_beat_takes_them_down(pages, people):
    page = pages.approved(title="限时公告：高新区开放日", slug="open-day")
    at = timezone.now() + timedelta(hours=1)
    editorial.schedule(page, by=people.publisher2, go_live_at=at, expire_at=at + timedelta(days=1))
    with time_machine.travel(at + timedelta(minutes=1), tick=False):
        editorial.publish_due()
        run_index_tasks()
        assert titles("开放日") == ["限时公告：高新区开放日"]
    with time_machine.travel(at + timedelta(days=1, minutes=1), tick=False):
        assert editorial.publish_due()["expired"]
        assert titles("开放日") == []


def test_a_new_version_replaces_the_indexed_text(pages, people):
    page = pages.published(title="园区概况", slug="overview", body="<p>旧的介绍文字：丝路之星。</p>")
    run_index_tasks()
    editorial.save_draft(page, by=people.editor, fields={"body": "<p>新的介绍：天山火炬之星。</p>"},
                         base_revision_id=refresh(page).latest_revision_id)
    page = refresh(page)
    editorial.submit(page, by=people.editor)
    editorial.approve(page, by=people.reviewer)
    editorial.approve(page, by=people.publisher, major=False)  # 签发 publishes
    run_index_tasks()
    assert titles("天山火炬之星") == ["园区概况"]
    assert titles("丝路之星") == []


def test_an_enterprise_taken_out_of_the_directory_leaves_the_index(enterprises, kinds):
    enterprises.published(name="新疆隐藏示例有限公司", directory_status="not_listed")
    listed = enterprises.published(name="新疆公开示例有限公司")
    run_index_tasks()
    assert titles("示例") == ["新疆公开示例有限公司"]
    assert [e.object_id for e in SearchEntry.objects.filter(kind="enterprises")] == [listed.pk]


def test_the_index_task_is_idempotent_and_removes_what_is_no_longer_public(releases, people):
    from apps.search import indexing

    release = releases.published(title="高新区重复索引")
    assert indexing.index_item("news", release.pk) == "indexed"
    assert indexing.index_item("news", release.pk) == "indexed"
    assert SearchEntry.objects.filter(kind="news", object_id=release.pk).count() == 1
    editorial.unpublish(release, by=people.publisher)
    assert indexing.index_item("news", release.pk) == "removed"
    assert indexing.index_item("unknown-kind", 1) == "unknown"


def test_rebuild_indexes_every_public_kind_and_nothing_else(corpus):
    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))
    kinds = sorted(SearchEntry.objects.values_list("kind", flat=True))
    assert kinds == ["enterprises", "news", "news", "news", "pages", "platforms"]
    assert titles("内部草稿") == [] and titles("撤回") == []


def test_withdrawn_and_draft_items_are_never_returned(corpus):
    for query in ("高新区", "专精特新", "草稿", "撤回"):
        urls = [hit.url for hit in search(query).hits]
        assert corpus.draft.get_absolute_url() not in urls
        assert corpus.withdrawn.get_absolute_url() not in urls


def test_traditional_queries_find_simplified_content(corpus):
    assert top_urls("專精特新")[0] == corpus.little_giants.get_absolute_url()
    assert top_urls("天山火炬之星")[0] == corpus.talent.get_absolute_url()
    assert top_urls("高新區 百強")[0] == corpus.zone.get_absolute_url()


def test_the_park_dictionary_is_dropped_once_after_a_name_goes_live(enterprises, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from apps.search import dictionary

    dictionary.segmenter()
    assert cache.get(dictionary.VERSION_KEY) is not None
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enterprises.published(name="新疆新名字示例有限公司")
    assert sum(1 for cb in callbacks if cb is dictionary.forget_now) == 1
    assert cache.get(dictionary.VERSION_KEY) is None
    assert "新疆新名字示例有限公司" in dictionary.segmenter().terms


def test_rebuild_refuses_an_unknown_kind(db):
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="未知的类型：nope"):
        call_command("rebuild_search_index", "nope")


def test_only_public_content_types_are_registered():
    from apps.search import registry
    from apps.services.models import RequestEvent, ServiceRequest

    assert sorted(registry.keys()) == ["consultations", "enterprises", "interpretations", "news", "pages", "platforms",
                                       "policies", "services", "stations", "talent"]
    # messages carry personal data: only the reviewed public reply (Consultation) is indexed
    from apps.interaction.models import Message

    assert registry.for_model(Message) is None
    # service requests, their events and internal notes are private: never indexed
    assert registry.for_model(ServiceRequest) is None and registry.for_model(RequestEvent) is None


def test_a_batch_s_members_are_queued_for_indexing_together_in_chunks(pages, people, monkeypatch):
    from apps.editorial.batches import create_batch

    monkeypatch.setattr(indexing, "CHUNK", 2)
    items = [pages.draft(title=f"专精特新名录页面{i}", slug=f"batch-{i}") for i in range(3)]
    items = [type(i)._base_manager.get(pk=i.pk) for i in items]
    batch = create_batch(title="名录导入", items=[(i, i.latest_revision) for i in items], by=people.editor,
                         summary={"新增": 3}, preview_rows=[])
    editorial.submit(batch, by=people.editor)
    editorial.approve(batch, by=people.reviewer)
    editorial.approve(batch, by=people.publisher, publish=False)
    editorial.publish(batch, by=people.publisher2)
    messages = OutboxMessage.objects.filter(task_name="search.index_items").order_by("pk")
    # One message per chunk of members, not one per member.
    assert [m.args for m in messages] == [["pages", [items[0].pk, items[1].pk]], ["pages", [items[2].pk]]]
    assert run_index_tasks() == ["indexed"] * 3
    assert sorted(titles("专精特新名录")) == [f"专精特新名录页面{i}" for i in range(3)]
