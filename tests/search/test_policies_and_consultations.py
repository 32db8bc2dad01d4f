"""Policy documents, their interpretations and published consultation replies are found;
a reply whose writer did not agree to publication never is."""

from apps.search.query import search
from tests.interaction.conftest import desk, site  # noqa: F401  (fixtures)
from tests.policies.conftest import documents, interpretations  # noqa: F401  (fixtures)

from .conftest import run_index_tasks


def found(query):
    return [(hit.kind, hit.title) for hit in search(query).hits]


def test_a_policy_document_and_its_interpretation_are_found_by_words_and_document_number(documents, interpretations):
    document = documents.published(title="关于支持专精特新企业发展的若干措施", document_number="乌高新管发〔2026〕12号")
    interpretations.published(document, title="《关于支持专精特新企业发展的若干措施》政策解读")
    run_index_tasks()
    kinds = dict((title, kind) for kind, title in found("专精特新 措施"))
    assert kinds == {
        "关于支持专精特新企业发展的若干措施": "policies",
        "《关于支持专精特新企业发展的若干措施》政策解读": "interpretations",
    }
    assert ("policies", "关于支持专精特新企业发展的若干措施") in found("乌高新管发〔2026〕12号")


def test_only_replies_agreed_to_be_public_are_found_and_no_personal_data_is_indexed(desk):  # noqa: F811
    desk.replied(subject="人才公寓申请时间", name="艾尔肯·买买提")
    desk.replied(subject="人才公寓保密咨询", publish_consent="")
    run_index_tasks()
    assert found("人才公寓") == [("consultations", "人才公寓申请时间")]
    assert found("艾尔肯") == [] and found("13912345678") == []
