"""How many SQL statements one task completion over HTTP costs (issue 16): the hot path's round trips,
pinned so that they do not creep back up. Counted with a SQLAlchemy ``before_cursor_execute`` listener on
the app's own engine around one POST /tasks/{id}/complete on the real server (SQLite, or PostgreSQL when
DATABASE_URL says so: run both)."""
from __future__ import annotations

import os
import threading
import traceback
from contextlib import contextmanager

from sqlalchemy import event

from support import deploy_fixture

# Before issue 16's work: 21 statements on SQLite, 20 on PostgreSQL (2026-12-02: completing the second task of
# the fixture `linear` process; SQLite inserts its two events one by one, PostgreSQL in one statement).
# Then 8 on both: the token's user; one query for the task, its instance's open tasks, instance, case, version
# hash and notified agencies; the organisations routing picks from; the agency's users with an address (e-mail);
# one INSERT of the events; the instance's UPDATE (lock_version); the task's UPDATE; the new task's INSERT.
# Now 6: the organisations and the users with an address are remembered per process for two seconds
# (organisations/directory.py, notify/recipients.py), as the calendar's days were already.
# Now 5: the bearer token's caller is remembered too (users/callers.py), so a request reads no user row.
# QAMQOR_SHOW_STATEMENTS=1 prints them, =stacks with the code that runs each.
MAX_STATEMENTS = 5


@contextmanager
def counted(app):
    """The statements the app's engine runs while the block runs (every thread: the server's too)."""
    from app.extensions import db
    statements, lock = [], threading.Lock()

    def note(conn, cursor, statement, parameters, context, executemany):
        with lock:
            line = statement.split("\n")[0][:160]
            if os.environ.get("QAMQOR_SHOW_STATEMENTS") == "stacks":      # where each one comes from
                line += "".join(f"\n      {f.filename.split('/app/')[-1]}:{f.lineno} {f.name}"
                                for f in traceback.extract_stack() if "/app/" in f.filename)
            statements.append(line)
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)


def _second_task(owner, police):
    r = deploy_fixture(owner, "linear", forms=("fixture-ack.json",))
    assert r.status_code == 201, r.text
    r = police.post("/process-instances", json={"process_id": "linear", "data": {"received_at": "2026-12-01T09:00:00+05:00"}})
    assert r.status_code == 201, r.text
    first = police.get("/tasks").json()["items"][0]
    r = police.post(f"/tasks/{first['id']}/complete", json={"data": {"note": "первый"}})
    assert r.status_code == 200, r.text
    (second,) = r.json()["next_tasks"]
    return second


def test_one_completion_costs_a_bounded_number_of_statements(app, owner, make_user, monkeypatch):
    # what the process remembers for a couple of seconds (the calendar's days, the organisations routing picks from,
    # who has an e-mail address) is counted warm, as in a busy service: on a loaded machine the seconds between the
    # warming request and the counted one could otherwise run out and add their reads back
    from app.instances import environment
    from app.notify import recipients
    from app.organisations import directory
    from app.users import callers
    for module, name in ((environment, "OVERRIDES_FRESH_SECONDS"), (directory, "FRESH_SECONDS"),
                         (recipients, "FRESH_SECONDS"), (callers, "FRESH_SECONDS")):
        monkeypatch.setattr(module, name, 3600.0)
    police = make_user("inspector", "police", "staff")
    second = _second_task(owner, police)
    police.get("/tasks")                       # warm: the version's spec, the calendar rows, the pool
    with counted(app) as statements:
        r = police.post(f"/tasks/{second['id']}/complete", json={"data": {"note": "второй"}})
    assert r.status_code == 200, r.text
    assert [t["bpmn_id"] for t in r.json()["next_tasks"]] == ["t3"]
    if os.environ.get("QAMQOR_SHOW_STATEMENTS"):
        print(f"\n{len(statements)} statements:\n" + "\n".join(statements))
    assert len(statements) <= MAX_STATEMENTS, "\n".join(statements)
    # the step really happened: its events, the task projection and the instance's chain
    inst = police.get(f"/process-instances/{second['instance_id']}").json()
    assert [t["bpmn_id"] for t in inst["tasks"]] == ["t3"]
