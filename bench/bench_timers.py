"""Timer lateness: 10,000 deadlines coming due within one minute, fired by two `flask worker run`
processes (default poll 0.2 s) on PostgreSQL. Target: p99 lateness under 1 s.

Lateness is the moment the worker wrote the `timer_fired` event (PostgreSQL's clock_timestamp(),
recorded by a trigger in this scratch database only) minus the deadline. The worker's hourly
audit anchor is taken before the run, as in steady state.
"""
from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from . import floor
from ._support import fleet, make_app, pct, scratch_database, seed_reports, setup_world

N = int(os.environ.get("BENCH_TIMERS", 10_000))
WINDOW = 60.0
PLACEHOLDER_RECEIVED = "2030-01-02T09:00:00+05:00"      # its deadline string is rewritten per instance below
PLACEHOLDER_DUE = "2030-01-02T10:00:00+05:00"


def _prepare(app, start: datetime) -> None:
    """Spread the N deadlines evenly over [start, start + WINDOW), and record when each one fires."""
    from app.extensions import db
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(sa.text("""
                WITH numbered AS (
                    SELECT id, (row_number() OVER (ORDER BY id) - 1) AS k FROM process_instances
                    WHERE next_timer_at IS NOT NULL),
                due AS (SELECT id, CAST(:start AS timestamptz) + make_interval(secs => k * :step) AS at FROM numbered)
                UPDATE process_instances p SET next_timer_at = due.at,
                    state = replace(p.state, :placeholder,
                                    to_char(due.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'))
                FROM due WHERE p.id = due.id"""), {"start": start, "step": WINDOW / N, "placeholder": PLACEHOLDER_DUE})
            conn.execute(sa.text("CREATE TABLE bench_due AS SELECT id, next_timer_at AS due FROM process_instances "
                                 "WHERE next_timer_at IS NOT NULL"))
            conn.execute(sa.text("CREATE TABLE bench_fired (instance_id varchar(36), at timestamptz)"))
            conn.execute(sa.text("""
                CREATE FUNCTION bench_fired_at() RETURNS trigger AS $$
                BEGIN INSERT INTO bench_fired VALUES (NEW.instance_id, clock_timestamp()); RETURN NEW; END
                $$ LANGUAGE plpgsql"""))
            conn.execute(sa.text("CREATE TRIGGER bench_fired AFTER INSERT ON events FOR EACH ROW "
                                 "WHEN (NEW.type = 'timer_fired') EXECUTE FUNCTION bench_fired_at()"))
            conn.execute(sa.text("ANALYZE"))
        try:
            from app.audit.anchors import create_anchor
            create_anchor(db.session)
        except ImportError:
            pass
        db.session.remove()


def _fired(app) -> int:
    from app.extensions import db
    with app.app_context():
        with db.engine.connect() as conn:
            return conn.scalar(sa.text("SELECT count(DISTINCT instance_id) FROM bench_fired"))


def run() -> list[dict]:
    engine = floor.measure(200)
    with scratch_database() as url:
        app = make_app(url)
        setup_world(app)
        seed_reports(app, N, received_at=PLACEHOLDER_RECEIVED)
        start = datetime.now(timezone.utc) + timedelta(seconds=6)
        _prepare(app, start)
        with fleet(url) as f:
            f.worker(), f.worker()
            deadline = time.monotonic() + 6 + WINDOW + 120
            while time.monotonic() < deadline and _fired(app) < N + 1:
                time.sleep(1)
                if datetime.now(timezone.utc) > start + timedelta(seconds=WINDOW) and _fired(app) >= N + 1:
                    break
        from app.extensions import db
        with app.app_context():
            with db.engine.connect() as conn:
                pairs = conn.execute(sa.text("""
                    SELECT EXTRACT(EPOCH FROM (d.due - :start)), EXTRACT(EPOCH FROM (min(f.at) - d.due)) FROM bench_due d
                    LEFT JOIN bench_fired f ON f.instance_id = d.id GROUP BY d.id, d.due"""), {"start": start}).all()
                rows = [float(late) if late is not None else None for _, late in pairs]
                doubles = conn.scalar(sa.text("SELECT count(*) FROM (SELECT instance_id FROM bench_fired "
                                              "GROUP BY instance_id HAVING count(*) > 1) x"))
            db.session.remove()
            db.engine.dispose()
    lateness = [r for r in rows if r is not None]
    buckets = {}
    for offset, late in pairs:
        if late is not None and 0 <= offset < WINDOW:
            buckets.setdefault(int(float(offset) // 10) * 10, []).append(float(late))
    missing = len(rows) - len(lateness)
    p99 = pct(lateness, 99)
    return [
        {"name": f"timers fired ({N:,} due within {WINDOW:.0f} s, 2 workers)", "value": len(lateness), "unit": "timers",
         "note": f"{missing} not fired by the end of the run; {doubles} fired twice"},
        {"name": "timer lateness p50", "value": round(pct(lateness, 50), 3), "unit": "s", "note": ""},
        {"name": "timer lateness p99", "value": round(p99, 3), "unit": "s",
         "note": "target < 1 s: " + ("met" if p99 < 1 and not missing else "MISSED")},
        {"name": "timer lateness max", "value": round(max(lateness), 3) if lateness else None, "unit": "s", "note": ""},
        *[{"name": f"lateness p99 of deadlines due {b}-{b + 10} s into the minute", "value": round(pct(v, 99), 3),
           "unit": "s", "note": f"p50 {pct(v, 50):.3f} s"} for b, v in sorted(buckets.items())],
        {"name": "needed rate vs SpiffWorkflow's serialized step ceiling",
         "value": round((N / WINDOW) * engine["spiff_serialized"], 2), "unit": "cores",
         "note": f"{N / WINDOW:.0f} timers/s x {engine['spiff_serialized'] * 1000:.2f} ms"},
    ]
