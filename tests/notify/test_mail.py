"""Staff are told of new work by e-mail: through a real SMTP server (aiosmtpd, started here), one message per
event and person, retried with back-off while the server is away, never twice, never with the child's data."""
import socket
from datetime import datetime, timedelta
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller

from support import deploy_fixture

RECEIVED = "2026-12-01T09:00:00+05:00"
CHILD = {"summary": "Асель Нурланова, ИИН 150101600123, синяки"}


class Inbox:
    def __init__(self):
        self.mails = []

    async def handle_DATA(self, server, session, envelope):
        msg = message_from_bytes(envelope.content)
        self.mails.append({"to": envelope.rcpt_tos, "subject": str(make_header(decode_header(msg["Subject"]))),
                           "body": msg.get_content() if hasattr(msg, "get_content") else
                           msg.get_payload(decode=True).decode(), "id": msg["Message-ID"]})
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    inbox.url = f"smtp://127.0.0.1:{controller.port}?from=qamqor@example.kz"
    inbox.controller = controller
    yield inbox
    controller.stop()


def _set_mail(app, username, email, preference="immediate"):
    from app.extensions import db
    from app.users.models import User
    with app.app_context():
        user = db.session.query(User).filter_by(username=username).one()
        user.email, user.mail_preference = email, preference
        db.session.commit()


def _send(app, url, *, now=None, base="https://qamqor.example.kz"):
    from app.extensions import db
    from app.notify.mailer import transport
    from app.notify.service import collect_digests, send_due
    from app.timeutil import utcnow
    with app.app_context():
        try:
            now = now or utcnow()
            collect_digests(db.session, now=now)
            return send_due(db.session, now=now, send=transport(url), base_url=base)
        finally:
            db.session.remove()


def _rows(app):
    from app.extensions import db
    from app.notify.models import OutgoingMail
    with app.app_context():
        try:
            return [(r.kind, r.status, r.attempts) for r in db.session.query(OutgoingMail).order_by(OutgoingMail.id)]
        finally:
            db.session.remove()


def test_a_new_task_reaches_its_agency_once_with_the_case_number_and_a_link_only(app, owner, make_user, smtp):
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    make_user("colleague", "police", "staff")
    make_user("teacher", "education_org", "staff")
    for name in ("inspector", "colleague", "teacher"):
        _set_mail(app, name, f"{name}@example.kz")
    started = police.post("/process-instances", json={"process_id": "reporter",
                                                      "data": {"received_at": RECEIVED, **CHILD}}).json()

    assert _send(app, smtp.url) == 2
    assert _send(app, smtp.url) == 0                                  # never twice
    assert sorted(m["to"][0] for m in smtp.mails) == ["colleague@example.kz", "inspector@example.kz"]
    mail = smtp.mails[0]
    number = started["registration_number"]
    assert number in mail["subject"] and "Новая задача" in mail["subject"]
    task_id = police.get("/tasks").json()["items"][0]["id"]
    assert f"https://qamqor.example.kz/tasks/{task_id}" in mail["body"]
    for text in ("Асель", "Нурланова", "150101600123"):
        assert text not in mail["body"] and text not in mail["subject"]


def test_escalations_and_notices_are_told_and_off_silences_only_what_is_not_urgent(app, owner, make_user,
                                                                                  run_due, smtp):
    deploy_fixture(owner, "reporter")
    deploy_fixture(owner, "receiver", forms=("fixture-ack.json",))
    police = make_user("inspector", "police", "staff")
    make_user("chief", "police", "supervisor")
    make_user("commission", "kdnzp", "staff")
    _set_mail(app, "inspector", "inspector@example.kz", "off")
    _set_mail(app, "chief", "chief@example.kz", "off")
    _set_mail(app, "commission", "commission@example.kz")
    police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}})
    assert _send(app, smtp.url) == 0                                  # both police users chose "off"

    run_due(datetime.fromisoformat("2026-12-01T10:00:01+05:00"))      # the deadline passes: escalation
    assert _send(app, smtp.url, now=datetime.fromisoformat("2026-12-01T10:00:02+05:00")) >= 1
    to_chief = [m for m in smtp.mails if m["to"] == ["chief@example.kz"]]
    assert [m["subject"] for m in to_chief if "Эскалация" in m["subject"]], "escalations ignore 'off'"

    task_id = police.get("/tasks").json()["items"][0]["id"]
    police.post(f"/tasks/{task_id}/complete", json={"data": {"summary": "сообщение"}})
    run_due(datetime.fromisoformat("2026-12-01T10:01:00+05:00"))      # the message starts the receiver's notice
    _send(app, smtp.url, now=datetime.fromisoformat("2026-12-01T10:01:01+05:00"))
    notices = [m for m in smtp.mails if m["to"] == ["commission@example.kz"]]
    assert len(notices) == 1 and "ждёт подтверждения" in notices[0]["subject"]


def test_a_server_that_is_away_is_retried_with_back_off_and_the_mail_goes_once(app, owner, make_user, smtp):
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    _set_mail(app, "inspector", "inspector@example.kz")
    police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}})
    t0 = datetime.fromisoformat("2026-12-01T09:01:00+05:00")
    nobody = f"smtp://127.0.0.1:{_free_port()}"                       # no server listens there
    assert _send(app, nobody, now=t0) == 0
    assert _rows(app) == [("task", "pending", 1)]
    assert _send(app, smtp.url, now=t0 + timedelta(seconds=30)) == 0  # not due yet: 1 minute after a failure
    assert _send(app, nobody, now=t0 + timedelta(minutes=1)) == 0
    assert _rows(app) == [("task", "pending", 2)]
    assert _send(app, smtp.url, now=t0 + timedelta(minutes=2)) == 0   # then 2 minutes
    assert _send(app, smtp.url, now=t0 + timedelta(minutes=3)) == 1
    assert _send(app, smtp.url, now=t0 + timedelta(hours=2)) == 0
    assert len(smtp.mails) == 1 and _rows(app) == [("task", "sent", 3)]


def test_a_daily_digest_gathers_the_day_in_one_mail_at_eight(app, owner, make_user, smtp):
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    _set_mail(app, "inspector", "inspector@example.kz", "digest")
    for _ in range(2):
        police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}})
    assert _send(app, smtp.url, now=datetime.fromisoformat("2026-12-02T07:59:00+05:00")) == 0
    assert _send(app, smtp.url, now=datetime.fromisoformat("2026-12-02T08:00:00+05:00")) == 1
    assert len(smtp.mails) == 1 and smtp.mails[0]["body"].count("/tasks/") == 2
    assert _send(app, smtp.url, now=datetime.fromisoformat("2026-12-03T08:00:00+05:00")) == 0


def test_the_worker_sends_through_the_smtp_url_set(app, owner, make_user, smtp):
    from app.worker import run_loop
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    _set_mail(app, "inspector", "inspector@example.kz")
    police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}})
    with app.app_context():
        run_loop({**app.config, "SMTP_URL": smtp.url, "BASE_URL": "https://q.example.kz"}, rounds=1,
                 sleep=lambda s: None, say=lambda *a: None)
    assert len(smtp.mails) == 1 and "https://q.example.kz/tasks/" in smtp.mails[0]["body"]


def test_without_an_smtp_url_the_worker_writes_mail_to_its_console(app, owner, make_user):
    from app.worker import run_loop
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    _set_mail(app, "inspector", "inspector@example.kz")
    police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}})
    said = []
    with app.app_context():
        run_loop({**app.config, "SMTP_URL": None}, rounds=1, sleep=lambda s: None, say=said.append)
    assert any("mail to inspector@example.kz" in line for line in said)
    assert _rows(app) == [("task", "sent", 1)]
