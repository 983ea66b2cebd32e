"""A second factor for the roles in QAMQOR_TOTP_ROLES: enrolment at the first sign-in (the key shown
once), then a code from the authenticator app after every right password; until the code is in,
the session opens neither pages nor the API."""
import re
from datetime import timedelta

import pyotp
import pytest
import requests

PASSWORD = "second factor passphrase"


@pytest.fixture
def totp_for_admins(app):
    app.config["TOTP_ROLES"] = frozenset({"admin", "auditor"})
    yield
    app.config["TOTP_ROLES"] = frozenset()


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _password_step(server, username):
    s = requests.Session()
    r = s.post(server + "/login?next=/supervisor", data={"username": username, "password": PASSWORD,
                                                         "csrf_token": _csrf(s.get(server + "/login").text)},
               allow_redirects=False)
    return s, r


def _code(s, server, code):
    page = s.get(server + "/login/code")
    return s.post(server + "/login/code?next=/supervisor", data={"code": code, "csrf_token": _csrf(page.text)},
                  allow_redirects=False)


def test_the_first_sign_in_enrols_and_later_ones_ask_for_the_code(make_user, server, totp_for_admins, clock):
    make_user("root", None, "admin", password=PASSWORD)
    s, r = _password_step(server, "root")
    assert r.status_code == 302 and r.headers["Location"].startswith("/login/code")
    # the right password alone opens nothing
    assert s.get(server + "/inbox", allow_redirects=False).status_code == 302
    assert s.get(server + "/api/v1/tasks").status_code == 401
    enrol = s.get(server + "/login/code")
    first = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', enrol.text).group(1)
    assert "otpauth://totp/Qamqor:root?secret=" + first in enrol.text
    # a reload shows a new key (the first was shown once, and is forgotten)
    again = s.get(server + "/login/code")
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', again.text).group(1)
    assert secret != first
    stale = s.post(server + "/login/code", data={"code": pyotp.TOTP(first).now(), "csrf_token": _csrf(again.text)})
    assert stale.status_code == 401 and "totp-secret" not in stale.text      # and not shown a second time
    done = s.post(server + "/login/code?next=/supervisor",
                  data={"code": pyotp.TOTP(secret).now(), "csrf_token": _csrf(again.text)}, allow_redirects=False)
    assert done.status_code == 302 and done.headers["Location"] == "/supervisor"
    assert s.get(server + "/api/v1/tasks").status_code == 200
    # the next sign-in asks for the code and shows no key
    clock.shift(timedelta(seconds=31))                  # a new 30-second step: a used code opens nothing twice
    s2, r2 = _password_step(server, "root")
    ask = s2.get(server + "/login/code")
    assert "totp-secret" not in ask.text and "Введите код" in ask.text
    wrong = _code(s2, server, "123456" if pyotp.TOTP(secret).now() != "123456" else "654321")
    assert wrong.status_code == 401 and "Код неверный" in wrong.text
    assert s2.get(server + "/api/v1/tasks").status_code == 401
    assert _code(s2, server, pyotp.TOTP(secret).now()).status_code == 302
    assert s2.get(server + "/api/v1/tasks").status_code == 200


def test_a_code_opens_one_session_not_two(make_user, server, totp_for_admins, app):
    from app.extensions import db
    from app.users.models import User
    make_user("root", None, "admin", password=PASSWORD)
    secret = pyotp.random_base32()
    with app.app_context():
        user = db.session.query(User).filter_by(username="root").one()
        user.totp_secret, user.totp_enrolled_at = secret, user.created_at
        db.session.commit()
        db.session.remove()
    first, _ = _password_step(server, "root")
    second, _ = _password_step(server, "root")
    code = pyotp.TOTP(secret).now()
    assert _code(first, server, code).status_code == 302
    assert _code(second, server, code).status_code == 401          # seen over a shoulder: useless


def test_roles_not_listed_sign_in_with_the_password_alone(make_user, server, totp_for_admins):
    make_user("inspector", "police", "staff", password=PASSWORD)
    s, r = _password_step(server, "inspector")
    assert r.status_code == 302 and r.headers["Location"] == "/supervisor"


def test_guessing_codes_is_throttled(make_user, server, totp_for_admins, app):
    from app.security.throttle import DEFAULT
    make_user("root", None, "admin", password=PASSWORD)
    s, _ = _password_step(server, "root")
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', s.get(server + "/login/code").text).group(1)
    right = pyotp.TOTP(secret).now()
    wrong = [c for c in ("111111", "222222", "333333", "444444", "555555", "666666") if c != right]
    for code in wrong[:DEFAULT.free_attempts]:
        assert _code(s, server, code).status_code == 401
    assert _code(s, server, right).status_code == 429


def test_without_a_right_password_the_code_page_sends_back_to_sign_in(server, totp_for_admins):
    r = requests.get(server + "/login/code", allow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"].endswith("/login")
