"""Forms in the reader's language on the staff pages (issue 14 §2), over real HTTP on the real chapter 1: the task
page draws the primary-information form with English (or Kazakh) labels and options and the same values, and
the case page's family facts read «Lives with the child — yes», never «Проживает совместно с ребёнком — yes»."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from tests.pages.test_case_story import PASSWORD, PRIMARY, RECEIVED, REGISTRATION, _complete, _deploy, _signed_in

ROOT = Path(__file__).resolve().parents[2]


def _russian_words(form: str) -> set[str]:
    """Every Russian title, description and option label of a form file."""
    words: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            words.update(v for k, v in node.items() if k in ("title", "description") and isinstance(v, str))
            for k, v in node.items():
                if k != "x-i18n":
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(json.loads((ROOT / "forms" / form).read_text(encoding="utf-8")))
    return words


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _in_language(server, username, lang):
    s = _signed_in(server, username)
    token = re.search(r'name="csrf_token" value="([^"]+)"', s.get(server + "/inbox").text).group(1)
    assert s.post(server + "/lang", data={"lang": lang, "csrf_token": token}, allow_redirects=False).status_code == 302
    return s


def _primary_info_task(app, make_user):
    _deploy(app)
    school = make_user("pedagogue", "education_org", "staff", password=PASSWORD)
    case = school.post("/process-instances", json={"process_id": "ch1_identification",
                                                   "data": {"received_at": RECEIVED}}).json()
    _complete(school, case["case_id"], "register_education_org", REGISTRATION)
    task = next(t for t in school.get("/tasks", params={"case": case["case_id"]}).json()["items"]
                if t["bpmn_id"] == "primary_info_education_org")
    return school, case, task


def test_the_task_page_in_english_and_kazakh_draws_the_form_in_that_language(app, server, make_user):
    _school, _case, task = _primary_info_task(app, make_user)
    russian = _russian_words("ch1-primary-info.schema.json")
    en = _in_language(server, "pedagogue", "en").get(f"{server}/tasks/{task['id']}").text
    assert 'lang="en"' in en
    words = _text(en)
    for label in ("Family members", "+ Add a family member", "Priority body for further work", "Reason there is no IIN",
                  "Region or city of republican significance", "Emergency in education"):
        assert label in words, label
    assert not [w for w in russian if w in words], [w for w in russian if w in words][:5]
    # the values posted are the same codes in every language
    assert 'value="police"' in en and 'value="foreign_citizen"' in en

    kk = _in_language(server, "pedagogue", "kk").get(f"{server}/tasks/{task['id']}").text
    words = _text(kk)
    assert "Отбасы мүшелері" in words and "Одан әрі жұмыс үшін басым орган" in words
    assert not [w for w in russian if w in words and w not in ("Телефон", "Прокурор")], \
        [w for w in russian if w in words][:5]
    assert 'value="police"' in kk


def test_the_errors_summary_names_the_field_and_the_error_in_the_readers_language(app, server, make_user):
    _school, _case, task = _primary_info_task(app, make_user)
    s = _in_language(server, "pedagogue", "en")
    page = s.get(f"{server}/tasks/{task['id']}").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = s.post(f"{server}/tasks/{task['id']}", data={"csrf_token": token, "__action": "complete"})
    assert r.status_code == 422
    words = _text(r.text)
    assert "Priority body for further work: required field" in words, words[:800]
    assert "Обязательное поле" not in words and "Приоритетный орган" not in words
    s = _in_language(server, "pedagogue", "kk")
    token = re.search(r'name="csrf_token" value="([^"]+)"', s.get(f"{server}/tasks/{task['id']}").text).group(1)
    words = _text(s.post(f"{server}/tasks/{task['id']}", data={"csrf_token": token, "__action": "complete"}).text)
    assert "Одан әрі жұмыс үшін басым орган: міндетті өріс" in words, words[:800]


def test_the_case_page_words_family_facts_in_the_readers_language(app, server, make_user):
    school, case, _task = _primary_info_task(app, make_user)
    _complete(school, case["case_id"], "primary_info_education_org", PRIMARY)
    en = _text(_in_language(server, "pedagogue", "en").get(f"{server}/cases/{case['case_id']}").text)
    assert "Relation to the child Mother Lives with the child yes" in en, en[:1500]
    assert "Проживает совместно с ребёнком" not in en and "Кем приходится ребёнку" not in en
    kk = _text(_in_language(server, "pedagogue", "kk").get(f"{server}/cases/{case['case_id']}").text)
    assert "Баламен бірге тұрады" in kk and "Анасы" in kk
    assert "Проживает совместно с ребёнком" not in kk
