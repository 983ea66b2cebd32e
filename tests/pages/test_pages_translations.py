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


def test_the_modeler_script_takes_its_words_from_the_page_in_the_ui_language(make_user, server):
    """modeler.js holds no words of its own: editor.html hands it the catalog's (#modeler-words), so the
    script speaks Kazakh, Russian or English with the page (the catalogs' completeness test covers them)."""
    import json
    script = (ROOT / "app" / "static" / "modeler" / "modeler.js").read_text(encoding="utf-8")
    assert not re.search(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]", script)
    assert "getElementById('modeler-words')" in script
    from support import deploy_fixture
    from tests.pages.test_pages_http import PASSWORD, _csrf, _signed_in
    owner = make_user("chief", None, "process_owner", password=PASSWORD)
    deploy_fixture(owner, "reporter")
    s = _signed_in(server, "chief")
    words = {}
    for lang in ("ru", "kk", "en"):
        s.post(server + "/lang", data={"lang": lang, "next": "/modeler", "csrf_token": _csrf(s.get(server + "/modeler").text)})
        page = s.get(server + "/modeler/reporter").text
        words[lang] = json.loads(re.search(r'<script id="modeler-words" type="application/json">(.*?)</script>',
                                           page, re.S).group(1))
    assert set(words["ru"]) == set(words["kk"]) == set(words["en"]) and len(words["en"]) > 10
    assert words["ru"]["clean"] == "Ошибок нет: диаграмму можно развернуть."
    assert words["kk"]["clean"] == "Қате жоқ: диаграмманы орналастыруға болады."
    assert words["en"]["clean"] == "No problems found: this diagram can be deployed."


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
