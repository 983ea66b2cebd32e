"""The one home of how a deployed version's elements are named to a reader, in kk, ru or en.

Every place that shows an element's name — inbox rows, the task page, the case timeline and
diagrams, replay, the court history, notifications — asks here. The words come from the version's
own BPMN (``app.engine.words``): tasks keep the Russian name they were created with, and the
reader's words are looked up by (version, element id) when shown. Versions never change, so each
version's words are read from its XML once per process and kept (keyed like
``ProcessVersion.content``, by process and content hash, so a reused row id cannot mislead).
"""
from __future__ import annotations

from sqlalchemy import select

from ..engine.words import CANONICAL, localized_xml, missing_translations, read_words
from ..i18n import current_language, normalize, pick
from .models import ProcessVersion

_WORDS: dict[tuple[str, str], dict] = {}
_XML: dict[tuple[str, str, str], bytes] = {}


def _lang(lang: str | None) -> str:
    return normalize(lang or current_language())


def version_words(version: ProcessVersion) -> dict[str, dict[str, dict[str, str]]]:
    """``{element id: {lang: {"name", "instructions"}}}`` of one version (lanes, flows and the
    process itself included)."""
    key = (version.process_id, version.sha256)
    words = _WORDS.get(key)
    if words is None:
        words = _WORDS[key] = read_words(version.bpmn_xml or "")
    return words


def words_by_id(session, version_id: int) -> dict:
    """``version_words`` of a version known only by its row id (instances carry that). The row (not its
    large columns) is read to learn its content hash: a row id alone could name other content in another
    database, as the tests' fresh ones do."""
    version = session.get(ProcessVersion, version_id)
    return version_words(version) if version is not None else {}


def _field(words: dict, element_id: str | None, field: str, lang: str) -> str | None:
    per_lang = (words.get(element_id) or {}) if element_id else {}
    return pick({code: fields.get(field) for code, fields in per_lang.items()}, lang)


def element_name(version: ProcessVersion, element_id: str | None, lang: str | None = None,
                 fallback: str | None = None) -> str | None:
    """The element's name in ``lang`` (the request's language by default), else the Russian name,
    else ``fallback`` (callers pass the id or the name stored with a task)."""
    return _field(version_words(version), element_id, "name", _lang(lang)) or fallback


def element_name_in(session, version_id: int, element_id: str, lang: str | None = None,
                    fallback: str | None = None) -> str | None:
    """``element_name`` for a version known by its row id (an instance's ``version_id``)."""
    return _field(words_by_id(session, version_id), element_id, "name", _lang(lang)) or fallback


def element_instructions(version: ProcessVersion, element_id: str, lang: str | None = None,
                         fallback: str | None = None) -> str | None:
    """The instructions staff read for the element (Markdown with {{ }} from the case), in ``lang``."""
    return _field(version_words(version), element_id, "instructions", _lang(lang)) or fallback


def element_names(version: ProcessVersion, lang: str | None = None) -> dict[str, str]:
    """Every named element of the version, ``{id: name}`` in ``lang``: for timelines and histories."""
    lang = _lang(lang)
    return {eid: name for eid in version_words(version) if (name := _field(version_words(version), eid, "name", lang))}


def process_title(version: ProcessVersion, lang: str | None = None) -> str:
    """The chapter's title (the process's name) in ``lang``."""
    return element_name(version, version.process_id, lang, version.name or version.process_id)


def diagram_xml(version: ProcessVersion, lang: str | None = None) -> bytes:
    """The version's diagram with its names in ``lang``, for the diagram viewers."""
    lang = _lang(lang)
    key = (version.process_id, version.sha256, lang)
    xml = _XML.get(key)
    if xml is None:
        xml = _XML[key] = version.bpmn_xml.encode("utf-8") if lang == CANONICAL \
            else localized_xml(version.bpmn_xml, lang)          # Russian: the stored bytes themselves
    return xml


def task_words(session, tasks, lang: str | None = None) -> dict[str, dict[str, str | None]]:
    """``{task id: {"name", "instructions"}}`` in ``lang`` for a list of tasks, with one query for
    their instances' versions; a task of an unknown element keeps its stored Russian words."""
    from ..instances.models import ProcessInstance      # instances import the registry, not back
    lang = _lang(lang)
    ids = {t.instance_id for t in tasks}
    versions = dict(session.execute(select(ProcessInstance.id, ProcessInstance.version_id)
                                    .where(ProcessInstance.id.in_(ids))).all()) if ids else {}
    out = {}
    for t in tasks:
        words = words_by_id(session, versions[t.instance_id]) if t.instance_id in versions else {}
        out[t.id] = {"name": _field(words, t.bpmn_id, "name", lang) or t.name or t.bpmn_id,
                     "instructions": _field(words, t.bpmn_id, "instructions", lang) or t.instructions}
    return out


def _newest_words(session) -> dict[str, tuple[object, dict]]:
    """``{process id: (row, words)}`` of each process's newest version (row: id, name, sha256)."""
    rows = session.execute(select(ProcessVersion.id, ProcessVersion.process_id, ProcessVersion.name,
                                  ProcessVersion.sha256).order_by(ProcessVersion.process_id,
                                                                  ProcessVersion.version)).all()
    newest = {row.process_id: row for row in rows}
    return {pid: (row, _WORDS.get((pid, row.sha256)) or words_by_id(session, row.id)) for pid, row in newest.items()}


def chapter_titles(session, lang: str | None = None) -> dict[str, str]:
    """``{process id: title}`` by each process's newest version, in ``lang``."""
    lang = _lang(lang)
    return {pid: _field(words, pid, "name", lang) or row.name or pid
            for pid, (row, words) in _newest_words(session).items()}


def newest_element_names(session, lang: str | None = None) -> dict[tuple[str, str], str]:
    """``{(process id, element id): name}`` by each process's newest version, in ``lang``: for reports that
    count a step across versions (deadline compliance)."""
    lang = _lang(lang)
    return {(pid, eid): name for pid, (_row, words) in _newest_words(session).items()
            for eid in words if (name := _field(words, eid, "name", lang))}


def translation_warnings(bpmn: bytes | str) -> list[dict]:
    """Deploy's warnings (not refusals): each named element whose words lack Kazakh or English."""
    return [{"element_id": eid, "code": "translation_missing", "type": tag, "languages": langs,
             "message": f"{tag} {eid!r} has no {' and no '.join(langs)} translation"}
            for eid, tag, langs in missing_translations(bpmn)]
