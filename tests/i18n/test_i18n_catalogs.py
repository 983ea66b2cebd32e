"""The catalogs are complete: every msgid the code uses (``_``/``_l``/``gettext``/``ngettext``, and ``N_``/``gettext_in`` of
app/i18n.py for texts worded outside a request, in app/'s Python and templates) has a Russian and a Kazakh translation (English is the msgid), non-empty and not fuzzy, with the same
``%(name)s`` placeholders; a Kazakh "translation" that is the Russian text itself is a text nobody translated.
The shipped .mo files match their .po."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("ru", "kk")
METHODS = [("**.py", "python"), ("**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "N_": None,
            "gettext_in": (2,)}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# words Kazakh takes from Russian unchanged (a loanword is not an untranslated text); keep this list short
SAME_IN_KAZAKH = {"Audit", "Code", "File", "Bytes", "KB", "Agency", "process", "Object"}


def _po(lang):
    with (ROOT / "app" / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def _tuple(value) -> tuple:
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def _entries(lang):
    return [m for m in _po(lang) if m.id]


@pytest.fixture(scope="module")
def used() -> set[str]:
    found = set()
    for _name, _line, message, _comments, _ctx in extract_from_dir(str(ROOT / "app"), METHODS, keywords=KEYWORDS):
        found.update(m for m in _tuple(message) if m)
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_every_msgid_the_code_uses_is_in_the_catalog(lang, used):
    ids = {one for m in _entries(lang) for one in _tuple(m.id)}
    assert {"Inbox", "Deploy a new version", "New task in case No. %(number)s"} <= used     # the walk reaches them
    missing = sorted(used - ids)
    assert not missing, f"msgids missing from app/translations/{lang} (append them by hand): {missing}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_msgid_has_a_translation_that_is_not_fuzzy(lang):
    entries = _entries(lang)
    assert len(entries) > 500
    untranslated = [m.id for m in entries if not all(_tuple(m.string)) or "fuzzy" in m.flags]
    assert not untranslated, f"{lang}: {len(untranslated)} without a translation: {untranslated[:20]}"


@pytest.mark.parametrize("lang", LANGS)
def test_translations_keep_the_placeholders_of_their_msgid(lang):
    wrong = []
    for m in _entries(lang):
        ids, strings = _tuple(m.id), _tuple(m.string)
        wanted = sorted(set().union(*(PLACEHOLDER.findall(i) for i in ids)))
        for s in strings:
            if s and sorted(set(PLACEHOLDER.findall(s))) != wanted:
                wrong.append((m.id, s))
    assert not wrong, f"{lang}: placeholders differ from the msgid: {wrong[:10]}"


def test_kazakh_is_not_the_russian_text_copied():
    russian = {m.id: _tuple(m.string) for m in _entries("ru")}
    copied = [m.id for m in _entries("kk")
              if m.id in russian and _tuple(m.string) == russian[m.id]
              and any(CYRILLIC.search(s) for s in russian[m.id]) and _tuple(m.id)[0] not in SAME_IN_KAZAKH]
    assert not copied, f"kk msgstr identical to the Russian one (not translated?): {copied}"


def test_kazakh_is_written_with_kazakh_letters():
    """A Kazakh catalog without ә ғ қ ң ө ұ ү һ і would be Russian or a transliteration."""
    texts = [s for m in _entries("kk") for s in _tuple(m.string) if CYRILLIC.search(s or "")]
    kazakh = [s for s in texts if re.search("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]", s)]
    assert len(kazakh) / len(texts) > 0.8


@pytest.mark.parametrize("lang", LANGS)
def test_the_compiled_catalog_matches_the_source(lang):
    po = {_tuple(m.id): _tuple(m.string) for m in _entries(lang) if all(_tuple(m.string))}
    mo_path = ROOT / "app" / "translations" / lang / "LC_MESSAGES" / "messages.mo"
    mo = {_tuple(m.id): _tuple(m.string) for m in read_mo(io.BytesIO(mo_path.read_bytes())) if m.id}
    assert mo == po, f"{mo_path.relative_to(ROOT)} is stale: run `pybabel compile -d app/translations`"
