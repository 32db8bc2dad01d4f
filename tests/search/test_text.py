"""Segmentation, normalisation and query parsing (no database)."""

from apps.search.dictionary import PARK_TERMS
from apps.search.highlight import highlight, snippet
from apps.search.text import Segmenter, normalise, parse_query, segment

SEGMENTER = Segmenter(PARK_TERMS + ("乌鲁木齐天山新材料薄膜有限公司",))


def test_park_words_are_found_inside_longer_text():
    text = "今年乌鲁木齐高新区新增专精特新中小企业十二家，均为新材料企业"
    tokens = segment(SEGMENTER, text).split()
    assert "高新区" in tokens
    assert "专精特新" in tokens
    assert "新材料" in tokens


def test_without_the_park_dictionary_jieba_splits_专精特新():
    plain = Segmenter()
    assert "专精特新" not in segment(plain, "新增专精特新企业").split()


def test_a_full_name_is_one_word_and_its_parts_still_match():
    tokens = segment(SEGMENTER, "乌鲁木齐天山新材料薄膜有限公司扩建生产线").split()
    assert "乌鲁木齐天山新材料薄膜有限公司" in tokens
    for part in ("乌鲁木齐", "天山", "新材料", "薄膜", "有限公司"):
        assert part in tokens


def test_traditional_full_width_and_upper_case_queries_are_folded():
    assert normalise("高新區 專精特新", to_simplified=True) == "高新区 专精特新"
    assert normalise("ＡＢＣ５Ｇ　園區", to_simplified=True) == "abc5g 园区"
    assert parse_query(SEGMENTER, "專精特新").tokens == ["专精特新"]
    assert parse_query(SEGMENTER, "ＨＲ　人才").tokens == ["hr", "人才"]


def test_punctuation_and_stopwords_never_become_query_words():
    assert parse_query(SEGMENTER, "，。！“”").tokens == []
    assert parse_query(SEGMENTER, "高新区的企业").tokens == ["高新区", "企业"]
    assert parse_query(SEGMENTER, "的").tokens == ["的"]  # a query of stopwords only is kept


def test_a_park_term_also_matches_the_words_it_was_made_of():
    query = parse_query(SEGMENTER, "专精特新")
    assert query.groups[0][0] == "专精特新"
    assert len(query.groups[0][1]) >= 2  # e.g. 专精 / 特 / 新: an index built before the word was known


def test_matches_are_marked_and_escaped_in_snippets():
    assert str(highlight("高新区<b>", ["高新区"])) == "<mark>高新区</mark>&lt;b&gt;"
    text = "前言" * 80 + "园区的专精特新企业" + "后记" * 80
    html = str(snippet("", text, ["专精特新"]))
    assert "<mark>专精特新</mark>" in html and html.startswith("…") and html.endswith("…")
    assert len(html) < 200
