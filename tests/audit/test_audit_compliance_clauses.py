"""Each deadline is counted once, under its own clause: the police's 1-hour acknowledgement (chapter 4's
ack_notice documents P4.c, P8.4, P13.3, P14.1 and P4.b) counts under the clause of the notice it acknowledges,
never under five clauses, and never under "P4.b 2 calendar days"."""
from datetime import datetime, timedelta

from support import ROOT, deploy_fixture

RECEIVED = datetime.fromisoformat("2026-12-01T09:00:00+05:00")


def _notify_police(make_user, case_id, clause):
    """A notice from outside (an integration: no lane of these diagrams throws it); its receipt, number and
    sender are the service's to set, so the payload carries the notice's own words only."""
    payload = {"clause": clause, "case_summary": "синяки",
               "child": {"last_name": "Тестова", "first_name": "Айгерим"}, "note": ""}
    r = make_user("police-register", "police", "integration").post("/messages", json={"name": "police_notified", "correlation": {"case_id": case_id},
                                       "payload": payload})
    assert r.status_code == 202, r.text


def _police_rows(auditor):
    r = auditor.get("/audit/compliance", params={"since": "2026-12-01", "until": "2026-12-31",
                                                 "process_id": "ch4_police"})
    assert r.status_code == 200, r.text
    return [row for row in r.json()["items"] if row["agency"] == "police"]


def _counted(row):
    return row["on_time"] + row["late"] + row["open_overdue"] + row["pending"] + row["cancelled"]


def test_one_acknowledgement_deadline_is_counted_once_under_the_notices_clause(owner, make_user, run_due):
    deploy_fixture(owner, "reporter")
    police_bpmn = (ROOT / "processes" / "ch4-police.bpmn").read_bytes()
    assert owner.post("/process-models", files=[("file", ("ch4-police.bpmn", police_bpmn, "application/xml"))]
                      ).status_code == 201
    police = make_user("inspector", "police", "staff")
    auditor = make_user("aud", None, "auditor")
    case_id = police.post("/process-instances", json={"process_id": "reporter",
                                                      "data": {"received_at": RECEIVED.isoformat()}}).json()["case_id"]
    _notify_police(make_user, case_id, "P8.4")
    run_due(RECEIVED + timedelta(minutes=1))
    acks = [t for t in police.get("/tasks", params={"case": case_id}).json()["items"] if t["bpmn_id"] == "ack_notice"]
    assert len(acks) == 1 and {"P4.c", "P8.4", "P13.3", "P14.1", "P4.b"} <= set(acks[0]["clauses"])

    rows = _police_rows(auditor)
    assert [(r["clause"], _counted(r)) for r in rows] == [("P8.4", 1)], rows
    assert rows[0]["deadline"] == "незамедлительно"

    # the acknowledgement kept: on time, still once
    assert police.post(f"/tasks/{acks[0]['id']}/complete",
                       json={"data": {"acknowledged": True, "acknowledged_by": "Сержант Ахметов",
                                         "already_in_work": False}}).status_code == 200
    rows = _police_rows(auditor)
    assert [(r["clause"], r["on_time"], r["counted"]) for r in rows] == [("P8.4", 1, 1)], rows


def test_a_notice_under_a_clause_with_another_kind_of_deadline_counts_under_the_timers_own_clause(
        owner, make_user, run_due):
    deploy_fixture(owner, "reporter")
    police_bpmn = (ROOT / "processes" / "ch4-police.bpmn").read_bytes()
    owner.post("/process-models", files=[("file", ("ch4-police.bpmn", police_bpmn, "application/xml"))])
    police = make_user("inspector", "police", "staff")
    auditor = make_user("aud", None, "auditor")
    case_id = police.post("/process-instances", json={"process_id": "reporter",
                                                      "data": {"received_at": RECEIVED.isoformat()}}).json()["case_id"]
    _notify_police(make_user, case_id, "P4.b")           # an assignment: "2 calendar days" is not a 1-hour window
    run_due(RECEIVED + timedelta(minutes=1))
    rows = _police_rows(auditor)
    assert [(r["clause"], _counted(r)) for r in rows] == [("P4.c", 1)], rows
