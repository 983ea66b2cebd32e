"""The auditors' pages over real HTTP: list, replay with the verdict, court-file history,
compliance, access log; staff are turned away."""
import re

import requests
import sqlalchemy as sa

from tests.audit.scenario import scenario  # noqa: F401  (fixtures)
from support import signed_in

PASSWORD = "audit-pages-password"


def _signed_in(server, username):
    return signed_in(server, username, PASSWORD)


def test_an_auditor_finds_a_case_replays_it_and_prints_its_history(scenario, make_user, server, app):
    make_user("court.clerk", None, "auditor", password=PASSWORD)
    s = _signed_in(server, "court.clerk")
    listing = s.get(server + f"/audit/?registration_number={scenario.registration_number}&agency=police")
    assert listing.status_code == 200
    assert listing.text.count("data-instance=") == 1 and scenario.police_instance in listing.text
    assert "нарушен срок" in listing.text
    bad = s.get(server + "/audit/?since=31.12.2026")
    assert bad.status_code == 200 and "дата в виде ГГГГ-ММ-ДД" in bad.text and 'aria-invalid="true"' in bad.text

    page = s.get(server + f"/audit/instances/{scenario.police_instance}?step=3")
    assert page.status_code == 200
    assert "Проверено повторным исполнением" in page.text
    assert 'data-active="report"' in page.text and 'value="3"' in page.text
    assert "Поставлена задача" in page.text          # the case page's word for task_ready

    court = s.get(server + f"/audit/instances/{scenario.police_instance}/history")
    assert court.status_code == 200 and f"по делу № {scenario.registration_number}" in court.text
    assert "с нарушением срока" in court.text and "Журнал проверен" in court.text
    assert "@media print" in s.get(server + "/audit/static/audit.css").text

    report = s.get(server + "/audit/compliance")
    assert report.status_code == 200 and 'data-clause="P4.a" data-agency="police"' in report.text
    csv = s.get(server + re.search(r'id="csv" href="([^"]+)"', report.text).group(1).replace("&amp;", "&"))
    assert csv.status_code == 200 and csv.text.startswith("clause,deadline,agency")

    log = s.get(server + "/audit/access-log?username=court.clerk")
    assert log.status_code == 200 and "воспроизведение" in log.text and "история для суда" in log.text

    # The same pages in English, the Guide's deadlines included.
    token = re.search(r'name="csrf_token" value="([^"]+)"', log.text).group(1)
    english = s.post(server + "/lang", data={"lang": "en", "next": "/audit/compliance", "csrf_token": token})
    assert "1 рабочий день" in report.text and "1 working day" in english.text and "рабочий" not in english.text
    court = s.get(server + f"/audit/instances/{scenario.police_instance}/history").text
    assert f"for case No. {scenario.registration_number}" in court and "late" in court and "Log checked" in court
    s.post(server + "/lang", data={"lang": "ru", "next": "/audit/", "csrf_token": token})

    # Tampering shows on the page as the first divergence.
    from app.extensions import db
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE events SET actor = 'x' WHERE instance_id = :i AND seq = 4"),
                     {"i": scenario.police_instance})
    page = s.get(server + f"/audit/instances/{scenario.police_instance}")
    assert "Расхождение в событии 4 (цепочка хешей)" in page.text


def test_staff_and_strangers_are_turned_away(scenario, make_user, server):
    make_user("desk", "police", "staff", password=PASSWORD)
    s = _signed_in(server, "desk")
    for path in ("/audit/", f"/audit/instances/{scenario.police_instance}", "/audit/compliance", "/audit/access-log"):
        r = s.get(server + path)
        assert r.status_code == 403 and "для аудиторов" in r.text, path
    stranger = requests.get(server + "/audit/", allow_redirects=False)
    assert stranger.status_code == 302 and stranger.headers["Location"].startswith("/login")
    make_user("root", None, "admin", password=PASSWORD)
    admin = _signed_in(server, "root")
    assert admin.get(server + "/audit/").status_code == 200
    assert admin.get(server + "/audit/access-log").status_code == 403        # the access log is the auditors'
