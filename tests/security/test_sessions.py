"""Server-side sessions: a cookie opens pages and the API only while its session lives on the server.

Signing out, idling past QAMQOR_SESSION_IDLE_MINUTES, an admin's revocation and a new password end
it for every copy of the cookie, which is what a copied cookie (a shared computer, a stolen
laptop) needs.
"""
import re
import subprocess
import sys
from datetime import timedelta

import pytest
import requests

from support import ROOT

PASSWORD = "sessions-test-password"


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _signed_in(server, username) -> requests.Session:
    s = requests.Session()
    r = s.post(server + "/login", data={"username": username, "password": PASSWORD,
                                        "csrf_token": _csrf(s.get(server + "/login").text)}, allow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"].endswith("/inbox"), r.text[:300]
    s.sign_in_cookie = r.headers["Set-Cookie"]
    return s


def _replay(server, cookies) -> tuple[int, int]:
    """What a stranger holding a copy of the cookie gets: the inbox page's status, the API's status."""
    thief = requests.Session()
    thief.cookies.update(cookies)
    page = thief.get(server + "/inbox", allow_redirects=False)
    api = thief.get(server + "/api/v1/tasks")
    return page.status_code, api.status_code


def test_a_cookie_copied_before_sign_out_opens_nothing_after_it(make_user, server):
    make_user("inspector", "police", "staff", password=PASSWORD)
    s = _signed_in(server, "inspector")
    copied = s.cookies.get_dict()
    assert _replay(server, copied) == (200, 200)                 # the copy works while the session lives
    assert "session=" in s.sign_in_cookie
    assert "Expires" not in s.sign_in_cookie and "Max-Age" not in s.sign_in_cookie   # a browser-session cookie
    token = _csrf(s.get(server + "/inbox").text)
    assert s.post(server + "/logout", data={"csrf_token": token}, allow_redirects=False).status_code == 302
    page, api = _replay(server, copied)
    assert page == 302 and api == 401
    thief = requests.Session()
    thief.cookies.update(copied)
    assert "/login" in thief.get(server + "/inbox", allow_redirects=False).headers["Location"]
    assert thief.get(server + "/api/v1/tasks").headers["Content-Type"].startswith("application/problem+json")


def test_a_session_idle_longer_than_the_limit_has_ended(make_user, server, app, clock):
    assert app.config["SESSION_IDLE_MINUTES"] == 30
    make_user("inspector", "police", "staff", password=PASSWORD)
    s = _signed_in(server, "inspector")
    clock.shift(timedelta(minutes=25))
    assert s.get(server + "/inbox", allow_redirects=False).status_code == 200     # activity keeps it alive
    clock.shift(timedelta(minutes=25))                                            # 50 min after sign-in, 25 idle
    assert s.get(server + "/api/v1/tasks").status_code == 200
    clock.shift(timedelta(minutes=31))
    assert s.get(server + "/inbox", allow_redirects=False).status_code == 302
    assert s.get(server + "/api/v1/tasks").status_code == 401


def test_the_idle_limit_is_a_setting(make_user, server, app, clock):
    make_user("inspector", "police", "staff", password=PASSWORD)
    s = _signed_in(server, "inspector")
    app.config["SESSION_IDLE_MINUTES"] = 5
    try:
        clock.shift(timedelta(minutes=6))
        assert s.get(server + "/api/v1/tasks").status_code == 401
    finally:
        app.config["SESSION_IDLE_MINUTES"] = 30


def test_an_admin_signs_a_user_out_of_every_browser(make_user, server):
    admin = make_user("root", None, "admin")
    make_user("inspector", "police", "staff", password=PASSWORD)
    laptop, phone = _signed_in(server, "inspector"), _signed_in(server, "inspector")
    r = admin.post("/users/inspector/sessions/revoke")
    assert r.status_code == 200 and r.json() == {"username": "inspector", "sessions_ended": 2}
    for browser in (laptop, phone):
        assert browser.get(server + "/inbox", allow_redirects=False).status_code == 302
        assert browser.get(server + "/api/v1/tasks").status_code == 401
    assert _signed_in(server, "inspector").get(server + "/api/v1/tasks").status_code == 200   # may sign in again
    assert make_user("clerk", "police", "staff").post("/users/inspector/sessions/revoke").status_code == 403
    missing = admin.post("/users/nobody/sessions/revoke")
    assert missing.status_code == 404 and missing.headers["Content-Type"].startswith("application/problem+json")


def test_a_new_password_ends_the_old_sessions(make_user, server):
    admin = make_user("root", None, "admin")
    make_user("inspector", "police", "staff", password=PASSWORD)
    old = _signed_in(server, "inspector")
    r = admin.post("/users/inspector/password", json={"password": "a brand new passphrase"})
    assert r.status_code == 200 and r.json()["sessions_ended"] == 1
    assert old.get(server + "/api/v1/tasks").status_code == 401
    s = requests.Session()
    ok = s.post(server + "/login", data={"username": "inspector", "password": "a brand new passphrase",
                                         "csrf_token": _csrf(s.get(server + "/login").text)}, allow_redirects=False)
    assert ok.status_code == 302


def test_a_deactivated_user_is_signed_out_at_once(make_user, server, app):
    from app.extensions import db
    from app.users.models import User
    make_user("inspector", "police", "staff", password=PASSWORD)
    s = _signed_in(server, "inspector")
    with app.app_context():
        db.session.query(User).filter_by(username="inspector").update({"active": False})
        db.session.commit()
    assert s.get(server + "/api/v1/tasks").status_code == 401


@pytest.mark.real_clock
def test_revoke_sessions_from_the_command_line(database_url, make_user, server):
    make_user("inspector", "police", "staff", password=PASSWORD)
    s = _signed_in(server, "inspector")
    env = {"DATABASE_URL": database_url, "FLASK_APP": "wsgi.py", "SECRET_KEY": "x", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "flask", "users", "revoke-sessions", "inspector"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "1 session(s) of inspector ended" in done.stdout
    assert s.get(server + "/api/v1/tasks").status_code == 401
