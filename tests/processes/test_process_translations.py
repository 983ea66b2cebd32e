"""The Guide's diagrams speak Kazakh and English too: every named element, lane, chapter title and
instruction of processes/*.bpmn carries its kk and en words, with the same placeholders as the Russian;
and tools/layout_bpmn.py (with tools/diagram_words.py) still produces exactly the committed files."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from app.engine.words import missing_translations, read_words

ROOT = Path(__file__).resolve().parents[2]
DIAGRAMS = sorted((ROOT / "processes").glob("*.bpmn"))
KAZAKH_LETTERS = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
PLACEHOLDER = re.compile(r"\{\{.*?\}\}")


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.name)
def test_every_named_element_lane_and_instruction_has_kazakh_and_english(path):
    assert missing_translations(path.read_bytes()) == []


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.name)
def test_translations_keep_the_placeholders_and_emphasis_and_kazakh_is_kazakh(path):
    for element_id, words in read_words(path.read_bytes()).items():
        for field, ru in words["ru"].items():
            for lang in ("kk", "en"):
                text = words[lang][field]
                assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(ru)), (element_id, lang)
                assert text.count("**") == ru.count("**"), (element_id, lang)
                assert text != ru or ru in ("Прокурор",), (element_id, lang, "not translated")
        assert not re.search("[а-яё]", words["en"].get("name", "")), (element_id, "Cyrillic in English")


def test_the_kazakh_words_are_written_in_kazakh_letters():
    kazakh = [w["kk"]["name"] for p in DIAGRAMS for w in read_words(p.read_bytes()).values() if "kk" in w]
    with_letters = [name for name in kazakh if KAZAKH_LETTERS.search(name)]
    assert len(with_letters) / len(kazakh) > 0.9          # short ones (Дереу, Жоқ, ІІО...) may lack ә, қ, ...


def test_the_generator_and_its_words_give_exactly_the_committed_diagrams():
    sys.path.insert(0, str(ROOT))
    from tools import layout_bpmn
    built = layout_bpmn.build_all()
    for diagram in built:
        assert diagram.xml() == (ROOT / "processes" / diagram.file).read_bytes(), \
            f"{diagram.file} differs from tools/layout_bpmn.py's output: edit the generator and regenerate"
    assert layout_bpmn.guide_yaml(built) == (ROOT / "processes" / "guide.yaml").read_text(encoding="utf-8")
    from tools.diagram_words import MISSING
    assert not MISSING
