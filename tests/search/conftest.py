"""Search fixtures: published content of every registered kind, built through the
real actions, and a way to run the index tasks the outbox queued."""

import pytest

from apps.core.models import OutboxMessage
from apps.search import indexing
from tests.editorial.conftest import pages, people, refresh  # noqa: F401
from tests.enterprises.conftest import enterprises, kinds, platforms  # noqa: F401
from tests.news.conftest import releases  # noqa: F401


def run_index_tasks() -> list[str]:
    """What the worker would do with the queued ``search.index_items`` messages (sent to
    the broker already in a transactional test, whose on-commit callbacks run): what
    was done to each item, in order."""
    done = []
    for message in OutboxMessage.objects.filter(task_name="search.index_items").order_by("pk"):
        counts = indexing.index_items(*message.args)
        done += [name for name, count in counts.items() for _ in range(count)]
        OutboxMessage.objects.filter(pk=message.pk).delete()
    return done


@pytest.fixture
def index_tasks():
    return run_index_tasks


@pytest.fixture
def corpus(releases, pages, enterprises, platforms, kinds, people):  # noqa: F811
    """A small fixed corpus: the same on SQLite and PostgreSQL (tests/search/test_backends.py)."""
    from apps.editorial import actions as editorial

    class Corpus:
        zone = releases.published(
            title="高新区获评国家级高新区百强", summary="乌鲁木齐高新区（新市区）在园区高质量发展百强中位列第73位。",
            body="<p>乌鲁木齐高新区是新疆第一个国家级高新区，连续两年入选百强。</p>",
        )
        little_giants = releases.published(
            title="十家企业入选专精特新“小巨人”", summary="园区专精特新企业再添新军。",
            body="<p>新认定的专精特新中小企业主要集中在新材料和新一代信息技术领域。</p>",
        )
        talent = releases.published(
            title="天山火炬之星青年人才计划启动申报", summary="面向园区青年科技人才。",
            body="<p>“天山火炬之星”计划支持35岁以下青年人才，十百千人才引进计划同步受理。</p>",
        )
        film = enterprises.published(
            name="乌鲁木齐天山新材料薄膜有限公司", short_name="天山薄膜", cluster=kinds.materials,
            main_products="农用薄膜、热收缩膜、青贮膜", description="拥有五层共挤生产线的新材料企业。",
            qualifications=[{"kind": kinds.little_giant}],
        )
        incubator = platforms.published(name="丝路之星人力资源服务产业园", kind=kinds.industrial_park,
                                        description="新疆首个人力资源服务产业园。")
        overview = pages.published(title="园区概况", slug="about-zone",
                                   body="<p>高新区以现代服务业为支柱产业，培育生物医药与大健康等主导产业。</p>")
        draft = releases.draft(title="高新区内部草稿 未发布", body="<p>专精特新 内部 草稿</p>")
        withdrawn = releases.published(title="已撤回的高新区通知", body="<p>专精特新 撤回</p>")

    editorial.withdraw(Corpus.withdrawn, by=people.publisher, note="信息有误")
    run_index_tasks()
    return Corpus
