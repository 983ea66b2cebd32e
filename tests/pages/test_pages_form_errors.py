"""Form errors beside the fields speak the page's language: Russian by default, English after switching,
while the API keeps returning the Russian messages."""
from __future__ import annotations

import json
import re
from pathlib import Path

from tests.pages.test_pages_http import PASSWORD, RECEIVED, _csrf, _signed_in

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

FORM = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Тестовая форма",
    "type": "object",
    "required": ["summary"],
    "properties": {
        "summary": {"type": "string", "title": "Кратко", "minLength": 3},
        "iin": {"type": ["string", "null"], "title": "ИИН ребёнка", "format": "iin"},
    },
}


def _beside(html: str, field: str) -> str:
    found = re.search(rf'<p class="field-error"[^>]*data-field="{re.escape(field)}">(.*?)</p>', html, re.S)
    assert found, f"no error beside {field}"
    return re.sub(r"<[^>]+>", "", found.group(1))


def _submit(s, server, task_id):
    page = s.get(f"{server}/tasks/{task_id}").text
    return s.post(f"{server}/tasks/{task_id}", data={"csrf_token": _csrf(page), "__action": "complete",
                                                     "summary": "", "iin": "12345"})


def test_form_errors_are_russian_by_default_and_english_after_switching(owner, make_user, server):
    files = [("file", ("reporter.bpmn", (FIXTURES / "bpmn" / "reporter.bpmn").read_bytes(), "application/xml")),
             ("forms", ("fixture-report.json", json.dumps(FORM).encode(), "application/json")),
             ("forms", ("fixture-ack.json", (FIXTURES / "forms" / "fixture-ack.json").read_bytes(), "application/json"))]
    assert owner.post("/process-models", files=files).status_code == 201
    api = make_user("inspector", "police", "staff", password=PASSWORD)
    assert api.post("/process-instances", json={"process_id": "reporter",
                                                "data": {"received_at": RECEIVED}}).status_code == 201
    s = _signed_in(server, "inspector")
    task_id = re.findall(r'data-task-id="([^"]+)"', s.get(server + "/inbox").text)[0]

    ru = _submit(s, server, task_id)
    assert ru.status_code == 422
    assert "Обязательное поле" in _beside(ru.text, "summary")
    assert "ИИН должен состоять из 12 цифр" in _beside(ru.text, "iin")

    r = s.post(server + "/lang", data={"lang": "en", "next": f"/tasks/{task_id}", "csrf_token": _csrf(ru.text)})
    assert r.status_code == 200 and 'lang="en"' in r.text
    en = _submit(s, server, task_id)
    assert en.status_code == 422
    assert "Required field" in _beside(en.text, "summary")
    assert "The IIN must be 12 digits" in _beside(en.text, "iin")
    assert not re.search(r"[А-Яа-яЁё]", _beside(en.text, "summary") + _beside(en.text, "iin"))
    assert "The IIN must be 12 digits" in en.text.split('id="error-summary"')[1]          # the summary too

    # the API is Russian-first whatever the page language
    api_errors = api.post(f"/tasks/{task_id}/complete", json={"data": {"iin": "12345"}}).json()["errors"]
    assert {"field": "summary", "message": "Обязательное поле"} in api_errors
    assert all(set(e) == {"field", "message"} for e in api_errors)


SCHEMA = {
    "type": "object",
    "required": ["gone"],
    "additionalProperties": False,
    "properties": {
        "short": {"type": "string", "minLength": 3}, "empty": {"type": "string", "minLength": 1},
        "long": {"type": "string", "maxLength": 2}, "kind": {"enum": ["a"]}, "typed": {"type": ["integer", "null"]},
        "day": {"type": "string", "format": "date"}, "mail": {"type": "string", "format": "email"},
        "low": {"type": "number", "minimum": 1.5}, "high": {"type": "number", "maximum": 2},
        "gt": {"type": "number", "exclusiveMinimum": 0}, "lt": {"type": "number", "exclusiveMaximum": 0},
        "list": {"type": "array", "minItems": 2, "maxItems": 0, "uniqueItems": True},
        "one": {"type": "array", "minItems": 1}, "agree": {"const": True}, "code": {"type": "string", "pattern": "^x$"},
        "iin": {"type": "string", "format": "iin"}, "bad_century": {"type": "string", "format": "iin"},
        "either": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        "child": {"type": "object", "properties": {"iin": {"type": ["string", "null"]}, "birth_date": {"type": "string"},
                                                   "reason": {"type": ["string", "null"]}},
                  "x-iin": {"iin": "iin", "birthDate": "birth_date", "noIinReason": "reason"}},
    },
}
DATA = {"short": "ab", "empty": "", "long": "abc", "kind": "b", "typed": "x", "day": "1.2.2020", "mail": "x",
        "low": 1, "high": 3, "gt": 0, "lt": 0, "list": [1, 1], "one": [], "agree": False, "code": "y", "iin": "1",
        "bad_century": "000000700000", "either": [], "child": {"iin": None, "birth_date": "2030-01-01"}, "extra": 1}


def test_each_error_code_has_english_words_and_the_same_russian_as_the_api(app):
    from datetime import date

    from flask_babel import force_locale

    from app.forms.validation import validate_form
    from app.pages.form_errors import say

    errors = validate_form(SCHEMA, DATA, report_date=date(2026, 12, 1))
    assert len({e.code for e in errors}) >= 20 and all(e.code for e in errors)
    with app.test_request_context():
        with force_locale("ru"):
            assert [say(e) for e in errors] == [e.message for e in errors]
        with force_locale("en"):
            english = [say(e) for e in errors]
    assert not [m for m in english if re.search(r"[А-Яа-яЁё]", m)]
    assert "At least 3 characters" in english and "The value must be at least 1.5" in english


def test_the_error_summary_names_each_field_with_its_title():
    from app.pages.field_titles import field_title, summary_line
    schema = {"properties": {"child": {"title": "Ребёнок", "properties": {"last_name": {"title": "Фамилия"}}},
                             "family": {"type": "array", "title": "Члены семьи", "items": {"properties": {"iin": {"title": "ИИН"}}}}}}
    assert summary_line(field_title(schema, "child.last_name"), "Обязательное поле") == \
        "Ребёнок — Фамилия: обязательное поле"
    assert summary_line(field_title(schema, "family.1.iin"), "ИИН должен состоять из 12 цифр") == \
        "Члены семьи — № 2 — ИИН: ИИН должен состоять из 12 цифр"
    assert summary_line(field_title(schema, "unknown"), "Обязательное поле") == "Обязательное поле"
