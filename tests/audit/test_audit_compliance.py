"""Compliance numbers for a set of cases with known on-time and late deadlines, per clause and agency."""
import csv
import io
from datetime import datetime, timedelta, timezone

from tests.audit.scenario import audit_cli  # noqa: F401  (fixture)
from tests.conftest import FIXTURES

REPORTER = (FIXTURES / "bpmn" / "reporter.bpmn").read_text()
FORMS = ("fixture-report.json", "fixture-ack.json")


def _deploy(owner, xml):
    files = [("file", ("x.bpmn", xml.encode(), "application/xml"))]
    files += [("forms", (f, (FIXTURES / "forms" / f).read_bytes(), "application/json")) for f in FORMS]
    r = owner.post("/process-models", files=files)
    assert r.status_code == 201, r.text


def _health_notice():
    """The reporter redrawn for a health organisation: its task serves P13.3 ("inform immediately")."""
    return REPORTER.replace('id="reporter"', 'id="health_notice"') \
        .replace('name="Органы внутренних дел (ОВД)"', 'name="Организации здравоохранения"') \
        .replace("P4.a", "P13.3")


def _case(api, process_id, received: datetime):
    r = api.post("/process-instances", json={"process_id": process_id, "data": {"received_at": received.isoformat()}})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _complete_report(api, instance_id):
    task = next(t for t in api.get(f"/tasks?instance={instance_id}").json()["items"] if t["bpmn_id"] == "report")
    assert api.post(f"/tasks/{task['id']}/complete", json={"data": {"summary": "сообщение"}}).status_code == 200


def test_compliance_counts_met_late_open_and_pending_deadlines_per_clause_and_agency(owner, make_user, run_due,
                                                                                     audit_cli):
    _deploy(owner, REPORTER)
    _deploy(owner, _health_notice())
    police = make_user("inspector", "police", "staff")
    doctor = make_user("doctor", "health", "staff")
    auditor = make_user("auditor", None, "auditor")
    now = datetime.now(timezone.utc).replace(microsecond=0)
    fresh, stale = now, now - timedelta(hours=2)          # due in an hour / due an hour ago

    on_time = _case(police, "reporter", fresh)
    late = _case(police, "reporter", stale)
    open_late = _case(police, "reporter", stale)
    _case(police, "reporter", fresh)                       # pending: open, not yet due
    doctor_on_time = _case(doctor, "health_notice", fresh)
    doctor_late = _case(doctor, "health_notice", stale)
    run_due(now)
    # A deadline already past when the case is registered fires in the registering step itself.
    types = [e["type"] for e in auditor.get(f"/process-instances/{late}/events").json()["items"]]
    assert types[:5] == ["instance_started", "activity_completed", "task_ready", "timer_fired", "overdue"]

    for api, instance_id in ((police, on_time), (police, late), (doctor, doctor_on_time), (doctor, doctor_late)):
        _complete_report(api, instance_id)
    assert open_late

    r = auditor.get("/audit/compliance")
    assert r.status_code == 200, r.text
    rows = {(row["clause"], row["agency"]): row for row in r.json()["items"]}
    assert set(rows) == {("P4.a", "police"), ("P4.a", "(all)"), ("P13.3", "health"), ("P13.3", "(all)")}
    p4a = rows[("P4.a", "police")]
    assert (p4a["on_time"], p4a["late"], p4a["open_overdue"], p4a["pending"]) == (1, 1, 1, 1)
    assert p4a["counted"] == 3 and p4a["on_time_rate"] == round(1 / 3, 4)
    assert p4a["cases"] == 4 and p4a["cases_missed"] == 2 and p4a["deadline"] == "1 рабочий день"
    p133 = rows[("P13.3", "health")]
    assert (p133["on_time"], p133["late"], p133["open_overdue"], p133["pending"]) == (1, 1, 0, 0)
    assert p133["on_time_rate"] == 0.5
    assert [row["clause"] for row in r.json()["items"]] == ["P4.a", "P4.a", "P13.3", "P13.3"]   # the Guide's order

    only_health = auditor.get("/audit/compliance?agency=health").json()["items"]
    assert {(row["clause"], row["agency"]) for row in only_health} == {("P13.3", "health"), ("P13.3", "(all)")}
    tomorrow = (now + timedelta(days=2)).date().isoformat()
    assert auditor.get(f"/audit/compliance?since={tomorrow}").json()["items"] == []

    exported = auditor.get("/audit/compliance?format=csv")
    assert exported.status_code == 200 and exported.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in exported.headers["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(exported.text)))
    police_row = next(row for row in table if row["clause"] == "P4.a" and row["agency"] == "police")
    assert (police_row["on_time"], police_row["late"], police_row["open_overdue"]) == ("1", "1", "1")

    bad = auditor.get("/audit/compliance?since=yesterday")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "since"
    assert auditor.get("/audit/compliance?format=pdf").status_code == 422
    assert police.get("/audit/compliance").status_code == 403
    code, output = audit_cli("verify", "--all")          # and every one of these cases re-executes cleanly
    assert code == 0, output
