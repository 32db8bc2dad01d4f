"""The directory's models: credit codes normalised and validated on the way in,
unique; the pinyin sort key; qualification validity; the key-project rule."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.editorial import actions as editorial
from apps.enterprises import actions
from apps.enterprises.collation import HOMOPHONES, _gb_code, _is_level1, initial_of, sort_key
from apps.enterprises.models import Enterprise, Qualification

from .conftest import make_code


def test_credit_code_is_normalised_from_full_width_lower_case_and_spaces(enterprises):
    item = enterprises.draft(credit_code="９１１１ ０００ ０６０００３７３４１ｌ")
    assert Enterprise.objects.get(pk=item.pk).credit_code == "91110000600037341L"


@pytest.mark.parametrize(
    "code, rule",
    [
        ("91110000600037341X", "校验码"),
        ("9111000060003734", "18"),
        ("91110000600O37341L", "O"),
        ("Z1110000600037341L", "Z"),
    ],
)
def test_invalid_credit_codes_are_refused_with_the_rule_that_failed(enterprises, code, rule):
    with pytest.raises(ValidationError) as caught:
        enterprises.draft(credit_code=code)
    assert rule in " ".join(caught.value.message_dict["credit_code"])


@pytest.mark.parametrize("first", ["A", "N", "Y"])
def test_codes_of_the_later_registering_authorities_a_n_y_are_accepted(enterprises, first):
    from apps.core.credit_code import compute_check_char

    body = f"{first}1650106MA0000001"
    item = enterprises.draft(credit_code=body + compute_check_char(body))
    assert item.credit_code.startswith(first)


def test_credit_code_is_unique_after_normalisation(enterprises):
    enterprises.draft(credit_code="91110000600037341L")
    with pytest.raises(ValidationError) as caught:
        enterprises.draft(credit_code="91110000600037341l")
    assert "credit_code" in caught.value.message_dict


def test_the_database_refuses_a_duplicate_credit_code_too(enterprises, people):
    item = enterprises.draft()
    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.create(name="重复企业", credit_code=item.credit_code)


def test_key_project_needs_a_named_service_liaison(enterprises, people):
    with pytest.raises(ValidationError) as caught:
        enterprises.draft(is_key_project=True)
    assert "服务专员" in str(caught.value)
    item = enterprises.draft(is_key_project=True, service_liaison=people.outsider)
    assert item.service_liaison == people.outsider


def test_qualification_validity_dates_are_checked_and_filtered(enterprises, kinds):
    today = dt.date(2026, 6, 1)
    item = enterprises.draft(qualifications=[
        {"kind": kinds.high_tech, "certificate_number": "GR202365000123",
         "valid_from": dt.date(2023, 11, 1), "valid_until": dt.date(2026, 10, 31)},
        {"kind": kinds.sme, "valid_from": dt.date(2021, 1, 1), "valid_until": dt.date(2021, 12, 31)},
        {"kind": kinds.gazelle},
    ])
    valid = Qualification.objects.filter(enterprise=item).valid_on(today)
    assert {q.kind for q in valid} == {kinds.high_tech, kinds.gazelle}
    with pytest.raises(IntegrityError), transaction.atomic():
        Qualification.objects.create(enterprise=item, kind=kinds.sme, valid_from=dt.date(2025, 1, 2), valid_until=dt.date(2025, 1, 1))


def test_sort_key_follows_pinyin_order_for_common_characters():
    names = ["中信科技", "北京博格达", "阿勒泰物流", "新疆天山软件", "乌鲁木齐金风", "安泰材料", "哈密瓜业"]
    assert sorted(names, key=sort_key) == ["阿勒泰物流", "安泰材料", "北京博格达", "哈密瓜业", "乌鲁木齐金风", "新疆天山软件", "中信科技"]


def test_sort_key_places_name_characters_outside_gb2312_level_one_by_their_sound():
    # 鑫 (xin), 瀚 (han), 昊 (hao), 睿 (rui), 堃 (kun) are GB 2312 level-2 or GBK-only.
    names = ["鑫源材料", "新源材料", "瀚海软件", "汉唐软件", "昊天科技", "睿智数据", "堃元医药", "阿克苏果业"]
    ordered = sorted(names, key=sort_key)
    assert ordered[0] == "阿克苏果业"
    assert ordered.index("瀚海软件") < ordered.index("昊天科技") < ordered.index("堃元医药") < ordered.index("睿智数据")
    assert abs(ordered.index("鑫源材料") - ordered.index("新源材料")) == 1


def test_sort_key_ignores_brackets_folds_traditional_and_puts_digits_and_latin_first():
    assert sort_key("新疆（乌鲁木齐）材料") == sort_key("新疆乌鲁木齐材料")
    assert sort_key("鑫達材料") == sort_key("鑫达材料")
    assert sort_key("ＡＢＣ科技") == sort_key("abc科技")
    names = ["北方材料", "3D打印中心", "ABC科技", "阿尔泰"]
    assert sorted(names, key=sort_key) == ["3D打印中心", "ABC科技", "阿尔泰", "北方材料"]
    assert initial_of(sort_key("新疆")) == "x" and initial_of(sort_key("3D")) == "#"


def test_homophone_table_only_lists_characters_that_need_it():
    for char, anchor in HOMOPHONES.items():
        assert not _is_level1(_gb_code(char)), char
        assert _is_level1(_gb_code(anchor)), anchor


def test_directory_order_is_the_same_on_every_database(enterprises):
    for name in ["中信科技有限公司", "鑫源材料有限公司", "阿勒泰物流有限公司", "北京博格达有限公司"]:
        enterprises.draft(name=name)
    names = list(Enterprise.objects.in_directory_order().values_list("name", flat=True))
    assert names == ["阿勒泰物流有限公司", "北京博格达有限公司", "鑫源材料有限公司", "中信科技有限公司"]


def test_sort_key_follows_a_renamed_draft_and_the_public_keeps_the_published_one(enterprises, people):
    item = enterprises.published(name="阿勒泰物流有限公司")
    actions.edit_enterprise(item, by=people.editor, fields={"name": "中信物流有限公司"})
    row = Enterprise.objects.get(pk=item.pk)
    assert row.name == "阿勒泰物流有限公司" and row.sort_key == sort_key("阿勒泰物流有限公司")
    editorial.submit(row, by=people.editor)
    editorial.approve(row, by=people.reviewer)
    editorial.approve(row, by=people.publisher, publish=False)
    editorial.publish(row, by=people.publisher2, major=False)
    row = Enterprise.objects.get(pk=item.pk)
    assert row.name == "中信物流有限公司" and row.sort_key == sort_key("中信物流有限公司")


def test_recompute_sort_keys_repairs_stale_keys(enterprises, people):
    item = enterprises.draft(name="中信科技")
    Enterprise.objects.filter(pk=item.pk).update(sort_key="stale")
    assert actions.recompute_sort_keys(by=people.superuser) == 1
    assert Enterprise.objects.get(pk=item.pk).sort_key == sort_key("中信科技")


def test_make_code_gives_valid_codes():
    from apps.core.credit_code import is_valid

    assert all(is_valid(make_code(n)) for n in range(1, 50))
