"""The database goes away under load and comes back.

The shared PostgreSQL server cannot be stopped (other engineers' runs and CI use it), so the
outage is simulated: the service's processes reach PostgreSQL through a TCP relay started by this
test, and the test cuts it (every open connection dropped, new ones closed at once) and restores it.
To the service this is indistinguishable from the server going down and coming back.
"""
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
import requests

from checks import api_on, assert_consistent, snapshot
from support import deploy_fixture
from fleet import fleet, pg, proxy  # noqa: F401  (fixtures)
from test_concurrency import wait_until

# Other processes (web servers, workers) run here on the machine's clock: instants are built from now.
pytestmark = pytest.mark.real_clock


def test_outage_answers_503_problems_and_recovers_by_itself(app, owner, make_user, fleet, proxy, pg):
    deploy_fixture(owner, "reporter")
    staff = make_user("inspector", "police", "staff")
    for _ in range(30):
        assert staff.post("/process-instances", json={"process_id": "reporter", "data": {
            "received_at": datetime.now(timezone.utc).isoformat()}}).status_code == 201
    tasks = [t["id"] for t in staff.get("/tasks?limit=500").json()["items"]]
    via_relay = proxy.url(pg)
    base, _ = fleet.web(workers=2, database_url=via_relay)
    fleet.worker(database_url=via_relay)
    client = api_on(staff, base)
    # the worker is up and working through the relay before the outage begins
    soon = datetime.now(timezone.utc) + timedelta(seconds=1)
    first = staff.post("/process-instances", json={"process_id": "reporter", "data": {
        "received_at": (soon - timedelta(hours=1)).isoformat()}}).json()
    wait_until(lambda: snapshot(app)["instances"][first["id"]]["types"]["timer_fired"] == 1, timeout=30)

    phase = {"now": "before"}
    seen, stop = [], threading.Event()

    def load(i):
        k = 0
        while not stop.is_set():
            started = time.monotonic()
            if k % 2 and tasks:
                task_id = tasks.pop()
                r = client.post(f"/tasks/{task_id}/complete", json={"data": {"summary": "синяки на руках"}})
            else:
                r = client.get("/tasks")
            body = None
            if r.status_code >= 500:
                try:
                    body = r.json()
                except ValueError:
                    body = {"raw": r.text[:300]}
            seen.append((phase["now"], r.status_code, r.headers.get("Content-Type", ""), time.monotonic() - started,
                         body))
            k += 1

    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(load, i) for i in range(4)]
        time.sleep(1.0)
        phase["now"] = "down"
        proxy.cut()
        # a deadline comes due while the database is away (written directly, not through the relay)
        due = datetime.now(timezone.utc) + timedelta(seconds=1)
        late = staff.post("/process-instances", json={"process_id": "reporter", "data": {
            "received_at": (due - timedelta(hours=1)).isoformat()}}).json()
        time.sleep(2.5)
        phase["now"] = "back"
        proxy.restore()
        time.sleep(3.0)
        stop.set()
        for f in futures:
            f.result()

    before = [s for s in seen if s[0] == "before"]
    down = [s for s in seen if s[0] == "down"]
    assert before and all(s[1] in (200, 409) for s in before), before[:5]
    failures = [s for s in down if s[1] >= 500]
    assert failures, "no request reached the service while the database was away"
    for _, status, ctype, elapsed, body in failures:
        assert status == 503 and ctype.startswith("application/problem+json"), (status, body)
        assert body["status"] == 503 and "database" in body["detail"]
        assert elapsed < 5, f"an answer during the outage took {elapsed:.1f}s"
    assert all(s[1] in (200, 409, 503) for s in down)
    # back by itself: within a moment of the relay returning, every answer is a success again
    back = [s for s in seen if s[0] == "back"]
    first_ok = next(i for i, s in enumerate(back) if s[1] in (200, 409))
    assert all(s[1] in (200, 409) for s in back[first_ok:]), [s[:2] for s in back[first_ok:]][:10]
    assert sum(1 for s in back[first_ok:]) >= 10
    assert requests.get(base + "/api/v1/tasks", headers=client.http.headers, timeout=5).status_code == 200

    # the worker rode out the outage and fired the deadline that came due during it
    wait_until(lambda: snapshot(app)["instances"][late["id"]]["types"]["timer_fired"] == 1, timeout=20)
    snap = snapshot(app)
    assert_consistent(snap)
    logs = fleet.log_text()
    assert "worker round failed: OperationalError" in logs
