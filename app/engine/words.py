"""The words of a diagram in Kazakh, Russian and English, carried inside the BPMN itself.

The BPMN ``name`` (and ``spiffworkflow:instructionsForEndUser``) stay the canonical Russian the
Guide is written in. The other languages travel in the same file, as SpiffWorkflow properties of
the element they translate, so that every deployed version, its replay and its court history show
that version's own words, and bpmn-js (whose moddle already knows ``spiffworkflow:property``)
keeps them through any edit::

    <bpmn:extensionElements>
      <spiffworkflow:properties>
        <spiffworkflow:property name="name:kk" value="Баланы қабылдау"/>
        <spiffworkflow:property name="name:en" value="Admit the child"/>
        <spiffworkflow:property name="instructions:kk" value="…"/>
      </spiffworkflow:properties>
    </bpmn:extensionElements>

Any element with an id may carry them: tasks, events, gateways, lanes, sequence flows and the
process itself (its name is the chapter's title). Plain XML work: no Flask, no database.
"""
from __future__ import annotations

from lxml import etree

from .model import ModelInvalid
from .parser import BPMN, NS, _local, parse_xml

LANGUAGES = ("ru", "kk", "en")
CANONICAL = "ru"
TRANSLATED = ("kk", "en")
FIELDS = ("name", "instructions")
# Elements staff read by name; their missing translations are worth a warning at deploy.
NAMED = frozenset({
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
    "task", "userTask", "manualTask", "scriptTask", "serviceTask", "sendTask", "receiveTask",
    "businessRuleTask", "callActivity", "subProcess", "exclusiveGateway", "parallelGateway",
    "inclusiveGateway", "eventBasedGateway", "lane", "process",
})


def property_name(field: str, lang: str) -> str:
    """The spiffworkflow property that holds ``field`` (name, instructions) in ``lang``."""
    return f"{field}:{lang}"


def words_of_element(el) -> dict[str, dict[str, str]]:
    """``{lang: {field: text}}`` of one lxml BPMN element; Russian from its name and instructions."""
    words: dict[str, dict[str, str]] = {}
    ru = {}
    if (el.get("name") or "").strip():
        ru["name"] = el.get("name").strip()
    instructions = el.find("bpmn:extensionElements/spiffworkflow:instructionsForEndUser", NS)
    if instructions is not None and (instructions.text or "").strip():
        ru["instructions"] = instructions.text.strip()
    if ru:
        words[CANONICAL] = ru
    for prop in el.iterfind("bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property", NS):
        field, _, lang = (prop.get("name") or "").partition(":")
        value = (prop.get("value") or "").strip()
        if field in FIELDS and lang in TRANSLATED and value:
            words.setdefault(lang, {})[field] = value
    return words


def translations_of(el) -> dict[str, dict[str, str]]:
    """Only the Kazakh and English words of an element (the Russian is its name): what the registry
    keeps in each version's element list."""
    return {lang: fields for lang, fields in words_of_element(el).items() if lang != CANONICAL}


def read_words(xml: bytes | str) -> dict[str, dict[str, dict[str, str]]]:
    """Every element's words in the diagram's executable processes: ``{id: {lang: {field: text}}}``.

    The participant (pool) shares its process's words when it has none of its own, so the pool
    drawn on the diagram reads the chapter's title in the reader's language.
    """
    try:
        root = parse_xml(xml.encode("utf-8") if isinstance(xml, str) else xml).getroot()
    except ModelInvalid:
        return {}
    found: dict[str, dict] = {}
    for process in root.iterfind("bpmn:process", NS):
        for el in process.iter():
            if isinstance(el.tag, str) and el.get("id"):
                words = words_of_element(el)
                if words:
                    found[el.get("id")] = words
    for participant in root.iterfind("bpmn:collaboration/bpmn:participant", NS):
        own = words_of_element(participant)
        shared = found.get(participant.get("processRef"), {})
        merged = {lang: {**shared.get(lang, {}), **own.get(lang, {})} for lang in set(own) | set(shared)}
        if merged:
            found[participant.get("id")] = merged
    return found


def missing_translations(xml: bytes | str) -> list[tuple[str, str, list[str]]]:
    """(element id, element type, languages lacking) for every named element staff read whose name
    (or instructions) has no Kazakh or English words: deploy warns, it does not refuse."""
    try:
        root = parse_xml(xml.encode("utf-8") if isinstance(xml, str) else xml).getroot()
    except ModelInvalid:
        return []
    missing = []
    for process in root.iterfind("bpmn:process", NS):
        if process.get("isExecutable", "false").lower() != "true":
            continue
        for el in process.iter():
            tag = _local(el.tag)
            if tag not in NAMED or not el.get("id"):
                continue
            words = words_of_element(el)
            have = words.get(CANONICAL, {})
            lacking = [lang for lang in TRANSLATED
                       if any(f in have and f not in words.get(lang, {}) for f in FIELDS)]
            if lacking:
                missing.append((el.get("id"), tag, lacking))
    return missing


def localized_xml(xml: bytes | str, lang: str) -> bytes:
    """The diagram with every ``name`` in ``lang`` (Russian where a word is missing), for drawing it
    to a reader; the stored version itself is never changed."""
    root = parse_xml(xml.encode("utf-8") if isinstance(xml, str) else xml).getroot()
    if lang != CANONICAL:
        words = read_words(etree.tostring(root))
        for el in root.iter():
            if not isinstance(el.tag, str) or not el.get("id") or el.get("name") is None:
                continue
            if etree.QName(el).namespace != BPMN:
                continue
            name = words.get(el.get("id"), {}).get(lang, {}).get("name")
            if name:
                el.set("name", name)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
