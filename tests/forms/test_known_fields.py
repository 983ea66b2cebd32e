"""Don't ask what the service knows (issue 13 §6): the birth date and sex come from the ИИН, "who acknowledged"
from the signed-in user — filled before the form is checked, on the API and the page alike, and the page shows
the signed-in person instead of asking, and says that an empty birth date or sex is taken from the ИИН."""
from __future__ import annotations

import json
import re
from types import SimpleNamespace

import requests

from app.forms.known import fill_known
from support import FIXTURES

RECEIVED = "2026-12-01T09:00:00+05:00"
REPORTER = (FIXTURES / "bpmn" / "reporter.bpmn").read_text(encoding="utf-8")
GIRL_2015 = "150312600015"                  # born 12.03.2015, female
PASSWORD = "known-fields-password"
FORM = {
    "$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Тестовая форма", "type": "object",
    "required": ["summary", "acknowledged_by"],
    "properties": {
        "summary": {"type": "string", "title": "Кратко", "minLength": 3},
        "acknowledged_by": {"type": "string", "title": "Кто подтвердил", "minLength": 1, "x-from": "user"},
        "child": {"type": "object", "title": "Ребёнок", "x-iin": {"iin": "iin", "birthDate": "birth_date", "sex": "sex"},
                  "properties": {"iin": {"type": ["string", "null"], "title": "ИИН"},
                                 "birth_date": {"type": "string", "format": "date", "title": "Дата рождения"},
                                 "sex": {"enum": ["male", "female"], "x-enumNames": ["Мужской", "Женский"],
                                         "title": "Пол"}}},
    },
}


def person(full_name):
    return SimpleNamespace(full_name=full_name, username="inspector")


def test_birth_date_and_sex_come_from_a_valid_iin_and_a_typed_value_is_kept_to_be_checked():
    filled = fill_known(FORM, {"child": {"iin": GIRL_2015}})
    assert filled["child"] == {"iin": GIRL_2015, "birth_date": "2015-03-12", "sex": "female"}
    typed = {"child": {"iin": GIRL_2015, "birth_date": "2015-03-13", "sex": ""}}
    assert fill_known(FORM, typed)["child"] == {"iin": GIRL_2015, "birth_date": "2015-03-13", "sex": "female"}
    assert fill_known(FORM, {"child": {"iin": "150312600016"}})["child"] == {"iin": "150312600016"}   # a typo
    assert fill_known(FORM, {"child": {"iin": None}})["child"] == {"iin": None}
    family = {"type": "array", "items": FORM["properties"]["child"]}
    assert fill_known(family, [{"iin": GIRL_2015}])[0]["sex"] == "female"


def test_who_acknowledged_is_the_signed_in_user_whatever_was_sent():
    signed_in = person("Сейткали Арман Болатович")
    assert fill_known(FORM, {"acknowledged_by": "Кто-то другой"}, user=signed_in)["acknowledged_by"] == signed_in.full_name
    assert fill_known(FORM, {}, user=person(None))["acknowledged_by"] == "inspector"


def _deploy(owner):
    files = [("file", ("x.bpmn", REPORTER.encode(), "application/xml")),
             ("forms", ("fixture-report.json", json.dumps(FORM).encode(), "application/json")),
             ("forms", ("fixture-ack.json", (FIXTURES / "forms" / "fixture-ack.json").read_bytes(), "application/json"))]
    assert owner.post("/process-models", files=files).status_code == 201


def test_the_api_stores_what_the_service_knows_and_the_page_does_not_ask_it(app, owner, make_user, server):
    _deploy(owner)
    police = make_user("inspector", "police", "staff", password=PASSWORD)
    with app.app_context():
        from app.extensions import db
        from app.users.models import User
        db.session.query(User).filter_by(username="inspector").update({"full_name": "Сейткали Арман"})
        db.session.commit()
    started = police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}})
    instance = started.json()["id"]

    # the page: who acknowledged is shown, not asked; birth date and sex say where they come from
    s = requests.Session()
    token = re.search(r'name="csrf_token" value="([^"]+)"', s.get(server + "/login").text).group(1)
    s.post(server + "/login", data={"username": "inspector", "password": PASSWORD, "csrf_token": token})
    task = police.get("/tasks", params={"instance": instance}).json()["items"][0]
    page = s.get(f"{server}/tasks/{task['id']}").text
    assert 'name="acknowledged_by"' not in page and "Сейткали Арман" in page
    assert page.count("Если оставить пустым, берётся из ИИН.") == 2

    r = police.post(f"/tasks/{task['id']}/complete",
                    json={"data": {"summary": "Синяки", "child": {"iin": GIRL_2015}, "acknowledged_by": "Иванов"}})
    assert r.status_code == 200, r.text
    data = police.get(f"/process-instances/{instance}").json()["data"]
    assert data["child"] == {"iin": GIRL_2015, "birth_date": "2015-03-12", "sex": "female"}
    assert data["acknowledged_by"] == "Сейткали Арман"


def test_the_organisation_starts_as_the_accounts_and_is_read_only_for_a_form_that_has_it():
    form = {"type": "object", "properties": {"organisation": {"type": "string", "x-from": "organisation"},
                                             "note": {"type": "string"}}}
    asked = []

    def name():
        asked.append(1)
        return "Школа-гимназия № 12"
    assert fill_known(form, {}, organisation_name=name) == {"organisation": "Школа-гимназия № 12"}
    assert fill_known(form, {"organisation": "Лицей № 3"}, organisation_name=name)["organisation"] == "Лицей № 3"
    assert fill_known(form, {}, organisation_name=lambda: None) == {}         # agency-wide staff type it
    asked.clear()
    assert fill_known(FORM, {"summary": "x"}, organisation_name=name) == {"summary": "x"} and not asked


def test_the_emergency_report_names_the_reporting_school_from_the_account(app, make_user, server):
    from app.extensions import db
    from app.organisations.service import create
    from app.registry.service import deploy
    from app.users.models import User
    from support import ROOT
    with app.app_context():
        deploy(db.session, bpmn=(ROOT / "processes" / "ch1-identification.bpmn").read_bytes(), forms={},
               forms_dir=str(ROOT / "forms"), deployed_by="test")
        create(db.session, code="talgar.school", agency="education_org", name_ru="Школа-гимназия № 12 г. Талгар",
               serves=["196200000"])
        db.session.commit()
        db.session.remove()
    make_user("pedagogue", "education_org", "staff", password=PASSWORD)
    with app.app_context():
        db.session.query(User).filter_by(username="pedagogue").update({"organisation": "talgar.school"})
        db.session.commit()
        db.session.remove()
    from app.forms.known import fill_known as fill
    schema = json.loads((ROOT / "forms" / "ch1-emergency-report.schema.json").read_text(encoding="utf-8"))
    with app.app_context():
        from app.organisations.service import names
        filled = fill(schema, {"emergency_report": {}}, organisation_name=lambda: names(db.session, ["talgar.school"], "ru")
                      .get("talgar.school"))
    assert filled["emergency_report"]["organisation"] == "Школа-гимназия № 12 г. Талгар"
