"""The worker anchors periodically; instances on old or migrated versions verify and replay on
the version they ran on at each step."""
from tests.audit.scenario import audit_cli  # noqa: F401  (fixture)
from tests.conftest import FIXTURES, deploy_fixture

REPORTER = (FIXTURES / "bpmn" / "reporter.bpmn").read_text()
RECEIVED = "2026-12-01T09:00:00+05:00"


def _upload(owner, xml):
    files = [("file", ("x.bpmn", xml.encode(), "application/xml"))]
    files += [("forms", (f, (FIXTURES / "forms" / f).read_bytes(), "application/json"))
              for f in ("fixture-report.json", "fixture-ack.json")]
    r = owner.post("/process-models", files=files)
    assert r.status_code == 201, r.text


def test_the_worker_anchors_once_per_period(app, owner, make_user, audit_cli):
    deploy_fixture(owner, "reporter")
    make_user("inspector", "police", "staff").post(
        "/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}})
    runner = app.test_cli_runner()
    for _ in range(2):
        assert runner.invoke(args=["worker", "run", "--once"]).exit_code == 0
    from app.audit.models import Anchor
    from app.extensions import db
    with app.app_context():
        anchors = db.session.query(Anchor).all()
        assert len(anchors) == 1 and anchors[0].instance_count == 1
    assert audit_cli("verify", "--all")[0] == 0


def test_an_instance_on_an_old_version_and_a_migrated_one_verify_and_replay(owner, make_user, audit_cli):
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    auditor = make_user("auditor", None, "auditor")
    old = police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}}).json()
    moved = police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}}).json()
    _upload(owner, REPORTER.replace('name="Описать случай"', 'name="Описать случай подробно"')
            .replace("add_hours(received_at, 1)", "add_hours(received_at, 2)"))
    r = owner.post(f"/process-instances/{moved['id']}/migrate", json={"to_version": 2})
    assert r.status_code == 200, r.text
    for instance in (old, moved):
        task = police.get(f"/tasks?instance={instance['id']}").json()["items"][0]
        assert police.post(f"/tasks/{task['id']}/complete", json={"data": {"summary": "сообщение"}}).status_code == 200

    code, output = audit_cli("verify", old["id"], moved["id"])
    assert code == 0, output

    first = auditor.get(f"/process-instances/{old['id']}/replay?step=1").json()
    assert first["version"]["version"] == 1                        # the old version's diagram, not the latest
    log = auditor.get(f"/process-instances/{moved['id']}/events").json()["items"]
    n = next(e["seq"] for e in log if e["type"] == "instance_migrated")
    before = auditor.get(f"/process-instances/{moved['id']}/replay?step={n - 1}").json()
    after = auditor.get(f"/process-instances/{moved['id']}/replay?step={n}").json()
    assert before["version"]["version"] == 1 and after["version"]["version"] == 2
    assert after["diagram_url"] != before["diagram_url"] and after["verified_to_here"] is True
    assert "Описать случай подробно" in auditor.get(after["diagram_url"].removeprefix("/api/v1")).text


def test_the_anchor_period_comes_from_the_environment():
    import os
    import subprocess
    import sys
    from pathlib import Path

    def period(**env):
        code = "from app.config import Config; print(Config.load()['AUDIT_ANCHOR_MINUTES'])"
        clean = {k: v for k, v in os.environ.items() if k != "QAMQOR_AUDIT_ANCHOR_MINUTES"}
        return subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True,
                              check=True, cwd=Path(__file__).resolve().parents[2]).stdout.strip()
    assert period() == "60.0"
    assert period(QAMQOR_AUDIT_ANCHOR_MINUTES="15") == "15.0"
