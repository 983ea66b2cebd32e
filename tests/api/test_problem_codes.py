"""Every problem the service reports has a stable code, its params, and a detail in the reader's language.

The code and params are what programs key on and never change with the language; the detail is worded
from app/problems.py's catalog through the ru and kk Flask-Babel catalogs (English when the caller sends
no Accept-Language, so integrations written against the English details keep working).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import requests
from babel.messages.pofile import read_po

from app import problems
from app.errors import DomainError

ROOT = Path(__file__).resolve().parents[2]
KAZAKH = re.compile("[әғқңөұүһі]", re.I)
CYRILLIC = re.compile("[а-яё]", re.I)
ERRORS = {"DomainError", "NotFound", "Forbidden", "Unauthorized", "Conflict", "Unavailable", "Invalid"}


def _catalog(lang: str) -> dict[str, str]:
    with open(ROOT / f"app/translations/{lang}/LC_MESSAGES/messages.po", "rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id}


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_code_has_words_in_the_language_with_the_same_placeholders(lang):
    catalog = _catalog(lang)
    missing, broken = [], []
    for code, msgid in {**problems.PROBLEMS, **problems.FIELD_PROBLEMS}.items():
        words = catalog.get(msgid)
        if not words:
            missing.append(code)
        elif sorted(re.findall(r"%\((\w+)\)s", words)) != sorted(re.findall(r"%\((\w+)\)s", msgid)):
            broken.append(code)
    assert not missing, f"codes without a {lang} translation: {missing}"
    assert not broken, f"{lang} translations that lost or invented a placeholder: {broken}"


def test_field_codes_are_apart_from_the_form_validators_codes():
    """A form error's code (app/forms) is worded by app/pages/form_errors.py; ours must not shadow one."""
    from app.pages.form_errors import _TEXTS
    assert not set(problems.FIELD_PROBLEMS) & set(_TEXTS)


def _raise_sites():
    """(file:line, first argument) of every ``raise <DomainError family>(...)`` under app/."""
    for path in sorted((ROOT / "app").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Raise) or node.exc is None:
                continue
            calls = [node.exc.body, node.exc.orelse] if isinstance(node.exc, ast.IfExp) else [node.exc]
            for call in calls:
                if isinstance(call, ast.Call) and getattr(call.func, "id", None) in ERRORS and call.args:
                    yield f"{path.relative_to(ROOT)}:{node.lineno}", call.args[0]


def _codes(arg) -> list:
    if isinstance(arg, ast.Constant):
        return [arg.value]
    if isinstance(arg, ast.IfExp):
        return _codes(arg.body) + _codes(arg.orelse)
    return [None]               # an f-string or a computed sentence: not a code


def test_every_raise_names_a_known_code():
    sites = list(_raise_sites())
    assert len(sites) > 100
    unknown = [f"{where}: {ast.unparse(arg)[:70]}" for where, arg in sites
               if any(code not in problems.PROBLEMS for code in _codes(arg))]
    assert not unknown, "raise sites without a code of app/problems.py:\n" + "\n".join(unknown)


def test_diagram_problems_verification_faults_and_diff_lines_are_built_from_known_codes():
    """``Problem.coded`` / ``Divergence.coded`` / ``AnchorFault.coded`` name a code of the catalog; nothing
    builds one of them with a bare sentence (fewer than three arguments: no code)."""
    bare, unknown = [], []
    for path in sorted((ROOT / "app").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if getattr(node.func, "id", None) in ("Problem", "Divergence", "AnchorFault") and len(node.args) < 3:
                bare.append(where)
            if isinstance(node.func, ast.Attribute) and node.func.attr == "coded" and \
                    getattr(node.func.value, "id", None) in ("Problem", "Divergence", "AnchorFault", "cls"):
                codes = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                if codes and problems.msgid(codes[0]) is None:          # (a code passed through is checked where made)
                    unknown.append(f"{where}: {codes}")
    assert not bare, f"problems or faults without a code: {bare}"
    assert not unknown, f"unknown codes: {unknown}"


def test_a_domain_error_words_its_code_in_english_outside_a_request():
    exc = DomainError("user_exists", {"username": "aigerim"})
    assert (exc.code, exc.params, exc.detail) == ("user_exists", {"username": "aigerim"}, "user 'aigerim' exists")


def test_a_sentence_instead_of_a_code_still_answers_under_the_status_code():
    from app.errors import Conflict
    exc = Conflict("a sentence nobody coded")
    assert (exc.code, exc.detail, exc.worded("kk")) == ("conflict", "a sentence nobody coded", "a sentence nobody coded")


def test_the_same_refusal_in_kazakh_russian_and_english(make_user):
    police = make_user("inspector", "police", "staff")
    answers = {}
    for lang in ("kk", "ru", "en"):
        r = police.get("/cases/no-such-case", headers={"Accept-Language": lang})
        assert r.status_code == 404 and r.headers["Content-Type"].startswith("application/problem+json")
        answers[lang] = r.json()
    assert {(a["code"], tuple(a["params"].items())) for a in answers.values()} == \
        {("case_not_found", (("case_id", "no-such-case"),))}
    assert answers["en"]["detail"] == "no case no-such-case"
    assert answers["ru"]["detail"] == "дело no-such-case не найдено"
    assert KAZAKH.search(answers["kk"]["detail"]) and "no-such-case" in answers["kk"]["detail"]
    assert answers["kk"]["detail"] != answers["ru"]["detail"]


def test_without_accept_language_the_api_answers_in_english(make_user):
    police = make_user("inspector", "police", "staff")
    r = police.get("/cases/no-such-case")
    assert r.json()["detail"] == "no case no-such-case"
    r = police.get("/cases/no-such-case", headers={"Accept-Language": "de-DE, kk;q=0.5"})
    assert KAZAKH.search(r.json()["detail"])             # the best of ours the caller accepts
    r = police.get("/cases/no-such-case", headers={"Accept-Language": "kk-KZ, ru;q=0.9"})
    assert KAZAKH.search(r.json()["detail"])
    r = police.get("/cases/no-such-case", headers={"Accept-Language": "*"})
    assert r.json()["detail"] == "no case no-such-case"   # any language: the API's own, English


def test_field_faults_carry_a_code_and_are_worded_too(make_user):
    auditor = make_user("auditor", None, "auditor")
    for lang, alphabet in (("ru", CYRILLIC), ("kk", KAZAKH)):
        r = auditor.get("/audit/instances", params={"limit": "many"}, headers={"Accept-Language": lang})
        body = r.json()
        assert r.status_code == 422 and body["code"] == "not_an_integer" and body["params"] == {"name": "limit"}
        assert body["errors"][0]["code"] == "an_integer" and body["errors"][0]["field"] == "limit"
        assert alphabet.search(body["detail"]) and alphabet.search(body["errors"][0]["message"])


def test_werkzeug_and_unauthenticated_problems_are_coded(server):
    r = requests.get(server + "/api/v1/nowhere", headers={"Accept-Language": "ru"}, timeout=10)
    assert r.status_code == 404 and r.json()["code"] == "not_found_address"
    assert r.json()["detail"] == "по этому адресу ничего нет"
    r = requests.delete(server + "/api/v1/openapi.json", headers={"Accept-Language": "kk"}, timeout=10)
    assert r.status_code == 405 and r.json()["code"] == "method_not_allowed" and KAZAKH.search(r.json()["detail"])
    assert "GET" in r.headers["Allow"]
    r = requests.get(server + "/api/v1/tasks", headers={"Accept-Language": "kk"}, timeout=10)
    assert r.status_code == 401 and r.json()["code"] == "sign_in_required" and KAZAKH.search(r.json()["detail"])


def test_a_verification_fault_has_a_code_and_a_reason_in_the_callers_language(app, owner, make_user, server):
    """Tampering with an event's content: the hash chain's fault is ``chain_content`` in every language."""
    import sqlalchemy as sa
    from support import deploy_fixture

    from app.extensions import db
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    started = police.post("/process-instances", json={"process_id": "reporter",
                                                      "data": {"received_at": "2026-12-01T09:00:00+05:00"}}).json()
    auditor = make_user("auditor", None, "auditor")
    assert auditor.get(f"/process-instances/{started['id']}/verification").json()["ok"] is True
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE events SET actor = 'x' WHERE instance_id = :i AND seq = 1"), {"i": started["id"]})
    faults = {lang: auditor.get(f"/process-instances/{started['id']}/verification",
                                headers={"Accept-Language": lang}).json()["first_fault"] for lang in ("en", "ru", "kk")}
    assert {(f["check"], f["seq"], f["code"]) for f in faults.values()} == {("chain", 1, "chain_content")}
    assert faults["en"]["reason"] == "content does not match its hash"
    assert faults["ru"]["reason"] == "содержимое не совпадает со своим хешем"
    assert KAZAKH.search(faults["kk"]["reason"])

    # the printable history for court says it in the auditor's language too
    from support import signed_in
    make_user("court.auditor", None, "auditor", password="an auditor's long passphrase")
    s = signed_in(server, "court.auditor", "an auditor's long passphrase")
    history = s.get(server + f"/audit/instances/{started['id']}/history").text
    assert "содержимое не совпадает со своим хешем" in history and "content does not match" not in history


def test_pages_word_the_same_code_in_the_users_language(make_user, server):
    """The modeler's error page for a process nobody deployed, in Kazakh, then Russian, then English:
    the same code (process_not_deployed) in the words of the UI language, whatever the browser asks."""
    from support import signed_in
    make_user("chief.owner", None, "process_owner", password="a process owner's passphrase")
    s = signed_in(server, "chief.owner", "a process owner's passphrase")
    s.headers["Accept-Language"] = "en"                 # the browser's wish loses to the user's choice
    words = {"kk": "«nowhere» процесі орналастырылмаған", "ru": "процесс «nowhere» не развёрнут",
             "en": "no process &#39;nowhere&#39; is deployed"}
    for lang, expected in words.items():
        token = re.search(r'name="csrf_token" value="([^"]+)"', s.get(server + "/modeler").text).group(1)
        s.post(server + "/lang", data={"lang": lang, "next": "/modeler", "csrf_token": token})
        page = s.get(server + "/modeler/nowhere")
        assert page.status_code == 404 and expected in page.text, (lang, page.text[-1500:])


def test_the_cases_page_names_a_bad_filter_in_the_page_language(make_user, server):
    from support import signed_in
    make_user("desk.officer", "police", "staff", password="a staff member's passphrase")
    s = signed_in(server, "desk.officer", "a staff member's passphrase")
    token = re.search(r'name="csrf_token" value="([^"]+)"', s.get(server + "/cases").text).group(1)
    s.post(server + "/lang", data={"lang": "kk", "next": "/cases", "csrf_token": token})
    page = s.get(server + "/cases", params={"q": "а" * 201})
    assert "200 таңбадан аспауы керек" in page.text and "at most 200 characters" not in page.text
