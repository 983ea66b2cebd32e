"""A diagram's words in kk/ru/en travel inside the BPMN (app/engine/words.py): read per element, kept in
the compiled element list, listed when missing, and swapped into the names a viewer draws."""
from __future__ import annotations

from pathlib import Path

from lxml import etree

from app.engine import compile_process
from app.engine.words import localized_xml, missing_translations, read_words

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REPORTER = (FIXTURES / "bpmn" / "reporter.bpmn").read_text()
KK_NAME = '<spiffworkflow:property name="name:kk" value="Жағдайды сипаттау"/>'
EN_NAME = '<spiffworkflow:property name="name:en" value="Describe the case"/>'
KK_TEXT = '<spiffworkflow:property name="instructions:kk" value="{{ registration_number }} ісін сипаттаңыз"/>'


def _translated(xml: str = REPORTER, *props: str) -> str:
    """The reporter fixture with properties added to the user task 'report'."""
    anchor = '<spiffworkflow:property name="formJsonSchemaFilename" value="fixture-report.json"/>'
    return xml.replace(anchor, anchor + "".join(props), 1)


def test_words_of_each_element_in_every_language_with_russian_from_the_name_and_instructions():
    words = read_words(_translated(REPORTER, KK_NAME, EN_NAME, KK_TEXT))
    assert words["report"] == {
        "ru": {"name": "Описать случай", "instructions": "Опишите случай {{ registration_number }}"},
        "kk": {"name": "Жағдайды сипаттау", "instructions": "{{ registration_number }} ісін сипаттаңыз"},
        "en": {"name": "Describe the case"}}
    assert words["lane_police"] == {"ru": {"name": "Органы внутренних дел (ОВД)"}}
    assert words["reporter"]["ru"] == {"name": "Тестовое сообщение"}
    assert "start" not in words                      # no name, no words


def test_a_lane_and_the_process_carry_their_words_in_extension_elements():
    xml = REPORTER.replace(
        '<bpmn:lane id="lane_police" name="Органы внутренних дел (ОВД)">',
        '<bpmn:lane id="lane_police" name="Органы внутренних дел (ОВД)"><bpmn:extensionElements><spiffworkflow:properties>'
        '<spiffworkflow:property name="name:kk" value="Ішкі істер органдары (ІІО)"/></spiffworkflow:properties>'
        '</bpmn:extensionElements>')
    assert read_words(xml)["lane_police"]["kk"] == {"name": "Ішкі істер органдары (ІІО)"}
    compile_process(xml.encode())                    # SpiffWorkflow's XSD and parser take a lane's properties


def test_the_compiled_elements_keep_only_the_kazakh_and_english_words():
    compiled = compile_process(_translated(REPORTER, KK_NAME, EN_NAME).encode())
    report = next(e for e in compiled.elements if e.id == "report")
    assert report.name == "Описать случай"           # the canonical Russian stays the name
    assert report.words == {"kk": {"name": "Жағдайды сипаттау"}, "en": {"name": "Describe the case"}}
    assert report.to_dict()["words"] == report.words


def test_missing_translations_name_each_element_and_language():
    missing = dict((eid, langs) for eid, _tag, langs in missing_translations(_translated(REPORTER, KK_NAME, EN_NAME)))
    assert missing["report"] == ["kk", "en"]                       # named in both, instructions in neither
    only_en = dict((e, langs) for e, _t, langs in missing_translations(_translated(REPORTER, KK_NAME, EN_NAME, KK_TEXT)))
    assert only_en["report"] == ["en"]
    assert missing["escalate"] == ["kk", "en"] and missing["notify"] == ["kk", "en"]
    assert missing["lane_police"] == ["kk", "en"] and missing["reporter"] == ["kk", "en"]
    assert "start" not in missing and "f1" not in missing          # nothing to translate
    complete = _translated(REPORTER, KK_NAME, EN_NAME, KK_TEXT,
                           '<spiffworkflow:property name="instructions:en" value="Describe case {{ registration_number }}"/>')
    assert "report" not in dict((e, langs) for e, _t, langs in missing_translations(complete))


def test_localized_xml_draws_the_names_in_the_language_and_russian_where_a_word_is_missing():
    xml = _translated(REPORTER, KK_NAME, EN_NAME)
    root = etree.fromstring(localized_xml(xml, "kk"))
    names = {el.get("id"): el.get("name") for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    assert names["report"] == "Жағдайды сипаттау"
    assert names["escalate"] == "Эскалация: срок пропущен"          # no Kazakh: Russian
    assert names["m_notified"] == "case_notified"                     # a message's technical name is kept
    english = etree.fromstring(localized_xml(xml, "en"))
    assert english.find(".//{*}userTask[@id='report']").get("name") == "Describe the case"


def test_translating_only_a_lane_or_the_process_is_a_change_the_version_diff_sees():
    from app.engine.behaviour import behaviour_of
    lane = REPORTER.replace(
        '<bpmn:lane id="lane_police" name="Органы внутренних дел (ОВД)">',
        '<bpmn:lane id="lane_police" name="Органы внутренних дел (ОВД)"><bpmn:extensionElements><spiffworkflow:properties>'
        '<spiffworkflow:property name="name:en" value="Police"/></spiffworkflow:properties></bpmn:extensionElements>')
    before, after = behaviour_of(REPORTER), behaviour_of(lane)
    assert before["lane_police"]["aspects"] == {} and after["lane_police"]["aspects"] == {"property:name:en": "Police"}
    assert before["reporter"] == {"type": "process", "name": "Тестовое сообщение", "aspects": {}, "ends": None}
