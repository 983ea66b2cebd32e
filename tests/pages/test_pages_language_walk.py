"""Every staff page, walked in Kazakh, Russian and English by staff, a supervisor, an admin, an auditor and a process
owner (modeler list, editor, running cases, a version), shows no word of another language in the service's own
texts (the chrome the catalogs cover).

In English, no Cyrillic may remain on a page beyond what is data: the people, case and organisation built
here carry Latin names where they can, the КАТО classifier's units and the organisation their English names; what
is Cyrillic by nature (the Kazakh and Russian switch labels) is listed in ``data_words``. In Kazakh, no Russian msgstr of the
catalog may remain where its Kazakh one belongs. In Kazakh and in Russian, no English text of the catalog's msgids
(two words or more) may show.

The fixture diagrams and forms are deployed with their Kazakh and English words (``tests/fixtures/words``: task,
lane, chapter and form-field names, instructions), so the walk covers them like the catalog's texts; only the
diagrams' clause notes (``NOT_YET_COVERED``) are exempt.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.fixtures.words import deploy_worded
from tests.pages.test_pages_http import FIXTURES, PASSWORD, RECEIVED, _csrf, _signed_in

ROOT = Path(__file__).resolve().parents[2]
CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
PROCESSES = ("reporter", "receiver")
FORMS = ("fixture-report.json", "fixture-ack.json")


def _clause_notes() -> set[str]:
    """The fixture diagrams' ``bpmn:documentation`` («P4.a — срок»): the owner's note tracing an element to the
    Guide's clause, shown as written (the clause's own text is Russian), not a word for staff."""
    notes = set()
    for name in PROCESSES:
        bpmn = (FIXTURES / "bpmn" / f"{name}.bpmn").read_text(encoding="utf-8")
        notes.update(t.strip() for t in re.findall(r"<bpmn:documentation>(.*?)</", bpmn, re.S))
    return notes


NOT_YET_COVERED = _clause_notes()


class _Text(HTMLParser):
    """The text a reader meets: text nodes outside script/style, and the titles, labels and placeholders."""
    SKIP = {"script", "style"}
    ATTRS = {"title", "aria-label", "placeholder", "alt"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        self.pieces += [v.strip() for k, v in attrs if k in self.ATTRS and v and v.strip()]

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.pieces.append(" ".join(data.split()))


def texts(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.pieces


def _catalog(lang) -> dict:
    with (ROOT / "app" / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle, locale=lang) if m.id}


def russian_ui_texts() -> set[str]:
    """The fixed parts of every Russian msgstr (placeholders split them) that are Russian words, not shared
    with the Kazakh catalog (a loanword such as «Аудит» is both)."""
    ru, kk = _catalog("ru"), _catalog("kk")
    kazakh = {s for v in kk.values() for s in (v if isinstance(v, (tuple, list)) else (v,)) if s}
    out = set()
    for value in ru.values():
        for string in value if isinstance(value, (tuple, list)) else (value,):
            if not string or string in kazakh:
                continue
            for part in re.split(r"%\(\w+\)[sd]", string):
                part = part.strip(" .,:;()«»—-")
                if CYRILLIC.search(part) and len(part) >= 4 and not any(part in k for k in kazakh):
                    out.add(part)
    return out


# -- the data: Latin names wherever the data is ours to choose -------------------------------------------------
@pytest.fixture
def world(app, owner, make_user, server):
    from app.extensions import db
    from app.organisations.service import create as create_org
    from app.users.models import User

    for name in PROCESSES:
        deploy_worded(owner, name, forms=FORMS if name == "reporter" else ("fixture-ack.json",))
    police = make_user("walk.staff", "police", "staff", password=PASSWORD)
    make_user("walk.chief", "police", "supervisor", password=PASSWORD)
    make_user("walk.admin", None, "admin", password=PASSWORD)
    make_user("walk.auditor", None, "auditor", password=PASSWORD)
    make_user("walk.commission", "kdnzp", "staff", password=PASSWORD)
    make_user("walk.owner", None, "process_owner", password=PASSWORD)
    with app.app_context():
        for user in db.session.query(User).filter(User.username.like("walk.%")):
            user.full_name = user.username.replace("walk.", "Aruzhan ").title()
        db.session.commit()
        create_org(db.session, code="talgar.school1", agency="education_org", name_ru="Школа № 1 Талгара",
                   name_kk="Талғардың № 1 мектебі", name_en="Talgar School No. 1", serves=["196200000"],
                   territory="196200000")
    started = police.post("/process-instances", json={"process_id": "reporter", "data": {
        "received_at": RECEIVED, "summary": "Bruises seen by a teacher"}}).json()
    done = police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}}).json()
    task_id = police.get("/tasks").json()["items"][0]["id"]
    first = [t for t in police.get("/tasks").json()["items"] if t["instance_id"] == done["id"]][0]
    assert police.post(f"/tasks/{first['id']}/complete", json={"data": {"summary": "Told the commission"}}
                       ).status_code == 200
    return {"case": started["case_id"], "instance": started["id"], "task": task_id, "done": first["id"]}


def pages_of(world) -> dict[str, list[str]]:
    staff = ["/inbox", "/notifications", "/account", f"/cases?q={world['case'][:4]}", f"/cases/{world['case']}",
             f"/tasks/{world['task']}", f"/tasks/{world['done']}/next"]
    return {
        "walk.staff": staff,
        "walk.chief": [*staff, "/supervisor", "/dashboard"],
        "walk.admin": ["/inbox", "/admin/users", "/admin/organisations", "/supervisor", "/dashboard", "/cases?state=open",
                       f"/cases/{world['case']}", "/audit/"],
        "walk.auditor": ["/inbox", "/audit/", "/audit/access-log", "/audit/compliance", "/supervisor", "/dashboard",
                         f"/cases/{world['case']}", f"/audit/instances/{world['instance']}/history",
                         f"/audit/instances/{world['instance']}"],
        "walk.owner": ["/modeler", "/modeler/reporter", "/modeler/reporter/cases", "/modeler/reporter/versions/1"],
    }


def data_words(lang: str | None = None) -> set[str]:
    """Cyrillic that is data or a proper name, not the service's words; a language is named in itself (the header's
    switch, the modeler's preview language). In English none of the КАТО classifier's names is, nor the
    organisation's: every unit has an English name (``app/territories/english.py``), the organisation one too."""
    from app import territories
    names = set() if lang == "en" else {"Школа № 1 Талгара", *(t.name_ru for t in territories.every()),
                                        *(t.name_kk for t in territories.every())}
    return {"Қаз", "Рус", "Русский", "Қазақша", *names}


def _walk(server, world, lang):
    for username, urls in pages_of(world).items():
        s = _signed_in(server, username)
        html = s.get(server + "/inbox").text
        assert s.post(server + "/lang", data={"lang": lang, "next": "/inbox", "csrf_token": _csrf(html)}
                      ).status_code == 200
        for url in urls:
            r = s.get(server + url)
            assert r.status_code == 200, (username, url, r.status_code)
            assert f'<html lang="{lang}">' in r.text, (username, url)
            yield username, url, texts(r.text)


def test_english_pages_have_no_cyrillic_outside_data(server, world):
    allowed = sorted(data_words("en") | NOT_YET_COVERED, key=len, reverse=True)
    faults = set()
    walked = 0
    for _username, url, pieces in _walk(server, world, "en"):
        walked += 1
        for piece in pieces:
            rest = piece
            for word in allowed:
                rest = rest.replace(word, " ")
            if CYRILLIC.search(rest):
                faults.add((url.split("?")[0], piece))
    assert walked >= 25
    assert not faults, "Cyrillic on English pages:\n" + "\n".join(f"{u}: {p}" for u, p in sorted(faults))


def english_ui_texts() -> set[str]:
    """The fixed parts of the catalog's msgids (English) of two words or more: on a Russian or Kazakh page none
    may show (a msgid left untranslated, or a text outside ``_()``)."""
    out = set()
    for msgid in _catalog("ru"):
        for one in msgid if isinstance(msgid, (tuple, list)) else (msgid,):
            for part in re.split(r"%\(\w+\)[sd]|\{\w+\}", one):
                part = part.strip(" .,:;()«»“”—-")
                if len(re.findall(r"[A-Za-z]{2,}", part)) >= 2 and not CYRILLIC.search(part):
                    out.add(part)
    return out


def _russian_found(pieces, pattern, allowed) -> set[str]:
    found = set()
    for piece in pieces:
        if piece in allowed:
            continue
        rest = piece
        for word in allowed:
            rest = rest.replace(word, " ")
        found.update(m.group(0) for m in pattern.finditer(rest))
    return found


def test_kazakh_pages_show_no_russian_ui_text(server, world):
    russian = russian_ui_texts()
    assert {"Входящие задачи", "Выйти", "Дел с нарушением"} <= russian        # the catalog is read
    pattern = re.compile("|".join(rf"(?<![\w-]){re.escape(t)}(?![\w-])" for t in sorted(russian, key=len, reverse=True)))
    allowed = sorted(NOT_YET_COVERED | data_words(), key=len, reverse=True)
    english = re.compile("|".join(rf"(?<![\w-]){re.escape(t)}(?![\w-])"
                                  for t in sorted(english_ui_texts(), key=len, reverse=True)))
    faults = set()
    seen_kazakh = 0
    for _username, url, pieces in _walk(server, world, "kk"):
        seen_kazakh += "Кіріс тапсырмалар" in pieces
        faults.update((url.split("?")[0], text) for text in _russian_found(pieces, pattern, allowed))
        faults.update((url.split("?")[0], text) for text in _russian_found(pieces, english, allowed))
    assert seen_kazakh >= 25
    assert not faults, "Russian UI text on Kazakh pages:\n" + "\n".join(f"{u}: {t}" for u, t in sorted(faults))
    # the same check on the Russian pages finds their Russian words: it is not blind
    ((_user, _url, pieces), *_rest) = _walk(server, world, "ru")
    assert {"Входящие задачи", "Выйти"} <= _russian_found(pieces, pattern, allowed)


def test_russian_pages_show_no_english_ui_text(server, world):
    english = english_ui_texts()
    assert {"Deploy a new version", "Register a report"} <= english
    pattern = re.compile("|".join(rf"(?<![\w-]){re.escape(t)}(?![\w-])" for t in sorted(english, key=len, reverse=True)))
    allowed = sorted(NOT_YET_COVERED | data_words(), key=len, reverse=True)
    faults, walked = set(), 0
    for _username, url, pieces in _walk(server, world, "ru"):
        walked += 1
        faults.update((url.split("?")[0], text) for text in _russian_found(pieces, pattern, allowed))
    assert walked >= 25
    assert not faults, "English UI text on Russian pages:\n" + "\n".join(f"{u}: {t}" for u, t in sorted(faults))
    ((_user, _url, pieces), *_rest) = _walk(server, world, "en")            # not blind: English pages have them
    assert {"Skip to content", "Sign out"} <= _russian_found(pieces, pattern, allowed)
