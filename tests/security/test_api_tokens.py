"""Bearer tokens are remembered per process for a couple of seconds (app/users/callers.py, issue 16): taking a
token or a user away must still stop them at once in the process that made the change, and in the others within
the remembered lifetime. Real server, real database (SQLite, or PostgreSQL when DATABASE_URL says so)."""
from __future__ import annotations

import secrets

import pytest
import sqlalchemy as sa


@pytest.fixture
def frozen(monkeypatch):
    """The remembered rows' clock, stopped; ``frozen.advance(s)`` moves it (the service's threads see it too)."""
    from app import remembered

    class Clock:
        now = remembered.monotonic()

        def advance(self, seconds: float) -> None:
            self.now += seconds
    clock = Clock()
    monkeypatch.setattr(remembered, "monotonic", lambda: clock.now)
    return clock


def _change(app, username: str, **values) -> None:
    """What an admin's change in this process does: through the ORM, committed."""
    from app.extensions import db
    from app.users.models import User
    with app.app_context():
        user = db.session.query(User).filter_by(username=username).one()
        for name, value in values.items():
            setattr(user, name, value)
        db.session.commit()


def _elsewhere(database_url: str, sql: str, **params) -> None:
    """Another process's change: a connection of its own, none of this process's ORM events."""
    engine = sa.create_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(sql), params)
    finally:
        engine.dispose()


def test_a_revoked_or_rotated_token_is_refused_at_once(app, make_user, frozen):
    from app.users.callers import token_hash
    police = make_user("inspector", "police", "staff")
    assert police.get("/tasks").status_code == 200              # remembered from here on
    new_token = secrets.token_urlsafe(32)
    _change(app, "inspector", token_hash=token_hash(new_token))  # rotated
    refused = police.get("/tasks")
    assert refused.status_code == 401 and refused.json()["code"] == "token_invalid"
    police.http.headers["Authorization"] = f"Bearer {new_token}"
    assert police.get("/tasks").status_code == 200
    _change(app, "inspector", token_hash=None)                   # revoked
    assert police.get("/tasks").status_code == 401


def test_a_deactivated_user_is_refused_at_once(app, make_user, frozen):
    from app.extensions import db
    from app.users.models import User
    police = make_user("inspector", "police", "staff")
    other = make_user("teacher", "education_org", "staff")
    assert police.get("/tasks").status_code == 200 and other.get("/tasks").status_code == 200
    _change(app, "inspector", active=False)
    assert police.get("/tasks").status_code == 401
    assert other.get("/tasks").status_code == 200               # remembered again after that change
    # a bulk UPDATE through the session (no object loaded) is a change this process made too
    with app.app_context():
        db.session.query(User).filter_by(username="teacher").update({"active": False})
        db.session.commit()
    assert other.get("/tasks").status_code == 401


def test_changed_roles_apply_at_once(app, make_user, frozen):
    police = make_user("inspector", "police", "staff")
    assert police.get("/tasks").status_code == 200
    assert police.get("/audit/access-log").status_code == 403   # auditors' only
    _change(app, "inspector", roles_csv="auditor", agency=None)
    assert police.get("/audit/access-log").status_code == 200
    _change(app, "inspector", roles_csv="staff", agency="police")
    assert police.get("/audit/access-log").status_code == 403


def test_another_processs_change_is_seen_within_the_lifetime(app, make_user, database_url, frozen):
    from app.users.callers import FRESH_SECONDS
    police = make_user("inspector", "police", "staff")
    teacher = make_user("teacher", "education_org", "staff")
    assert police.get("/tasks").status_code == 200 and teacher.get("/tasks").status_code == 200
    _elsewhere(database_url, "UPDATE users SET active = :no WHERE username = 'inspector'", no=False)
    _elsewhere(database_url, "UPDATE users SET token_hash = NULL WHERE username = 'teacher'")
    # within the lifetime this process still answers as it remembered (the README's production section says so)
    assert police.get("/tasks").status_code == 200 and teacher.get("/tasks").status_code == 200
    frozen.advance(FRESH_SECONDS + 0.01)
    assert police.get("/tasks").status_code == 401 and teacher.get("/tasks").status_code == 401
    assert FRESH_SECONDS <= 2.0                                  # what the README promises


def test_a_user_made_elsewhere_is_let_in_at_once_and_unknown_tokens_are_not_remembered(app, make_user,
                                                                                        database_url, frozen):
    from app.users import callers
    from app.users.callers import token_hash
    police = make_user("inspector", "police", "staff")
    assert police.get("/tasks").status_code == 200
    token = secrets.token_urlsafe(32)
    guesses = police.http.__class__()
    for _ in range(30):                                           # a stranger's guesses: refused, none kept
        guesses.headers["Authorization"] = f"Bearer {secrets.token_urlsafe(32)}"
        assert guesses.get(police.base + "/tasks", timeout=30).status_code == 401
    assert len(callers._remembered._read) == 1                   # only the inspector's token
    # a token that opened nothing a moment ago opens the API as soon as another process gives it to someone
    guesses.headers["Authorization"] = f"Bearer {token}"
    assert guesses.get(police.base + "/tasks", timeout=30).status_code == 401
    _elsewhere(database_url, "UPDATE users SET token_hash = :h WHERE username = 'inspector'", h=token_hash(token))
    assert guesses.get(police.base + "/tasks", timeout=30).status_code == 200


def test_what_is_remembered_is_plain_values_without_secrets(app, make_user):
    import dataclasses

    from app.extensions import db
    from app.users.callers import Caller, caller_for_token
    from app.users.service import create_user
    with app.app_context():
        _, token = create_user(db.session, username="inspector", agency="police", roles=["staff", "supervisor"],
                               password="a long enough passphrase", full_name="Сейткали Арман")
        caller = caller_for_token(db.session, token)
        assert caller_for_token(db.session, token) is caller       # remembered: shared by the process's threads
    assert isinstance(caller, Caller) and caller.username == "inspector" and caller.agency == "police"
    assert caller.roles == frozenset({"staff", "supervisor"}) and caller.has_role("supervisor")
    assert caller.full_name == "Сейткали Арман" and not caller.has_role("admin")
    with pytest.raises(dataclasses.FrozenInstanceError):
        caller.agency = "education"
    fields = {f.name for f in dataclasses.fields(caller)}
    assert not fields & {"password_hash", "token_hash", "totp_secret", "totp_last_step"}


def test_a_read_begun_before_a_change_is_not_remembered(app):
    """A thread that loaded the old row while another committed the change must not keep the old row."""
    from app.extensions import db
    from app.remembered import Remembered
    from app.users.models import User
    remembered, loads = Remembered(User), []

    def load_while_another_thread_commits():
        loads.append(1)
        if len(loads) == 1:
            remembered.forget()                                   # what the other thread's commit does
        return len(loads)
    with app.app_context():
        assert remembered.read(db.session, "k", 60, load_while_another_thread_commits) == 1
        assert remembered.read(db.session, "k", 60, load_while_another_thread_commits) == 2   # read again
        assert remembered.read(db.session, "k", 60, load_while_another_thread_commits) == 2   # now kept
