"""Cost per completion as stored instances grow: 1,000 and 10,000 by default, 100,000 with
BENCH_FULL=1. It must stay flat (target: at 100,000 within 1.2x of 1,000).

At each size one client completes tasks one after another over HTTP (gunicorn, one process,
PostgreSQL) and reads the inbox; every stored instance waits in the same agency's inbox, the
worst case for the inbox query. The medians are compared with the smallest size, and with
SpiffWorkflow's serialized step measured in the same run.
"""
from __future__ import annotations

from datetime import datetime, timezone

from . import floor
from ._support import FULL, complete_body, drive, fleet, make_app, median, pct, ready_tasks, scratch_database, \
    seed_reports, setup_world

SIZES = (1_000, 10_000, 100_000) if FULL else (1_000, 10_000)
N = 250


def run() -> list[dict]:
    engine = floor.measure(300)
    rows, cost, inbox = [], {}, {}
    with scratch_database() as url:
        app = make_app(url)
        tokens = setup_world(app)
        stored = 0
        for size in SIZES:
            seed_reports(app, size - stored, received_at=datetime.now(timezone.utc).isoformat(), start=stored)
            stored = size
            tasks = ready_tasks(app, N + 30)
            with fleet(url) as f:
                base = f.web(workers=1)
                token = tokens["police.staff"]
                drive(base, token, [("POST", f"/tasks/{t}/complete", complete_body()) for t in tasks[:30]], 1)
                lat, statuses, _ = drive(base, token, [("POST", f"/tasks/{t}/complete", complete_body())
                                                       for t in tasks[30:]], 1)
                assert set(statuses) == {200}, set(statuses)
                ilat, istat, _ = drive(base, token, [("GET", "/tasks?limit=50", None)] * 100, 1)
                assert set(istat) == {200}
            cost[size], inbox[size] = median(lat), median(ilat)
            rows += [
                {"name": f"{size:,} stored instances: completion over HTTP (median)", "value": round(cost[size] * 1000, 2),
                 "unit": "ms", "note": f"p99 {pct(lat, 99) * 1000:.1f} ms, {len(lat)} completions"},
                {"name": f"{size:,} stored instances: inbox GET /tasks?limit=50 (median)",
                 "value": round(inbox[size] * 1000, 2), "unit": "ms", "note": f"p99 {pct(ilat, 99) * 1000:.1f} ms"},
            ]
        from app.extensions import db
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    small, big = SIZES[0], SIZES[-1]
    ratio = cost[big] / cost[small]
    rows += [
        {"name": f"completion cost {big:,} / {small:,}", "value": round(ratio, 2), "unit": "x",
         "note": ("target <= 1.2x at 100,000: " + ("met" if ratio <= 1.2 else "MISSED")) if big == 100_000 else
         "BENCH_FULL=1 measures 100,000"},
        {"name": f"inbox cost {big:,} / {small:,}", "value": round(inbox[big] / inbox[small], 2), "unit": "x", "note": ""},
        {"name": f"completion at {big:,} / SpiffWorkflow serialized step", "value": round(cost[big] / engine["spiff_serialized"], 1),
         "unit": "x", "note": f"floor {engine['spiff_serialized'] * 1000:.2f} ms measured in this run"},
    ]
    return rows
