"""The Guide's diagrams deployed as `make run` deploys them, and one staff member and one
supervisor per agency — the cast of the scenario tests."""
from __future__ import annotations

import pytest

from support import ROOT, at


@pytest.fixture
def guide(app):
    """Deploy every diagram of processes/ through the registry (as `flask processes deploy` does)."""
    from app.extensions import db
    from app.registry.service import deploy
    deployed = {}
    with app.app_context():
        for path in sorted((ROOT / "processes").glob("*.bpmn")):
            version, _ = deploy(db.session, bpmn=path.read_bytes(), forms={}, forms_dir=str(ROOT / "forms"),
                                deployed_by="test")
            deployed[version.process_id] = version.version
        db.session.remove()
    return deployed


class Agency:
    """Staff and supervisor of one agency, with helpers that read like what they do."""

    def __init__(self, staff, supervisor):
        self.staff, self.supervisor = staff, supervisor

    def tasks(self, case_id, who=None):
        api = who or self.staff
        return api.get("/tasks", params={"case": case_id}).json()["items"]

    def task(self, case_id, bpmn_id, who=None):
        found = [t for t in self.tasks(case_id, who) if t["bpmn_id"] == bpmn_id]
        assert found, f"no task {bpmn_id} for this agency; open: {[t['bpmn_id'] for t in self.tasks(case_id, who)]}"
        return found[0]

    def complete(self, case_id, bpmn_id, data, who=None):
        api = who or self.staff
        task = self.task(case_id, bpmn_id, who=api)
        r = api.post(f"/tasks/{task['id']}/complete", json={"data": data})
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture
def agencies(make_user):
    from app.agencies import AGENCIES
    return {a.code: Agency(make_user(f"{a.code}.staff", a.code, "staff"),
                           make_user(f"{a.code}.supervisor", a.code, "supervisor")) for a in AGENCIES}


class Case:
    """One child's case as the agencies see it through the API; `work` completes a task with a
    form filled from its schema plus what the scenario says."""

    def __init__(self, agencies, case_id, registration_number, run_due, now: str):
        self.agencies, self.id, self.registration_number, self._run_due = agencies, case_id, registration_number, run_due
        self.now = now

    def work(self, agency: str, bpmn_id: str, who: str = "staff", report_date=None, when: str | None = None,
             **answers):
        """Complete the agency's task at the scenario's current instant (or ``when``)."""
        from sample import data_for
        if when:
            self.now = when
        team = self.agencies[agency]
        api = getattr(team, who)
        task = team.task(self.id, bpmn_id, who=api)
        data = data_for(task["form"], report_date=report_date, **answers)
        r = api.post(f"/tasks/{task['id']}/complete", json={"data": data}, headers={"X-Test-Now": self.now})
        assert r.status_code == 200, r.text
        return r.json()

    def open_tasks(self, agency: str) -> list[str]:
        return sorted(t["bpmn_id"] for t in self.agencies[agency].tasks(self.id))

    def route(self, now: str):
        """The worker's round at ``now``: due timers fire, messages are delivered."""
        self.now = now
        return self._run_due(at(now))

    def instances(self, api) -> dict[str, list[dict]]:
        """process_id -> instances of this case, read through the audit list (auditor's API)."""
        items = api.get("/audit/instances", params={"case": self.id}).json()["items"]
        out: dict[str, list[dict]] = {}
        for item in items:
            out.setdefault(item["process_id"], []).append(item)
        return out


@pytest.fixture
def report(agencies, guide, run_due):
    """Register a report in chapter 1 as the given agency's staff; returns the Case."""
    def start(agency: str, received_at: str) -> Case:
        api = agencies[agency].staff
        r = api.post("/process-instances", json={"process_id": "ch1_identification",
                                                 "data": {"received_at": received_at}},
                     headers={"X-Test-Now": received_at})
        assert r.status_code == 201, r.text
        body = r.json()
        return Case(agencies, body["case_id"], body["registration_number"], run_due, received_at)
    return start
