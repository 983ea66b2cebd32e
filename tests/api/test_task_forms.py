"""A task carries its form: an API client draws it from GET /tasks/{id} alone (no owners-only call)."""
import json

from support import FIXTURES

RECEIVED = "2026-12-01T09:00:00+05:00"
REPORTER = (FIXTURES / "bpmn" / "reporter.bpmn").read_text(encoding="utf-8")
FORM_PROPERTY = '<spiffworkflow:property name="formJsonSchemaFilename" value="fixture-report.json"/>'
UI = {"ui:order": ["offence", "summary"], "summary": {"ui:widget": "textarea"}}


def _deploy(api, xml: str, forms: dict[str, bytes]):
    files = [("file", ("x.bpmn", xml.encode("utf-8"), "application/xml"))]
    files += [("forms", (name, raw, "application/json")) for name, raw in forms.items()]
    return api.post("/process-models", files=files)


def _fixture_forms(*names):
    return {n: (FIXTURES / "forms" / n).read_bytes() for n in names}


def test_a_task_carries_its_json_schema_and_ui_schema(owner, make_user):
    xml = REPORTER.replace(FORM_PROPERTY, FORM_PROPERTY + '<spiffworkflow:property name="formUiSchemaFilename" '
                                                          'value="fixture-report.uischema.json"/>')
    forms = _fixture_forms("fixture-report.json", "fixture-ack.json")
    forms["fixture-report.uischema.json"] = json.dumps(UI).encode()
    assert _deploy(owner, xml, forms).status_code == 201
    police = make_user("inspector", "police", "staff")
    assert police.post("/process-instances", json={"process_id": "reporter",
                                                   "data": {"received_at": RECEIVED}}).status_code == 201
    listed = police.get("/tasks").json()["items"][0]
    task = police.get(f"/tasks/{listed['id']}").json()
    assert task["form_schema"] == json.loads(forms["fixture-report.json"])
    assert task["form_schema"]["required"] == ["summary"]
    assert task["ui_schema"] == UI
    # a staff member cannot read the forms another way: the catalogue is for process owners
    assert police.get("/forms/fixture-report.json").status_code == 403
    # the list stays light: schemas only on the one task
    assert "form_schema" not in listed
    # what the schema says is what completion checks
    assert police.post(f"/tasks/{task['id']}/complete", json={"data": {"summary": "x"}}).status_code == 422


def test_a_task_without_a_ui_schema_says_so(owner, make_user):
    assert _deploy(owner, REPORTER, _fixture_forms("fixture-report.json", "fixture-ack.json")).status_code == 201
    police = make_user("inspector", "police", "staff")
    police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}})
    task = police.get(f"/tasks/{police.get('/tasks').json()['items'][0]['id']}").json()
    assert task["form_schema"]["title"] == "Тестовая форма" and task["ui_schema"] is None


def test_openapi_describes_the_form_of_a_task(make_user, server):
    import requests
    spec = requests.get(server + "/api/v1/openapi.json", timeout=10).json()
    schema = spec["paths"]["/tasks/{task_id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    detail = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    assert {"form_schema", "ui_schema", "data"} <= set(detail["allOf"][1]["properties"])


# the report task without its form (and a notice that no longer counts the summary nobody typed)
CONFIRMATION = REPORTER.replace(f"<spiffworkflow:properties>{FORM_PROPERTY}</spiffworkflow:properties>", "") \
    .replace('"summary_len": len(summary), ', "")


def test_a_user_task_without_a_form_deploys_as_a_confirmation_task(owner, make_user):
    assert CONFIRMATION != REPORTER
    checked = owner.post("/process-models/validate", files=[("file", ("x.bpmn", CONFIRMATION.encode(), "application/xml")),
                                                            ("forms", ("fixture-ack.json", _fixture_forms("fixture-ack.json")["fixture-ack.json"], "application/json"))])
    assert checked.status_code == 200, checked.text
    assert _deploy(owner, CONFIRMATION, _fixture_forms("fixture-ack.json")).status_code == 201
    police = make_user("inspector", "police", "staff")
    started = police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}})
    task = police.get(f"/tasks/{police.get('/tasks').json()['items'][0]['id']}").json()
    assert task["form"] is None and task["instructions"].startswith("Опишите случай")
    assert task["form_schema"] == {"type": "object", "properties": {}, "additionalProperties": False}
    # nothing can be entered through a confirmation: data is refused naming the field
    smuggled = police.post(f"/tasks/{task['id']}/complete", json={"data": {"offence": True}})
    assert smuggled.status_code == 422 and smuggled.json()["errors"][0]["field"] == "offence", smuggled.text
    done = police.post(f"/tasks/{task['id']}/complete", json={"data": {}})
    assert done.status_code == 200, done.text
    assert done.json()["instance"]["status"] == "completed"
    events = police.get(f"/process-instances/{started.json()['id']}/events").json()["items"]
    assert "task_completed" in [e["type"] for e in events]


def _registration_task(owner, make_user):
    """The reporter fixture with the real registration form (forms/ch1-registration) as its report form."""
    from support import ROOT
    registration = (ROOT / "forms" / "ch1-registration.schema.json").read_bytes()
    forms = {"fixture-report.json": registration, **_fixture_forms("fixture-ack.json")}
    assert _deploy(owner, REPORTER, forms).status_code == 201
    police = make_user("inspector", "police", "staff")
    police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}})
    return police, police.get("/tasks").json()["items"][0]["id"]


def _values(schema):
    """Every property name, const and enum value of a schema: what must not change with the language."""
    out = []
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            out += [("const", node["const"])] if "const" in node else []
            out += [("enum", tuple(node["enum"]))] if "enum" in node else []
            out += [("properties", tuple(node["properties"]))] if isinstance(node.get("properties"), dict) else []
            out += [("required", tuple(node["required"]))] if isinstance(node.get("required"), list) else []
            stack += list(node.values())
        elif isinstance(node, list):
            stack += node
    return sorted(out, key=repr)


def test_the_form_schema_comes_in_the_callers_language_with_the_same_codes(owner, make_user):
    police, task_id = _registration_task(owner, make_user)
    ru = police.get(f"/tasks/{task_id}", headers={"Accept-Language": "ru"})
    kk = police.get(f"/tasks/{task_id}", headers={"Accept-Language": "kk-KZ,kk;q=0.9,ru;q=0.5"})
    en = police.get(f"/tasks/{task_id}", headers={"Accept-Language": "en-GB"})
    assert (kk.headers["Content-Language"], en.headers["Content-Language"]) == ("kk", "en")
    ru, kk, en = ru.json()["form_schema"], kk.json()["form_schema"], en.json()["form_schema"]
    assert ru["title"] == "Регистрация обращения о насилии в отношении ребёнка"
    assert kk["title"] == "Балаға қатысты зорлық-зомбылық туралы өтінішті тіркеу"
    assert en["title"] == "Registration of a report of violence against a child"
    child_kk, child_ru = kk["properties"]["child"]["properties"], ru["properties"]["child"]["properties"]
    assert child_kk["iin"]["title"] == "ЖСН" and child_ru["iin"]["title"] == "ИИН"
    assert [(o["const"], o["title"]) for o in child_kk["sex"]["oneOf"]] == [("male", "Ер"), ("female", "Әйел")]
    # the same fields, values and rules in every language; only words differ, and no x-i18n leaks out
    assert _values(kk) == _values(ru) == _values(en)
    assert "x-i18n" not in json.dumps([ru, kk, en])
    # the classifier's units keep their codes, named in Kazakh for a Kazakh reader
    territory_kk, territory_ru = kk["properties"]["territory"], ru["properties"]["territory"]
    assert territory_kk["enum"] == territory_ru["enum"] and territory_kk["x-enumNames"] != territory_ru["x-enumNames"]
    assert any("облысы" in name for name in territory_kk["x-enumNames"])


def test_without_accept_language_the_form_is_in_the_users_own_language(owner, make_user, app):
    police, task_id = _registration_task(owner, make_user)
    assert police.get(f"/tasks/{task_id}").json()["form_schema"]["title"].startswith("Регистрация")   # default
    from app.extensions import db
    from app.users.models import User
    with app.app_context():
        db.session.execute(db.update(User).where(User.username == "inspector").values(language="en"))
        db.session.commit()
    task = police.get(f"/tasks/{task_id}")
    assert task.headers["Content-Language"] == "en"
    assert task.json()["form_schema"]["properties"]["child"]["title"] == "Child"
    # what the form says is what completion checks, whatever the language: values stay codes
    refused = police.post(f"/tasks/{task_id}/complete", json={"data": {"detected_by": "Police officer"}})
    assert refused.status_code == 422 and any(e["field"] == "detected_by" for e in refused.json()["errors"])
