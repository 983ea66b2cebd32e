"""The overseers' dashboard and the court PDF with 100,000 stored cases, the size issue 15 names (10,000 with
BENCH_QUICK=1, for a try-out; seeding 100,000 takes about two minutes, PostgreSQL). Half the cases' deadlines have passed, so every figure has work to do.

Both are measured in process through Flask's test client (the app and the database, no network):
``GET /api/v1/dashboard`` as the ministry's auditor sees it (the whole country, the worst case), as a
police supervisor does and as the ministry's committee (role overseer, the country) does, and one case's
``/audit/cases/{id}/history.pdf`` (WeasyPrint, PDF/A).
"""
from __future__ import annotations

import os
import re
from datetime import datetime, timedelta, timezone

from ._support import make_app, median, pct, scratch_database, seed_reports, setup_world, timed

SIZE = 10_000 if os.environ.get("BENCH_QUICK") == "1" else 100_000
CALLS = 20


def run() -> list[dict]:
    from app.extensions import db
    from app.users.service import create_user
    with scratch_database() as url:
        app = make_app(url)
        setup_world(app)
        now = datetime.now(timezone.utc)
        seed_reports(app, SIZE, received_at=now.isoformat(),
                     due_at_of=lambda i: now + timedelta(hours=-1 if i % 2 else 24))
        with app.app_context():
            _, auditor = create_user(db.session, username="ministry", agency=None, roles=["auditor"],
                                     password="bench-password-long")
            _, chief = create_user(db.session, username="police.chief", agency="police", roles=["supervisor"])
            _, committee = create_user(db.session, username="committee", agency="mes_committee", roles=["overseer"])
            from app.instances.models import Case
            case_id = db.session.query(Case.id).limit(1).scalar()
            db.session.remove()
        client = app.test_client()
        rows = []
        for who, token in (("auditor, the country", auditor), ("police supervisor", chief),
                           ("committee overseer, the country", committee)):
            def call(token=token):
                r = client.get("/api/v1/dashboard", headers={"Authorization": f"Bearer {token}"})
                assert r.status_code == 200, r.text[:200]
            call()
            lat = timed(call, CALLS)
            rows.append({"name": f"{SIZE:,} cases: GET /api/v1/dashboard, {who} (p95)",
                         "value": round(pct(lat, 95) * 1000, 1), "unit": "ms",
                         "note": f"median {median(lat) * 1000:.1f} ms, {CALLS} calls"})
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        client.post("/login", data={"username": "ministry", "password": "bench-password-long", "csrf_token": token})

        def pdf():
            r = client.get(f"/audit/cases/{case_id}/history.pdf")
            assert r.status_code == 200 and r.data.startswith(b"%PDF-"), r.status_code
        pdf()
        lat = timed(pdf, 10)
        rows.append({"name": f"{SIZE:,} cases: one case's court PDF (p95)", "value": round(pct(lat, 95) * 1000, 1),
                     "unit": "ms", "note": f"median {median(lat) * 1000:.1f} ms, WeasyPrint PDF/A-2u"})
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return rows
