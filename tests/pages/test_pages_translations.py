"""Every string of the pages (staff pages, modeler, audit: their code, templates and the modeler's script) has its
Russian translation, the shipped .mo matches the .po, and a signed-in user can switch the pages to English."""
from __future__ import annotations

import io
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "app" / "translations" / "ru" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
METHODS = [("**.py", "python"), ("**.html", "jinja2")]
PAGES = ("pages", "templates", "modeler", "audit", "dashboard")            # under app/: every package that draws pages
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def _extracted(directory: Path) -> set[str]:
    found = set()
    for _name, _line, message, _comments, _ctx in extract_from_dir(str(directory), METHODS, keywords=KEYWORDS):
        found.update(message if isinstance(message, tuple) else (message,))
    return {m for m in found if m}


def _ids(value) -> tuple:
    """A message's id or strings as a tuple (plural messages have several)."""
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def _done(string) -> bool:
    return bool(string) and all(_ids(string))


def test_every_page_string_has_a_russian_translation():
    catalog = read_po(PO.open("rb"), locale="ru")
    translated = {one for m in catalog if m.id and _done(m.string) and "fuzzy" not in m.flags for one in _ids(m.id)}
    used = set().union(*(_extracted(ROOT / "app" / name) for name in PAGES))
    assert {"Modeler", "Who opened personal data", "Deploy a new version"} <= used      # the walk reaches them all
    missing = sorted(used - translated)
    assert not missing, f"untranslated (add to {PO.relative_to(ROOT)} and run pybabel compile): {missing}"


def test_the_compiled_catalog_matches_the_source():
    po = {_ids(m.id): _ids(m.string) for m in read_po(PO.open("rb"), locale="ru") if m.id and _done(m.string)}
    mo = {_ids(m.id): _ids(m.string) for m in read_mo(io.BytesIO(MO.read_bytes())) if m.id}
    assert mo == po, "app/translations/ru/LC_MESSAGES/messages.mo is stale: run `pybabel compile -d app/translations`"


def test_the_modeler_script_has_the_same_words_in_russian_and_english():
    script = (ROOT / "app" / "static" / "modeler" / "modeler.js").read_text(encoding="utf-8")
    blocks = dict(re.findall(r"\n    (ru|en): \{(.*?)\n    \}", script, re.S))
    keys = {lang: re.findall(r"^\s+(\w+): '", body, re.M) for lang, body in blocks.items()}
    assert set(keys) == {"ru", "en"} and len(keys["ru"]) > 10
    assert sorted(keys["ru"]) == sorted(keys["en"])
    assert re.search(r"[А-Яа-яЁё]", blocks["ru"]) and not re.search(r"[А-Яа-яЁё]", blocks["en"])


def test_modeler_and_audit_pages_are_russian_and_switch_to_english(make_user, server):
    from tests.pages.test_pages_http import PASSWORD, _csrf, _signed_in
    make_user("chief", None, "process_owner", "auditor", password=PASSWORD)
    s = _signed_in(server, "chief")
    ru_models, ru_log = s.get(server + "/modeler").text, s.get(server + "/audit/access-log").text
    assert "Модели процессов" in ru_models and "Process models" not in ru_models
    assert "Кто открывал персональные данные" in ru_log and 'lang="ru"' in ru_log
    r = s.post(server + "/lang", data={"lang": "en", "next": "/audit/access-log", "csrf_token": _csrf(ru_log)})
    assert r.status_code == 200 and "Who opened personal data" in r.text and 'lang="en"' in r.text
    assert "Кто открывал" not in r.text
    assert "Process models" in s.get(server + "/modeler").text
    assert "Deadlines of the Guide: kept or missed" in s.get(server + "/audit/compliance").text
