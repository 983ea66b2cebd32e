"""E-mails are worded in each recipient's remembered language (User.language), not the sender's: the same
event reaches a Kazakh-speaking and an English-speaking colleague in their own words, Russian by default."""
from datetime import datetime

from test_mail import RECEIVED, _send, _set_mail, smtp  # noqa: F401  (the SMTP fixture)

from support import deploy_fixture


def _language(app, username, lang):
    from app.extensions import db
    from app.users.models import User
    from app.users.service import remember_language
    with app.app_context():
        remember_language(db.session, db.session.query(User).filter_by(username=username).one(), lang)


def test_each_recipient_reads_the_mail_in_their_own_language(app, owner, make_user, smtp):  # noqa: F811
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    make_user("kazakh", "police", "staff")
    make_user("english", "police", "staff")
    for name in ("inspector", "kazakh", "english"):
        _set_mail(app, name, f"{name}@example.kz")
    _language(app, "kazakh", "kk")
    _language(app, "english", "en")
    number = police.post("/process-instances", json={"process_id": "reporter",
                                                     "data": {"received_at": RECEIVED}}).json()["registration_number"]
    assert _send(app, smtp.url) == 3
    by = {m["to"][0].split("@")[0]: m for m in smtp.mails}
    assert by["inspector"]["subject"] == f"Qamqor: Новая задача по делу № {number}"
    assert by["kazakh"]["subject"] == f"Qamqor: № {number} іс бойынша жаңа тапсырма"
    assert by["english"]["subject"] == f"Qamqor: New task in case No. {number}"
    assert "Тапсырма:" in by["kazakh"]["body"] and "бала туралы мәліметтер берілмейді" in by["kazakh"]["body"]
    assert "Task:" in by["english"]["body"] and "never carry a child's data" in by["english"]["body"]
    assert "Задача:" in by["inspector"]["body"]
    for text in ("Задача", "Письмо", "Открыть"):
        assert text not in by["kazakh"]["body"] and text not in by["english"]["body"]


def test_a_daily_digest_is_in_its_reader_s_language_and_carries_the_footer_once(app, owner, make_user,
                                                                                smtp):  # noqa: F811
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    make_user("kazakh", "police", "staff")
    _set_mail(app, "kazakh", "kazakh@example.kz", "digest")
    _language(app, "kazakh", "kk")
    for _ in range(2):
        police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}})
    assert _send(app, smtp.url, now=datetime.fromisoformat("2026-12-02T08:00:01+05:00")) == 1
    (digest,) = smtp.mails
    assert "Qamqor: күн ішіндегі жаңалықтар" in digest["subject"] and "2)" in digest["subject"]
    assert digest["body"].count("іс бойынша жаңа тапсырма") == 2
    assert digest["body"].count("Хатты Qamqor жүйесі жіберді") == 1
