"""A form's kk/en words under x-i18n: localize swaps words and nothing else, missing_words finds the
gaps, check_i18n names what a forms editor must refuse, and every form in forms/ is complete."""

import copy
import json
import re
from pathlib import Path

import pytest

from app.forms import check_schema, validate_form
from app.forms.i18n import check_i18n, localize, missing_words, word_rows

FORMS = sorted((Path(__file__).resolve().parents[2] / "forms").glob("*.schema.json"))

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Оценка",
    "x-i18n": {"kk": {"title": "Бағалау"}, "en": {"title": "Assessment"}},
    "type": "object",
    "required": ["sex", "risk"],
    "properties": {
        "sex": {
            "type": "string", "title": "Пол",
            "x-i18n": {"kk": {"title": "Жынысы"}, "en": {"title": "Sex"}},
            "oneOf": [
                {"const": "male", "title": "Мужской", "x-i18n": {"kk": {"title": "Ер"}, "en": {"title": "Male"}}},
                {"const": "female", "title": "Женский", "x-i18n": {"kk": {"title": "Әйел"}, "en": {"title": "Female"}}},
            ],
        },
        "risk": {
            "type": "string", "title": "Уровень риска", "description": "По итогам оценки.",
            "enum": ["low", "high"], "enumNames": ["Низкий", "Высокий"],
            "x-i18n": {"kk": {"title": "Қауіп деңгейі", "description": "Бағалау қорытындысы бойынша.",
                              "enumNames": ["Төмен", "Жоғары"]},
                       "en": {"title": "Risk level", "enumNames": ["Low", ""]}},
        },
        # a property may be called like a keyword: it is a field, not words
        "description": {"type": "string", "title": "Описание", "maxLength": 10,
                        "x-i18n": {"kk": {"title": "Сипаттама"}, "en": {"title": "Description"}}},
    },
}


def test_localize_swaps_the_words_of_the_language_and_drops_every_x_i18n():
    kk = localize(SCHEMA, "kk")
    assert kk["title"] == "Бағалау"
    assert kk["properties"]["sex"]["title"] == "Жынысы"
    assert [o["title"] for o in kk["properties"]["sex"]["oneOf"]] == ["Ер", "Әйел"]
    assert kk["properties"]["risk"]["enumNames"] == ["Төмен", "Жоғары"]
    assert kk["properties"]["description"]["title"] == "Сипаттама"
    assert "x-i18n" not in json.dumps(kk) and "x-i18n" not in json.dumps(localize(SCHEMA, "ru"))


def test_localize_falls_back_to_russian_word_by_word():
    en = localize(SCHEMA, "en-GB")
    assert en["properties"]["risk"]["title"] == "Risk level"
    assert en["properties"]["risk"]["description"] == "По итогам оценки."     # en lacks it
    assert en["properties"]["risk"]["enumNames"] == ["Low", "Высокий"]        # "" is no word
    assert localize(SCHEMA, "de")["title"] == "Оценка"                         # unknown: the default


def test_localize_changes_no_code_and_no_rule():
    def bare(schema):
        out = copy.deepcopy(schema)
        stack = [out]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                for k in ("title", "description", "enumNames", "x-i18n"):
                    node.pop(k, None)
                stack += list(node.values())
            elif isinstance(node, list):
                stack += node
        return out

    original = copy.deepcopy(SCHEMA)
    for lang in ("ru", "kk", "en"):
        assert bare(localize(SCHEMA, lang)) == bare(SCHEMA)
    assert SCHEMA == original                           # a copy: the stored form is never touched
    data = {"sex": "female", "risk": "low", "description": "x" * 11}
    assert [e.field for e in validate_form(localize(SCHEMA, "kk"), data)] == \
        [e.field for e in validate_form(SCHEMA, data)] == ["description"]


def test_missing_words_names_pointer_language_and_keyword():
    assert missing_words(SCHEMA) == [
        ("/properties/risk", "en", "description"),
        ("/properties/risk", "en", "enumNames"),
    ]
    bare = {"title": "Форма", "properties": {"a": {"oneOf": [{"const": 1, "title": "Один"}, {"const": 2}]}}}
    assert missing_words(bare) == [("", "kk", "title"), ("", "en", "title"),
                                   ("/properties/a/oneOf/0", "kk", "title"), ("/properties/a/oneOf/0", "en", "title")]


def test_check_i18n_refuses_unknown_languages_keywords_and_non_string_words():
    bad = {
        "title": "Форма",
        "x-i18n": {"de": {"title": "Formular"}, "kk": {"title": 5, "titel": "x", "description": "Сипаттама"},
                   "en": {"title": "Form"}},
        "properties": {"a": {"enum": [1, 2], "enumNames": ["Один", "Два"], "x-i18n": {"en": {"enumNames": ["One"]}}},
                       "b": {"title": "Б", "x-i18n": ["kk"]}},
    }
    assert check_i18n(bad) == [
        ("/x-i18n/de", "unknown language 'de': only kk, en (Russian stays in place)"),
        ("/x-i18n/kk/title", "must be a string"),
        ("/x-i18n/kk/titel", "'titel' is not a worded keyword (title, description, x-placeholder, x-help, "
                             "x-errorMessage, x-addLabel, enumNames)"),
        ("/x-i18n/kk/description", "the node has no Russian 'description' to translate"),
        ("/properties/a/x-i18n/en/enumNames", "must list 2 names, one per enum value"),
        ("/properties/b/x-i18n", "must be an object keyed by language (kk, en)"),
    ]
    assert check_i18n(SCHEMA) == []
    assert any(p.startswith("/x-i18n/de") for p in check_schema(bad))   # deploy and the editor refuse it
    assert check_schema(SCHEMA) == []


@pytest.mark.parametrize("path", FORMS, ids=[p.name for p in FORMS])
def test_every_form_has_its_kazakh_and_english_words(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert check_i18n(schema) == []
    gaps = missing_words(schema)
    assert gaps == [], f"{path.name}: {len(gaps)} words untranslated, first {gaps[:5]}"


def test_forms_directory_is_all_there():
    assert len(FORMS) >= 46


# Kazakh words spelled as in Russian (loanwords); a longer list would hide untranslated copies
SAME_IN_KAZAKH = {"Телефон", "Прокурор", "Орган", "Медиация"}
CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")


@pytest.mark.parametrize("path", FORMS, ids=[p.name for p in FORMS])
def test_english_words_are_latin_and_kazakh_words_are_not_russian_copies(path):
    rows = word_rows(json.loads(path.read_text(encoding="utf-8")))
    assert [r["en"] for r in rows if CYRILLIC.search(r["en"])] == []
    assert [r["kk"] for r in rows if r["kk"] == r["ru"] and r["kk"] not in SAME_IN_KAZAKH] == []


def test_word_and_word_rows_read_one_node_without_copying_the_form():
    from app.forms.i18n import word
    risk = SCHEMA["properties"]["risk"]
    assert word(risk, "title", "kk") == "Қауіп деңгейі" and word(risk, "description", "en") == "По итогам оценки."
    assert word(risk, "title", None) == "Уровень риска"
    rows = [r for r in word_rows(SCHEMA) if r["pointer"] == "/properties/risk" and r["key"] == "enumNames"]
    assert [(r["index"], r["ru"], r["kk"], r["en"]) for r in rows] == [(0, "Низкий", "Төмен", "Low"),
                                                                        (1, "Высокий", "Жоғары", "")]
