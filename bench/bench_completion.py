"""The cost of one task completion through HTTP beside SpiffWorkflow's own step, in one run.

One client completes `report` tasks one after another over HTTP (gunicorn, one web process,
PostgreSQL): the median latency is the service's cost per completion. The same run measures
SpiffWorkflow's step in memory and with its own serializer (the floor); the target is the
service within 3x of the floor.
"""
from __future__ import annotations

from datetime import datetime, timezone

from . import floor
from ._support import complete_body, drive, fleet, make_app, median, pct, ready_tasks, scratch_database, \
    seed_reports, setup_world

N = 400


def run() -> list[dict]:
    engine = floor.measure()
    with scratch_database() as url:
        app = make_app(url)
        tokens = setup_world(app)
        seed_reports(app, 1000, received_at=datetime.now(timezone.utc).isoformat())
        tasks = ready_tasks(app, N + 50)
        with fleet(url) as f:
            base = f.web(workers=1)
            drive(base, tokens["police.staff"], [("POST", f"/tasks/{t}/complete", complete_body()) for t in tasks[:50]], 1)
            lat, statuses, _ = drive(base, tokens["police.staff"],
                                     [("POST", f"/tasks/{t}/complete", complete_body()) for t in tasks[50:]], 1)
        assert set(statuses) == {200}, set(statuses)
        from app.extensions import db
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    http = median(lat)
    ratio = http / engine["spiff_serialized"]
    return floor.rows(engine) + [
        {"name": "task completion over HTTP, one client (median)", "value": round(http * 1000, 2), "unit": "ms",
         "note": f"gunicorn 1 process, PostgreSQL, {len(lat)} completions; p99 {pct(lat, 99) * 1000:.1f} ms"},
        {"name": "HTTP completion / SpiffWorkflow serialized step", "value": round(ratio, 2), "unit": "x",
         "note": "target <= 3x: " + ("met" if ratio <= 3 else "MISSED")},
    ]
