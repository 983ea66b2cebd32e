"""Every setting is declared once (app/config.py), documented in README, read from its variable, and
changes what it says: each one has a behaviour test, here or in the module named in BEHAVIOUR."""
import ast
import re
from datetime import timedelta

import pytest
import requests

from app.config import SETTINGS, Config, SettingError
from support import ROOT, deploy_fixture

PASSWORD = "correct horse battery"

# A value for each variable that differs from its default, and what the code then reads.
SAMPLES = {
    "DATABASE_URL": ("postgres://u@db.internal/qamqor", "postgresql+psycopg://u@db.internal/qamqor"),
    "SECRET_KEY": ("k" * 64, "k" * 64),
    "QAMQOR_MAX_UPLOAD_BYTES": ("2048", 2048),
    "QAMQOR_ACK_WINDOW_HOURS": ("0.5", 0.5),
    "QAMQOR_MESSAGE_TTL_HOURS": ("2", 2.0),
    "QAMQOR_WORKER_POLL_SECONDS": ("1.5", 1.5),
    "QAMQOR_PROXY_HOPS": ("1", 1),
    "QAMQOR_SCRIPT_TIME_LIMIT_SECONDS": ("3", 3.0),
    "QAMQOR_SCRIPT_MEMORY_MB": ("64", 64),
    "QAMQOR_AUDIT_ANCHOR_MINUTES": ("15", 15.0),
    "QAMQOR_SESSION_IDLE_MINUTES": ("5", 5.0),
    "QAMQOR_TOTP_ROLES": ("admin, auditor", frozenset({"admin", "auditor"})),
    "QAMQOR_INSECURE_COOKIES": ("1", True),
    "QAMQOR_REPORT_PROCESS": ("reporter", "reporter"),
    "QAMQOR_SMTP_URL": ("smtp://mail.internal:2525", "smtp://mail.internal:2525"),
    "QAMQOR_DUE_SOON_WORKING_DAYS": ("2", 2),
    "QAMQOR_DUE_SOON_SHARE": ("0.5", 0.5),
    "QAMQOR_BASE_URL": ("https://qamqor.gov.kz", "https://qamqor.gov.kz"),
    "QAMQOR_DOCUMENTS_DIR": ("/srv/qamqor/documents", "/srv/qamqor/documents"),
    "QAMQOR_DOCUMENT_MAX_BYTES": ("1024", 1024),
    "QAMQOR_DOCUMENTS_URL": ("s3://qamqor-documents/cases", "s3://qamqor-documents/cases"),
    "QAMQOR_S3_ENDPOINT": ("https://minio.internal:9000", "https://minio.internal:9000"),
    "QAMQOR_S3_SSE": ("AES256", "AES256"),
    "QAMQOR_S3_SSE_KMS_KEY_ID": ("alias/qamqor", "alias/qamqor"),
}

# Where each setting is shown to change what the service does.
BEHAVIOUR = {
    "DATABASE_URL": "tests/conftest.py::_database",       # the whole suite runs on the database it names
    "SECRET_KEY": "tests/test_settings.py::test_a_new_secret_key_invalidates_signed_cookies",
    "QAMQOR_MAX_UPLOAD_BYTES": "tests/test_settings.py::test_the_upload_limit_is_the_one_set",
    "QAMQOR_ACK_WINDOW_HOURS": "tests/test_settings.py::test_the_acknowledgement_window_sets_the_deadline",
    "QAMQOR_MESSAGE_TTL_HOURS": "tests/test_settings.py::test_a_message_nobody_waits_for_expires_after_its_ttl",
    "QAMQOR_WORKER_POLL_SECONDS": "tests/test_settings.py::test_the_worker_polls_and_anchors_as_set",
    "QAMQOR_PROXY_HOPS": "tests/security/test_login_throttle.py::test_behind_a_proxy_the_client_address_is_the_forwarded_one",
    "QAMQOR_SCRIPT_TIME_LIMIT_SECONDS": "tests/security/test_hostile_input.py::test_the_web_process_answers_others_while_a_hostile_script_runs",
    "QAMQOR_SCRIPT_MEMORY_MB": "tests/security/test_hostile_input.py::test_the_memory_setting_reaches_the_sandbox",
    "QAMQOR_AUDIT_ANCHOR_MINUTES": "tests/test_settings.py::test_the_worker_polls_and_anchors_as_set",
    "QAMQOR_SESSION_IDLE_MINUTES": "tests/security/test_sessions.py::test_the_idle_limit_is_a_setting",
    "QAMQOR_TOTP_ROLES": "tests/security/test_second_factor.py::test_roles_not_listed_sign_in_with_the_password_alone",
    "QAMQOR_INSECURE_COOKIES": "tests/test_settings.py::test_cookies_are_secure_unless_insecure_cookies_is_set",
    "QAMQOR_REPORT_PROCESS": "tests/test_settings.py::test_the_register_button_starts_the_report_process_set",
    "QAMQOR_SMTP_URL": "tests/notify/test_mail.py::test_the_worker_sends_through_the_smtp_url_set",
    "QAMQOR_DUE_SOON_WORKING_DAYS": "tests/notify/test_mail_due_soon.py::test_the_working_days_ahead_are_the_ones_set",
    "QAMQOR_DUE_SOON_SHARE": "tests/notify/test_mail_due_soon.py::test_the_share_of_time_left_is_the_one_set",
    "QAMQOR_BASE_URL": "tests/notify/test_mail.py::test_the_worker_sends_through_the_smtp_url_set",
    "QAMQOR_DOCUMENTS_DIR": "tests/documents/test_documents.py::test_files_are_stored_in_the_directory_set",
    "QAMQOR_DOCUMENT_MAX_BYTES": "tests/documents/test_documents.py::test_a_file_over_the_limit_is_refused_with_413",
    "QAMQOR_DOCUMENTS_URL": "tests/documents/test_s3_store.py::test_documents_go_to_the_bucket_set_encrypted_and_come_back_with_their_hash",
    "QAMQOR_S3_ENDPOINT": "tests/documents/test_s3_store.py::test_documents_go_to_the_bucket_set_encrypted_and_come_back_with_their_hash",
    "QAMQOR_S3_SSE": "tests/documents/test_s3_store.py::test_documents_go_to_the_bucket_set_encrypted_and_come_back_with_their_hash",
    "QAMQOR_S3_SSE_KMS_KEY_ID": "tests/documents/test_s3_store.py::test_a_kms_key_set_is_asked_for_each_document",
}


def test_every_variable_the_code_or_readme_names_is_declared_and_documented():
    declared = {s.env for s in SETTINGS}
    assert len(declared) == len(SETTINGS) and len({s.key for s in SETTINGS}) == len(SETTINGS)
    named = set()
    for path in [*(ROOT / "app").rglob("*.py"), *(ROOT / "app").rglob("*.html"), ROOT / "README.md", ROOT / "wsgi.py"]:
        if "vendor" not in path.parts:
            named |= set(re.findall(r"\bQAMQOR_[A-Z0-9_]+", path.read_text(encoding="utf-8")))
    assert named - declared == set(), "read or documented but not declared in app/config.py"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [s.env for s in SETTINGS if f"`{s.env}`" not in readme] == [], "declared but not in README"
    assert set(SAMPLES) == set(BEHAVIOUR) == declared


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.env)
def test_each_setting_is_read_from_its_variable(setting):
    text, expected = SAMPLES[setting.env]
    default = Config.load({})[setting.key]
    assert Config.load({setting.env: text})[setting.key] == expected != default


@pytest.mark.parametrize("env,text", [("QAMQOR_ACK_WINDOW_HOURS", "soon"), ("QAMQOR_SCRIPT_MEMORY_MB", "-5"),
                                      ("QAMQOR_PROXY_HOPS", "1.5"), ("QAMQOR_WORKER_POLL_SECONDS", "0"),
                                      ("QAMQOR_DUE_SOON_SHARE", "1"), ("QAMQOR_DUE_SOON_WORKING_DAYS", "0"),
                                      ("QAMQOR_DOCUMENTS_URL", "/srv/documents"), ("QAMQOR_S3_SSE", "yes"),
                                      ("QAMQOR_S3_ENDPOINT", "minio:9000")])
def test_a_value_that_cannot_be_used_stops_start_up_naming_the_variable(env, text):
    with pytest.raises(SettingError, match=env):
        Config.load({env: text})


@pytest.mark.parametrize("env", sorted(BEHAVIOUR))
def test_each_setting_has_a_behaviour_test(env):
    path, name = BEHAVIOUR[env].split("::")
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    functions = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    assert name in functions, f"{BEHAVIOUR[env]} is gone"
    key = next(s.key for s in SETTINGS if s.env == env)
    text = (ROOT / path).read_text(encoding="utf-8")
    # the test itself, or a fixture of its module that it asks for, sets the setting
    used = [functions[name]] + [functions[a.arg] for a in functions[name].args.args if a.arg in functions]
    sources = "".join(ast.get_source_segment(text, f) for f in used)
    assert key in sources or env in sources, f"{name} does not touch {key}"


# -- behaviour of the settings tested nowhere else ------------------------------------------------------------
def _sign_in(server, username):
    s = requests.Session()
    page = s.get(server + "/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = s.post(server + "/login", data={"username": username, "password": PASSWORD, "csrf_token": token},
               allow_redirects=False)
    assert r.status_code == 302, r.text[:300]
    return s, r


def test_a_new_secret_key_invalidates_signed_cookies(make_user, server, app, monkeypatch):
    make_user("inspector", "police", "staff", password=PASSWORD)
    browser, _ = _sign_in(server, "inspector")
    assert browser.get(server + "/inbox", allow_redirects=False).status_code == 200
    monkeypatch.setitem(app.config, "SECRET_KEY", "another-secret-" + "x" * 40)
    assert browser.get(server + "/inbox", allow_redirects=False).status_code == 302     # back to sign-in


def test_cookies_are_secure_unless_insecure_cookies_is_set(make_user, server, app, monkeypatch):
    make_user("inspector", "police", "staff", password=PASSWORD)
    assert Config.load({})["SESSION_COOKIE_SECURE"] is True
    assert Config.load({"QAMQOR_INSECURE_COOKIES": "1"})["SESSION_COOKIE_SECURE"] is False
    _, plain = _sign_in(server, "inspector")                     # the suite runs with INSECURE_COOKIES=1
    assert "secure" not in plain.headers["Set-Cookie"].lower()
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", Config.load({})["SESSION_COOKIE_SECURE"])
    secure = requests.get(server + "/login")                     # the CSRF session cookie, over plain HTTP
    assert "; secure" in secure.headers["Set-Cookie"].lower()


def test_the_upload_limit_is_the_one_set(owner, app, monkeypatch):
    body = (ROOT / "tests" / "fixtures" / "bpmn" / "reporter.bpmn").read_bytes()
    assert len(body) > 2048
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2048)
    refused = owner.post("/process-models", files=[("file", ("reporter.bpmn", body, "application/xml"))])
    assert refused.status_code == 413 and refused.headers["Content-Type"].startswith("application/problem+json")
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", Config.load({})["MAX_CONTENT_LENGTH"])
    assert deploy_fixture(owner, "reporter").status_code == 201


ACK_DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="defs_ack" targetNamespace="http://qamqor.kz/bpmn">
  <bpmn:process id="ack_window" name="Подтверждение" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="lane_police" name="Органы внутренних дел (ОВД)">
      <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>ack</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>late</bpmn:flowNodeRef><bpmn:flowNodeRef>done</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>late_end</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ack"/>
    <bpmn:userTask id="ack" name="Подтвердить получение"/>
    <bpmn:boundaryEvent id="late" attachedToRef="ack" cancelActivity="false"><bpmn:timerEventDefinition>
      <bpmn:timeDate xsi:type="bpmn:tFormalExpression">ack_deadline(received_at)</bpmn:timeDate>
    </bpmn:timerEventDefinition></bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="late" targetRef="late_end"/>
    <bpmn:endEvent id="late_end"/>
    <bpmn:sequenceFlow id="f3" sourceRef="ack" targetRef="done"/>
    <bpmn:endEvent id="done"/>
  </bpmn:process>
</bpmn:definitions>
"""


def test_the_acknowledgement_window_sets_the_deadline(owner, make_user, app, monkeypatch):
    from datetime import datetime
    assert owner.post("/process-models", files=[("file", ("ack.bpmn", ACK_DIAGRAM.encode(), "application/xml"))]
                      ).status_code == 201
    police = make_user("inspector", "police", "staff")
    received = "2026-12-01T09:00:00+05:00"

    def deadline():
        started = police.post("/process-instances", json={"process_id": "ack_window",
                                                          "data": {"received_at": received}}).json()
        task = next(t for t in police.get(f"/tasks?instance={started['id']}").json()["items"])
        return datetime.fromisoformat(task["due_at"]) - datetime.fromisoformat(received)

    assert deadline() == timedelta(hours=1)
    monkeypatch.setitem(app.config, "ACK_WINDOW_HOURS", 0.25)
    assert deadline() == timedelta(minutes=15)


def test_a_message_nobody_waits_for_expires_after_its_ttl(owner, make_user, run_due, app, monkeypatch, clock):
    from datetime import datetime, timezone
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    case = police.post("/process-instances", json={"process_id": "reporter", "data": {}}).json()["case_id"]
    register = make_user("police-register", "police", "integration")    # no lane throws "nobody_listens"
    monkeypatch.setitem(app.config, "MESSAGE_TTL_HOURS", 2.0)
    short = register.post("/messages", json={"name": "nobody_listens", "correlation": {"case_id": case},
                                           "payload": {}}).json()["id"]
    monkeypatch.setitem(app.config, "MESSAGE_TTL_HOURS", 720.0)
    long = register.post("/messages", json={"name": "nobody_listens", "correlation": {"case_id": case},
                                          "payload": {}}).json()["id"]
    run_due(datetime.now(timezone.utc))
    run_due(datetime.now(timezone.utc) + timedelta(hours=3))
    fate = {m["id"]: m["status"] for m in police.get(f"/messages?case_id={case}").json()["items"]}
    assert fate == {short: "expired", long: "waiting"}


def test_the_worker_polls_and_anchors_as_set(app, clock):
    from app.audit.models import Anchor
    from app.extensions import db
    from app.worker import run_loop
    slept = []
    config = {**app.config, "WORKER_POLL_SECONDS": 0.7, "AUDIT_ANCHOR_MINUTES": 10.0}
    with app.app_context():
        run_loop(config, rounds=3, sleep=slept.append)
        assert slept == [0.7, 0.7]
        assert db.session.query(Anchor).count() == 1              # one anchor per ten minutes
        clock.shift(timedelta(minutes=11))
        run_loop(config, rounds=1, sleep=slept.append)
        assert db.session.query(Anchor).count() == 2
        run_loop({**config, "AUDIT_ANCHOR_MINUTES": 60.0}, rounds=1, sleep=slept.append)
        clock.shift(timedelta(minutes=11))
        run_loop({**config, "AUDIT_ANCHOR_MINUTES": 60.0}, rounds=1, sleep=slept.append)
        assert db.session.query(Anchor).count() == 2               # the hourly worker waits
        db.session.remove()


def test_the_register_button_starts_the_report_process_set(owner, make_user, server, app, monkeypatch):
    deploy_fixture(owner, "reporter")
    make_user("inspector", "police", "staff", password=PASSWORD)
    browser, _ = _sign_in(server, "inspector")
    assert "top__report" not in browser.get(server + "/inbox").text       # chapter 1 is not deployed here
    monkeypatch.setitem(app.config, "REPORT_PROCESS", "reporter")
    inbox = browser.get(server + "/inbox").text
    assert "top__report" in inbox
    token = re.search(r'name="csrf_token" value="([^"]+)"', inbox).group(1)
    opened = browser.post(server + "/reports", data={"csrf_token": token}, allow_redirects=False)
    assert opened.status_code == 302
    form = browser.get(server + opened.headers["Location"].replace(server, "")).text
    assert "Опишите случай" in form                                       # the reporter's first task
