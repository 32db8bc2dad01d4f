"""Traditional output quality: a corpus of hard phrases (并/並/併, 干/乾/幹, 发/發/髮,
里/裡/裏, 后/後, 面/麵, 系/係/繫, 台/臺/颱, 余/餘, 云/雲 …) in sentences of this site's
kind, converted with the configured OpenCC configuration and the project's phrases."""

from pathlib import Path

import pytest
from django.test import Client

from apps.core.scripts import PROJECT_PHRASES, to_traditional

CORPUS = Path(__file__).parent / "data" / "traditional_corpus.tsv"


def _corpus():
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            simplified, traditional = line.split("\t")
            rows.append(pytest.param(simplified, traditional, id=simplified[:12]))
    return rows


def test_the_corpus_is_large_enough():
    assert len(_corpus()) >= 60


@pytest.mark.parametrize("simplified, traditional", _corpus())
def test_hard_phrases_convert_as_readers_expect(simplified, traditional):
    assert to_traditional(simplified) == traditional


def test_and_publish_is_not_concurrency():
    assert to_traditional("研究并发布了") == "研究並發布了"
    assert to_traditional("平台支持高并发访问") == "平臺支持高併發訪問"


def test_default_configuration_uses_the_taiwan_character_standard(settings):
    assert settings.PARKPORTAL_OPENCC_CONFIG == "s2tw"
    assert to_traditional("为人民群众服务，园区里") == "為人民群眾服務，園區裡"


@pytest.mark.parametrize("config", ["s2t", "s2hk", "s2tw"])
def test_the_project_phrases_apply_in_every_configuration(config):
    assert to_traditional("研究并发布了", config) == "研究並發布了"


def test_every_project_phrase_converts_to_its_entry():
    for line in PROJECT_PHRASES.read_text(encoding="utf-8").splitlines():
        simplified, traditional = line.split("\t")
        assert to_traditional(simplified) == traditional


def test_traditional_pages_use_the_project_conversion(db, settings):
    from apps.core.models import IndustryCluster

    IndustryCluster.objects.create(name="生物医药", slug="bio", role="leading", description="管委会研究并发布了为群众服务的措施")
    html = Client().get("/zh-hant/").content.decode()
    assert "研究並發布了為群眾服務" in html


def test_no_simplified_sentence_of_the_corpus_is_flagged_as_traditional():
    from apps.core.scripts import traditional_characters

    flagged = {p.values[0]: traditional_characters(p.values[0]) for p in _corpus()}
    assert {s: c for s, c in flagged.items() if c} == {}


def test_every_converted_sentence_is_flagged_as_traditional():
    from apps.core.scripts import traditional_characters

    missed = [p.values[1] for p in _corpus() if p.values[0] != p.values[1] and not traditional_characters(p.values[1])]
    assert missed == []
