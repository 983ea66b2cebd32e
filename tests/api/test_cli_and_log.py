"""The operator's commands, and the event chain as an auditor would check it."""
import os
import subprocess
import sys

import requests

from support import ROOT, deploy_fixture


def _flask(database_url, *args):
    env = {**os.environ, "DATABASE_URL": database_url, "FLASK_APP": "wsgi.py", "SECRET_KEY": "x"}
    return subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_users_create_prints_a_working_token_last(database_url, server):
    done = _flask(database_url, "users", "create", "inspector", "--agency", "police", "--role", "staff",
                  "--password", "s3cret-passphrase")
    assert done.returncode == 0, done.stderr
    token = done.stdout.split()[-1]
    r = requests.get(server + "/api/v1/tasks", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert r.status_code == 200 and r.json() == {"items": []}
    refused = _flask(database_url, "users", "create", "x", "--agency", "mars", "--role", "staff")
    assert refused.returncode != 0 and "unknown agency" in refused.stderr


def test_run_due_command_fires_what_is_due_at_the_given_instant(owner, make_user, database_url):
    deploy_fixture(owner, "reporter")
    staff = make_user("inspector", "police", "staff")
    staff.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": "2026-12-01T09:00:00+05:00"}})
    early = _flask(database_url, "worker", "run-due", "--now", "2026-12-01T09:30:00+05:00")
    assert early.returncode == 0 and early.stdout.startswith("fired 0 ")
    due = _flask(database_url, "worker", "run-due", "--now", "2026-12-01T10:30:00+05:00")
    assert due.stdout.startswith("fired 1 ")
    naive = _flask(database_url, "worker", "run-due", "--now", "2026-12-01T10:30:00")
    assert naive.returncode != 0 and "time zone" in naive.stderr


def test_event_chain_links_every_step_and_starts_at_genesis(owner, make_user, app, run_due):
    from datetime import datetime
    from app.events.service import GENESIS, events_of, verify_chain
    from app.extensions import db
    from app.instances.models import ProcessInstance

    deploy_fixture(owner, "reporter")
    staff = make_user("inspector", "police", "staff")
    started = staff.post("/process-instances", json={"process_id": "reporter",
                                                     "data": {"received_at": "2026-12-01T09:00:00+05:00"}}).json()
    task_id = staff.get("/tasks").json()["items"][0]["id"]
    staff.post(f"/tasks/{task_id}/claim")
    run_due(datetime.fromisoformat("2026-12-01T11:00:00+05:00"))
    staff.post(f"/tasks/{task_id}/complete", json={"data": {"summary": "готово"}})
    events = staff.get(f"/process-instances/{started['id']}/events").json()["items"]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert events[0]["prev_hash"] == GENESIS and events[0]["type"] == "instance_started"
    assert all(b["prev_hash"] == a["hash"] for a, b in zip(events, events[1:]))
    assert {"task_claimed", "timer_fired", "overdue", "task_completed", "message_sent"} <= {e["type"] for e in events}
    with app.app_context():
        instance = db.session.get(ProcessInstance, started["id"])
        stored = events_of(db.session, instance.id)
        assert verify_chain(stored, last_seq=instance.last_seq, last_hash=instance.last_hash) is None
        stored[2].data = {"forged": True}            # in memory only: the check must notice
        assert verify_chain(stored).startswith("seq 3:")
        db.session.rollback()


def test_timers_that_came_due_while_the_worker_was_down_fire_at_its_next_start(owner, make_user, database_url):
    deploy_fixture(owner, "reporter")
    staff = make_user("inspector", "police", "staff")
    # received yesterday: its one-hour deadline passed while no worker ran
    started = staff.post("/process-instances", json={"process_id": "reporter",
                                                     "data": {"received_at": "2026-01-10T09:00:00+05:00"}}).json()
    done = _flask(database_url, "worker", "run", "--once")
    assert done.returncode == 0, done.stderr
    types = [e["type"] for e in staff.get(f"/process-instances/{started['id']}/events").json()["items"]]
    assert types.count("timer_fired") == 1 and "overdue" in types
