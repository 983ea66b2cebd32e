"""The deadlines figure counts each task under the clause of its own version's step: the database groups the
tasks by chapter and step alone when every version agrees, and by version only where they differ."""
from datetime import timedelta

from support import FIXTURES

RECEIVED = "2026-12-01T09:00:00+05:00"


def _deploy(owner, bpmn: str):
    files = [("file", ("reporter.bpmn", bpmn.encode(), "application/xml"))]
    files += [("forms", (f, (FIXTURES / "forms" / f).read_bytes(), "application/json"))
              for f in ("fixture-report.json", "fixture-ack.json")]
    assert owner.post("/process-models", files=files).status_code == 201


def _reports(police, n):
    for _ in range(n):
        assert police.post("/process-instances", json={"process_id": "reporter",
                                                       "data": {"received_at": RECEIVED}}).status_code == 201


def test_a_step_whose_clause_changed_between_versions_counts_under_each_versions_clause(owner, make_user, clock):
    v1 = (FIXTURES / "bpmn" / "reporter.bpmn").read_text()
    v2 = v1.replace("P4.a — первичная информация", "P4.b — первичная информация").replace("P4.a — срок", "P4.b — срок")
    assert v2 != v1
    police = make_user("inspector", "police", "staff")
    chief = make_user("chief", "police", "supervisor")
    _deploy(owner, v1)
    _reports(police, 3)
    _deploy(owner, v2)
    _reports(police, 2)
    clock.shift(timedelta(hours=2))
    rows = chief.get("/dashboard").json()["figures"]["deadlines"]["rows"]
    assert rows == [["P4.a", "2026-12", 0, 3], ["P4.b", "2026-12", 0, 2]]
    narrowed = chief.get("/dashboard?until=2026-11-30").json()["figures"]["deadlines"]["rows"]
    assert narrowed == []


def test_a_step_with_the_same_clause_in_every_version_is_counted_once(owner, make_user, clock):
    v1 = (FIXTURES / "bpmn" / "reporter.bpmn").read_text()
    police = make_user("inspector", "police", "staff")
    chief = make_user("chief", "police", "supervisor")
    _deploy(owner, v1)
    _reports(police, 3)
    _deploy(owner, v1.replace("Описать случай", "Описать случай подробно"))
    _reports(police, 2)
    clock.shift(timedelta(hours=2))
    assert chief.get("/dashboard").json()["figures"]["deadlines"]["rows"] == [["P4.a", "2026-12", 0, 5]]
