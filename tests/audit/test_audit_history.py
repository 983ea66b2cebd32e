"""The printable history for court: data readable as labelled fields (Cyrillic as letters, not \\u escapes),
and an anchor claimed only for the events it really took in."""
import re


from support import deploy_fixture, signed_in

PASSWORD = "audit-history-password"
RECEIVED = "2026-12-01T09:00:00+05:00"


def _signed_in(server, username):
    return signed_in(server, username, PASSWORD)


def _anchor(app):
    from app.audit.anchors import create_anchor
    from app.extensions import db
    with app.app_context():
        try:
            return create_anchor(db.session).id
        finally:
            db.session.remove()


def _verdict(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", re.search(r'id="verdict">(.*?)</p>', html, re.S).group(1)))


def _data_cells(html: str) -> list[str]:
    log = html.split('id="events"', 1)[1]
    return re.findall(r'<dl class="event-data">(.*?)</dl>', log, re.S)


def test_the_court_history_claims_only_the_anchors_that_took_the_log_in(owner, make_user, server, app):
    deploy_fixture(owner, "reporter")
    first = _anchor(app)                                     # taken before the case existed: covers nothing of it
    police = make_user("inspector", "police", "staff")
    make_user("court.clerk", None, "auditor", password=PASSWORD)
    started = police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}})
    instance = started.json()["id"]
    s = _signed_in(server, "court.clerk")
    page = s.get(f"{server}/audit/instances/{instance}/history").text
    verdict = _verdict(page)
    assert "Журнал проверен" in verdict and "якорем" not in verdict, verdict
    assert "Ни один якорь ещё не включает этот журнал" in verdict
    assert f"№ {first}" not in verdict

    second = _anchor(app)
    events = police.get(f"/process-instances/{instance}/events").json()["items"]
    anchored = events[-1]["seq"]
    verdict = _verdict(s.get(f"{server}/audit/instances/{instance}/history").text)
    assert f"события с 1 по {anchored} совпадают с якорем № {second}" in verdict, verdict
    assert "записаны после этого якоря" not in verdict

    task = police.get("/tasks").json()["items"][0]
    assert police.post(f"/tasks/{task['id']}/claim").status_code == 200     # a step after the anchor
    last = police.get(f"/process-instances/{instance}/events").json()["items"][-1]["seq"]
    verdict = _verdict(s.get(f"{server}/audit/instances/{instance}/history").text)
    assert f"события с 1 по {anchored} совпадают с якорем № {second}" in verdict
    assert f"События с {anchored + 1} по {last} записаны после этого якоря" in verdict, verdict


def test_the_court_history_shows_data_as_labelled_readable_fields(owner, make_user, server):
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    make_user("court.clerk", None, "auditor", password=PASSWORD)
    instance = police.post("/process-instances", json={"process_id": "reporter",
                                                       "data": {"received_at": RECEIVED}}).json()["id"]
    task = police.get("/tasks").json()["items"][0]
    long_text = "Ушиб левого предплечья, " * 20
    assert police.post(f"/tasks/{task['id']}/complete",
                       json={"data": {"summary": long_text, "offence": True}}).status_code == 200
    clerk = _signed_in(server, "court.clerk")
    page = clerk.get(f"{server}/audit/instances/{instance}/history").text
    log = page.split('id="events"', 1)[1]
    assert "\\u0" not in log and "<pre>" not in log                       # no JSON escapes, no unwrapped dump
    cells = _data_cells(page)
    completed = next(c for c in cells if "Кратко" in c)
    assert "<dt>Кратко</dt><dd>Ушиб левого предплечья" in completed           # the form's title labels the field
    assert "<dt>Признаки правонарушения</dt><dd>да</dd>" in completed
    css = clerk.get(server + "/audit/static/audit.css").text
    assert re.search(r"\.event-data dd \{[^}]*overflow-wrap: anywhere", css)  # a long value wraps in its column
