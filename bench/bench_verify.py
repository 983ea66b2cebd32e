"""Verification time per 1,000 events: the hash chain and anchors alone, and full re-execution.

Builds a throw-away SQLite database with cases of the fixture reporter process (start, a
deadline missed and escalated, the escalation and the report completed, a message sent), then
times ``verify_all`` both ways. Run with ``python -m bench`` (or this module's ``run()``).
"""
from __future__ import annotations

import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CASES = 80


def _build(session, settings) -> int:
    from sqlalchemy import func, select

    from app.events.models import Event
    from app.instances.models import Task
    from app.instances.service import complete_task, start_instance
    from app.registry.service import deploy
    from app.timers.service import fire_due_timers
    from app.users.service import create_user

    deploy(session, bpmn=(FIXTURES / "bpmn" / "reporter.bpmn").read_bytes(), forms={},
           forms_dir=str(FIXTURES / "forms"), deployed_by="bench")
    staff, _ = create_user(session, username="bench.staff", agency="police", roles=["staff"], password=None)
    chief, _ = create_user(session, username="bench.chief", agency="police", roles=["supervisor"], password=None)
    received = datetime.now(timezone.utc) - timedelta(hours=2)
    for _ in range(CASES):
        start_instance(session, process_id="reporter", data={"received_at": received.isoformat()}, user=staff,
                       settings=settings)
    fire_due_timers(session, now=datetime.now(timezone.utc), settings=settings)
    for task in session.scalars(select(Task).where(Task.state == "ready")).all():
        if task.bpmn_id == "escalate":
            complete_task(session, task_id=task.id, data={"note": "bench"}, user=chief, settings=settings)
        else:
            complete_task(session, task_id=task.id, data={"summary": "bench case"}, user=staff, settings=settings)
    return session.scalar(select(func.count(Event.id)))


def run() -> list[dict]:
    from flask_migrate import upgrade

    from app import create_app
    from app.audit.anchors import create_anchor
    from app.audit.verify import verify_all
    from app.extensions import db
    from app.instances.environment import Settings

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db", "TESTING": True,
                          "SECRET_KEY": "bench", "FORMS_DIR": str(FIXTURES / "forms")})
        with app.app_context():
            upgrade()
            settings = Settings.from_config(app.config)
            events = _build(db.session, settings)
            create_anchor(db.session)
            rows = []
            for name, full in (("audit verify --chain-only (hash chain + anchors)", False),
                               ("audit verify (chain + anchors + re-execution)", True)):
                db.session.remove()
                started = time.perf_counter()
                report = verify_all(db.session, settings=settings, reexecute_steps=full)
                elapsed = time.perf_counter() - started
                assert report.ok, report.lines()
                rows.append({"name": f"{name}, per 1,000 events ({events} events, {CASES} cases)",
                             "value": round(elapsed / events * 1000 * 1000, 1), "unit": "ms"})
            db.session.remove()
            db.engine.dispose()
    return rows


if __name__ == "__main__":
    for row in run():
        print(f"{row['name']}: {row['value']} {row['unit']}")
