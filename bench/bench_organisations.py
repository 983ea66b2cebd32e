"""Inbox and case as one organisation sees them, when the cases are spread over 200 organisations: 10,000
stored cases by default, 100,000 with BENCH_FULL=1 (PostgreSQL, issue 11).

Cases are cloned from a real one (``seed_reports``), then each case's open police task is routed to one of
200 police units and the unit recorded as the case's participant, as routing does. A staff member of one unit
reads ``GET /api/v1/tasks?limit=50`` (its inbox: 1/200 of the work) and ``GET /api/v1/cases/{id}`` (the case
page's twin, access checked against the recorded participants), in process through Flask's test client.
"""
from __future__ import annotations

from datetime import datetime, timezone

from ._support import FULL, make_app, median, pct, scratch_database, seed_reports, setup_world, timed

SIZE = 100_000 if FULL else 10_000
UNITS = 200
CALLS = 50


def run() -> list[dict]:
    import sqlalchemy as sa
    from app.extensions import db
    from app.organisations.service import create
    from app.users.service import create_user
    with scratch_database() as url:
        app = make_app(url)
        setup_world(app)
        seed_reports(app, SIZE, received_at=datetime.now(timezone.utc).isoformat())
        with app.app_context():
            for n in range(UNITS):
                create(db.session, code=f"police.{n:03d}", agency="police", name_ru=f"ОП {n}", serves=["190000000"],
                       commit=False)
            db.session.commit()
            db.session.execute(sa.text(
                "UPDATE tasks SET organisation = 'police.' || lpad((abs(hashtext(case_id)) % :units)::text, 3, '0')"),
                {"units": UNITS})
            db.session.execute(sa.text("INSERT INTO case_participants (case_id, organisation) "
                                       "SELECT DISTINCT case_id, organisation FROM tasks WHERE organisation IS NOT NULL"))
            db.session.commit()
            db.session.execute(sa.text("ANALYZE"))
            user, token = create_user(db.session, username="unit.staff", agency="police", roles=["staff"])
            user.organisation = "police.007"
            db.session.commit()
            case_id = db.session.scalar(sa.text("SELECT case_id FROM case_participants "
                                                "WHERE organisation = 'police.007' LIMIT 1"))
            mine = db.session.scalar(sa.text("SELECT count(*) FROM tasks WHERE organisation = 'police.007'"))
            db.session.remove()
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        rows = []
        for label, path in ((f"inbox GET /api/v1/tasks?limit=50 ({mine} tasks of the unit)", "/api/v1/tasks?limit=50"),
                            ("case GET /api/v1/cases/{id}", f"/api/v1/cases/{case_id}")):
            def call(path=path):
                r = client.get(path, headers=headers)
                assert r.status_code == 200, r.get_data(as_text=True)[:200]
            call()
            lat = timed(call, CALLS)
            rows.append({"name": f"{SIZE:,} cases over {UNITS} organisations: {label} (median)",
                         "value": round(median(lat) * 1000, 2), "unit": "ms",
                         "note": f"p95 {pct(lat, 95) * 1000:.1f} ms, {CALLS} calls, in process"})
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return rows
