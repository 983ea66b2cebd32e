"""Helpers for the modeler's tests: diagrams changed the way a process owner changes them."""
from support import FIXTURES

REPORTER = (FIXTURES / "bpmn" / "reporter.bpmn").read_text()
RECEIVED = "2026-12-01T09:00:00+05:00"
FORMS = ("fixture-report.json", "fixture-ack.json")


def upload(api, xml: str, path="/process-models", forms=FORMS, form_bytes=None, headers=None):
    files = [("file", ("x.bpmn", xml.encode(), "application/xml"))]
    for name in forms:
        raw = (form_bytes or {}).get(name) or (FIXTURES / "forms" / name).read_bytes()
        files.append(("forms", (name, raw, "application/json")))
    return api.post(path, files=files, headers=headers)


def renamed_and_later(xml: str = REPORTER) -> str:
    """Version 2 of the reporter: the task renamed and its deadline moved from 1 to 2 hours."""
    return xml.replace('name="Описать случай"', 'name="Описать случай подробно"') \
        .replace("add_hours(received_at, 1)", "add_hours(received_at, 2)")


def without_report_task(xml: str = REPORTER) -> str:
    """A version in which the reporting task has another id (so it is a different task)."""
    for a, b in (('id="report"', 'id="describe"'), (">report<", ">describe<"), ('Ref="report"', 'Ref="describe"')):
        xml = xml.replace(a, b)
    return xml


def start(api, data=None):
    r = api.post("/process-instances", json={"process_id": "reporter", "data": data or {"received_at": RECEIVED}})
    assert r.status_code == 201, r.text
    return r.json()
