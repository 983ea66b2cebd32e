"""A deadline about to pass is told once, by e-mail, to the people who may work the task: found by the worker's
round (run_due), sent through a real SMTP server (aiosmtpd), worded in each reader's language, urgent (a
digest reader gets it at once), with the case number and a link only. The clock is the suite's pinned one
(2026-12-01T09:00:05+05:00, a Tuesday), moved with ``clock.shift``."""
from datetime import datetime, timedelta, timezone

from test_mail import CHILD, RECEIVED, _send, _set_mail, smtp  # noqa: F401  (the SMTP fixture)
from test_mail_language import _language

from support import deploy_fixture

NEAR = {"ru": "Qamqor: Срок истекает по делу № {}", "kk": "Qamqor: № {} іс бойынша мерзімнің өтуіне аз қалды",
        "en": "Qamqor: Deadline near in case No. {}"}


def _now():
    return datetime.now(timezone.utc)


def _warnings(app):
    from app.extensions import db
    from app.notify.models import OutgoingMail
    with app.app_context():
        try:
            return sorted((r.event_key.split(":")[0], r.address, r.status)
                          for r in db.session.query(OutgoingMail).filter(OutgoingMail.kind == "due_soon"))
        finally:
            db.session.remove()


def _start(police, received=RECEIVED):
    return police.post("/process-instances", json={"process_id": "reporter",
                                                   "data": {"received_at": received, **CHILD}}).json()


def test_a_near_deadline_is_told_once_in_each_reader_s_language_even_to_a_digest_reader(app, owner, make_user,
                                                                                        run_due, smtp, clock):  # noqa: F811
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    make_user("kazakh", "police", "staff")
    make_user("quiet", "police", "staff")
    make_user("teacher", "education_org", "staff")
    _set_mail(app, "inspector", "inspector@example.kz")
    _set_mail(app, "kazakh", "kazakh@example.kz", "digest")
    _set_mail(app, "quiet", "quiet@example.kz", "off")
    _set_mail(app, "teacher", "teacher@example.kz")
    _language(app, "kazakh", "kk")
    number = _start(police)["registration_number"]                  # the task is due at 10:00, an hour from now
    assert _send(app, smtp.url) == 1                                 # the new task, to the one "immediate" reader
    smtp.mails.clear()

    clock.shift(timedelta(minutes=30))                               # 09:30: half the hour left, not yet near
    run_due(_now())
    assert _warnings(app) == [] and _send(app, smtp.url) == 0

    clock.shift(timedelta(minutes=16))                               # 09:46: less than a quarter left
    run_due(_now())
    assert _send(app, smtp.url) == 3                                 # urgent: "digest" and "off" readers too
    by = {m["to"][0].split("@")[0]: m for m in smtp.mails}
    assert set(by) == {"inspector", "kazakh", "quiet"}               # not the school: not its task
    assert by["inspector"]["subject"] == NEAR["ru"].format(number)
    assert by["kazakh"]["subject"] == NEAR["kk"].format(number)
    task_id = police.get("/tasks").json()["items"][0]["id"]
    for mail in smtp.mails:
        assert f"https://qamqor.example.kz/tasks/{task_id}" in mail["body"] and "10:00" in mail["body"]
        for text in ("Асель", "Нурланова", "150101600123"):
            assert text not in mail["body"] and text not in mail["subject"]

    clock.shift(timedelta(minutes=5))                                # 09:51: another round, another look
    run_due(_now())
    assert _send(app, smtp.url) == 0 and len(_warnings(app)) == 3    # told once

    clock.shift(timedelta(minutes=10))                               # 10:01: missed; told as missed, not near
    run_due(_now())
    _send(app, smtp.url)
    assert len(_warnings(app)) == 3
    assert [m for m in smtp.mails[3:] if "Срок пропущен" in m["subject"]]


def test_a_finished_task_is_not_warned_of(app, owner, make_user, run_due, smtp, clock):  # noqa: F811
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    _set_mail(app, "inspector", "inspector@example.kz")
    _start(police)
    task_id = police.get("/tasks").json()["items"][0]["id"]
    assert police.post(f"/tasks/{task_id}/complete", json={"data": {"summary": "сообщение"}}).status_code == 200
    clock.shift(timedelta(minutes=50))
    run_due(_now())
    assert _warnings(app) == []


def test_the_share_of_time_left_is_the_one_set(app, owner, make_user, run_due, smtp, clock,  # noqa: F811
                                               monkeypatch):
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    _set_mail(app, "inspector", "inspector@example.kz")
    _start(police)
    clock.shift(timedelta(minutes=30))                               # 09:30: half the hour left
    run_due(_now())
    assert _warnings(app) == []
    monkeypatch.setitem(app.config, "DUE_SOON_SHARE", 0.6)
    run_due(_now())
    assert _warnings(app) == [("due_soon", "inspector@example.kz", "pending")]


def test_the_working_days_ahead_are_the_ones_set(app, owner, make_user, run_due, smtp, clock,  # noqa: F811
                                                 monkeypatch):
    """A task due on Monday 7 December at 10:00, looked at on Thursday and on Friday (the weekend between):
    one working day ahead reaches it only from Friday, two working days already on Thursday."""
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    _set_mail(app, "inspector", "inspector@example.kz")
    _start(police, received="2026-12-07T09:00:00+05:00")
    monkeypatch.setitem(app.config, "DUE_SOON_SHARE", 0.9)          # the share does not hold it back here
    clock.shift(timedelta(days=2, hours=3))                          # Thursday 3 December, 12:00
    run_due(_now())
    assert _warnings(app) == []
    monkeypatch.setitem(app.config, "DUE_SOON_WORKING_DAYS", 2)
    run_due(_now())
    assert len(_warnings(app)) == 1

    monkeypatch.setitem(app.config, "DUE_SOON_WORKING_DAYS", 1)
    _start(police, received="2026-12-07T09:00:00+05:00")             # a second such task
    clock.shift(timedelta(days=1))                                   # Friday 4 December, 12:00
    run_due(_now())
    assert len(_warnings(app)) == 2
