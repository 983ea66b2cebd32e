"""Crashes: a web worker and a worker killed (SIGKILL) in the middle of steps, then restarted.
Every step happened completely or not at all; what was due or queued is done after the restart."""
import os
import random
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
import requests

from checks import api_on, assert_consistent, snapshot
from support import deploy_fixture
from fleet import children, fleet, pg  # noqa: F401  (fixtures)
from test_concurrency import wait_until

# Other processes (web servers, workers) run here on the machine's clock: instants are built from now.
pytestmark = pytest.mark.real_clock


def _start_reports(api, n, received_at):
    with ThreadPoolExecutor(6) as pool:
        rs = list(pool.map(lambda _: api.post("/process-instances", json={
            "process_id": "reporter", "data": {"received_at": received_at.isoformat()}}), range(n)))
    assert all(r.status_code == 201 for r in rs), [r.text for r in rs if r.status_code != 201][:3]
    return [r.json() for r in rs]


def test_web_worker_killed_mid_request_leaves_whole_steps_only(app, owner, make_user, fleet):
    deploy_fixture(owner, "reporter")
    base, master = fleet.web(workers=2)
    staff = make_user("inspector", "police", "staff")
    _start_reports(staff, 60, datetime.now(timezone.utc))
    tasks = [t["id"] for t in staff.get("/tasks?limit=500").json()["items"]]
    assert len(tasks) == 60
    client = api_on(staff, base)
    interrupted, answered, stop = [], {}, threading.Event()

    def complete(task_id):
        try:
            r = client.post(f"/tasks/{task_id}/complete", json={"data": {"summary": "синяки на руках"}})
            answered[task_id] = r.status_code
        except requests.RequestException:
            interrupted.append(task_id)          # the worker died under this request: outcome unknown

    def killer():
        kills = 0
        while not stop.is_set() and kills < 3:
            time.sleep(0.25)
            pids = children(master.pid)
            if pids:
                os.kill(random.choice(pids), signal.SIGKILL)
                kills += 1

    k = threading.Thread(target=killer)
    k.start()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(complete, tasks))
    stop.set()
    k.join()
    assert interrupted, "no request was in flight when a web worker was killed; the test proved nothing"
    assert all(s in (200, 409, 503) for s in answered.values()), answered

    snap = snapshot(app)
    assert_consistent(snap)                  # no half step: chains, projections and events agree
    wait_until(lambda: len(children(master.pid)) == 2, timeout=20)   # gunicorn replaced the dead workers
    for task_id in interrupted + [t for t, s in answered.items() if s == 503]:
        r = client.post(f"/tasks/{task_id}/complete", json={"data": {"summary": "синяки на руках"}})
        done_before = snap["tasks"][task_id]["state"] == "completed"
        assert r.status_code == (409 if done_before else 200), (task_id, r.status_code, r.text)
    final = snapshot(app)
    assert_consistent(final)
    assert all(final["tasks"][t]["state"] == "completed" for t in tasks)
    assert sum(s["types"]["task_completed"] for s in final["instances"].values()) == len(tasks)
    assert len(final["messages"]) == len(tasks)      # one notification each, none lost, none doubled


def test_worker_killed_mid_round_and_restarted_fires_and_routes_everything_once(app, owner, make_user, fleet):
    deploy_fixture(owner, "reporter")
    deploy_fixture(owner, "waiter", forms=("fixture-ack.json",))
    staff = make_user("inspector", "police", "staff")
    doctor = make_user("doctor", "health", "staff")
    gateway = make_user("clinic-gateway", "health", "integration")    # replies from outside
    n_timers, n_waiters = 80, 30
    began = time.monotonic()
    waiters = [doctor.post("/process-instances", json={"process_id": "waiter", "data": {}}).json()
               for _ in range(n_waiters)]
    per_start = (time.monotonic() - began) / n_waiters
    for w in waiters:
        assert gateway.post("/messages", json={"name": "reply", "correlation": {"case_id": w["case_id"]},
                                              "payload": {}}).status_code == 202
    # due a little after the starts end, all together (a timer already past at start fires within the start
    # itself): the margin grows with what a start takes here, so a loaded machine waits longer
    margin = max(4.0, 2 * per_start * n_timers)
    due = datetime.now(timezone.utc) + timedelta(seconds=margin)
    _start_reports(staff, n_timers, due - timedelta(hours=1))

    def fired():
        from sqlalchemy import func, select
        from app.events.models import Event
        from app.extensions import db
        with app.app_context():
            try:
                return db.session.scalar(select(func.count()).where(Event.type == "timer_fired"))
            finally:
                db.session.remove()

    victim = fleet.worker()
    assert fired() == 0
    # the timers fall due ``margin`` after the starts began, which on a loaded machine is itself tens of seconds
    wait_until(lambda: fired() >= 3, timeout=margin + 30, every=0.01)
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait()
    snap = snapshot(app)
    assert_consistent(snap)
    partial = sum(s["types"]["timer_fired"] for s in snap["instances"].values())
    assert partial < n_timers, "the worker finished before it was killed; nothing was interrupted"

    fleet.worker(), fleet.worker()
    wait_until(lambda: fired() == n_timers and all(m["status"] == "delivered" for m in snapshot(app)["messages"]),
               timeout=45)
    time.sleep(0.3)
    final = snapshot(app)
    assert_consistent(final)
    reports = [s for s in final["instances"].values() if s["process_id"] == "reporter"]
    assert all(s["types"]["timer_fired"] == 1 and s["types"]["overdue"] == 1 for s in reports)
    assert all(s["types"]["message_delivered"] == 1 for s in final["instances"].values() if s["process_id"] == "waiter")
