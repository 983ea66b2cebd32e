"""Two gunicorn web workers and two `flask worker run` processes on one PostgreSQL database, with
many clients at once: completing tasks (each task raced by two clients), posting messages, and
deadline timers coming due together. Nothing is done twice, nothing is lost, every chain holds."""
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest

from checks import api_on, assert_consistent, snapshot
from fleet import fleet, pg  # noqa: F401  (fixtures)
from support import deploy_fixture

# Other processes (web servers, workers) run here on the machine's clock: instants are built from now.
pytestmark = pytest.mark.real_clock

N_REPORTS, N_OVERDUE, N_WAITERS = 24, 16, 16
IIN = "120315500127"


def _iso(dt):
    return dt.astimezone(timezone.utc).isoformat()


def wait_until(predicate, timeout=40, every=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError("timed out waiting")


def test_two_web_and_two_workers_do_everything_exactly_once(app, owner, make_user, fleet):
    for name, forms in (("reporter", ("fixture-report.json", "fixture-ack.json")),
                        ("receiver", ("fixture-ack.json",)), ("waiter", ("fixture-ack.json",))):
        assert deploy_fixture(owner, name, forms=forms).status_code == 201
    base, _ = fleet.web(workers=2)
    police = [api_on(make_user(f"police{i}", "police", "staff"), base) for i in range(4)]
    doctor = api_on(make_user("doctor", "health", "staff"), base)
    gateway = api_on(make_user("clinic-gateway", "health", "integration"), base)   # replies from outside
    now = datetime.now(timezone.utc)
    due = now + timedelta(seconds=3)         # all these deadlines come due together, while clients work

    with ThreadPoolExecutor(8) as pool:
        # reports whose deadline is an hour away (completed by people) and ones due in seconds (fired by workers)
        due_later = list(pool.map(lambda i: police[i % 4].post("/process-instances", json={
            "process_id": "reporter", "data": {"received_at": _iso(now), "iin": IIN}}), range(N_REPORTS)))
        overdue = list(pool.map(lambda i: police[i % 4].post("/process-instances", json={
            "process_id": "reporter", "data": {"received_at": _iso(due - timedelta(hours=1))}}), range(N_OVERDUE)))
        waiters = list(pool.map(lambda i: doctor.post("/process-instances", json={
            "process_id": "waiter", "data": {}}), range(N_WAITERS)))
    assert all(r.status_code == 201 for r in due_later + overdue + waiters)

    fleet.worker(), fleet.worker()       # both start while the overdue timers are already due
    tasks = [police[0].get(f"/tasks?instance={r.json()['id']}").json()["items"][0]["id"] for r in due_later]

    def complete(args):
        client, task_id = args
        return task_id, client.post(f"/tasks/{task_id}/complete",
                                    json={"data": {"summary": f"синяки, ИИН {IIN}"}}).status_code

    def post_reply(i):
        case_id = waiters[i].json()["case_id"]
        return gateway.post("/messages", json={"name": "reply", "correlation": {"case_id": case_id},
                                              "payload": {"n": i}}).status_code

    races = [(police[k], t) for t in tasks for k in (0, 1)]            # every task raced by two clients
    with ThreadPoolExecutor(12) as pool:
        replies = pool.map(post_reply, range(N_WAITERS))
        outcomes = list(pool.map(complete, races))
        assert set(replies) == {202}
    by_task = {}
    for task_id, status in outcomes:
        by_task.setdefault(task_id, []).append(status)
    assert all(sorted(s) == [200, 409] for s in by_task.values()), by_task

    def settled():
        snap = snapshot(app)
        messages = snap["messages"]
        receivers = [i for i in snap["instances"].values() if i["process_id"] == "receiver"]
        fired = sum(i["types"]["timer_fired"] for i in snap["instances"].values())
        done = (len(receivers) == N_REPORTS and fired >= N_OVERDUE
                and all(m["status"] == "delivered" for m in messages))
        return snap if done else None
    snap = wait_until(settled, timeout=45)
    time.sleep(0.5)                          # a double would show up after the first firing: look again
    snap = snapshot(app)

    assert_consistent(snap)
    reports = {i: s for i, s in snap["instances"].items() if s["process_id"] == "reporter"}
    late = [s for s in reports.values() if s["types"]["timer_fired"]]
    assert len(late) == N_OVERDUE and all(s["types"]["timer_fired"] == 1 and s["types"]["overdue"] == 1 for s in late)
    assert sum(s["types"]["task_completed"] for s in reports.values()) == N_REPORTS
    # one notification per completed report, each starting exactly one receiving instance in its case
    notified = [m for m in snap["messages"] if m["name"] == "case_notified"]
    assert len(notified) == N_REPORTS and all(len(m["delivered_to"]) == 1 for m in notified)
    receivers = [s for s in snap["instances"].values() if s["process_id"] == "receiver"]
    assert sorted(r["case_id"] for r in receivers) == sorted(m["case_id"] for m in notified)
    # every waiter got its reply, once
    waiting = [s for s in snap["instances"].values() if s["process_id"] == "waiter"]
    assert all(s["status"] == "running" and s["types"]["message_delivered"] == 1 for s in waiting)

    logs = fleet.log_text()
    assert "Traceback" not in logs, logs[-3000:]
    assert IIN not in logs
