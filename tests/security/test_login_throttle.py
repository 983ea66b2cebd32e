"""Login throttling: its memory is the database, so two processes count the same failures."""
from datetime import timedelta

import pytest

from app.engine import clock


def test_failures_over_the_limit_refuse_even_the_right_password_until_the_window_passes(app):
    from app.extensions import db
    from app.security.throttle import DEFAULT, LoginThrottled, check_login_allowed, record_login
    now = clock.now()
    with app.app_context():
        for i in range(DEFAULT.per_user):
            check_login_allowed(db.session, username="Police.Staff", address="10.0.0.1", now=now)
            record_login(db.session, username="police.staff", address="10.0.0.1", success=False, now=now)
        with pytest.raises(LoginThrottled) as refused:
            check_login_allowed(db.session, username="police.staff", address="10.0.0.9", now=now)
        assert refused.value.status == 429 and 0 < refused.value.retry_after <= 15 * 60 + 1
        # another user from the same address is not locked out by one person's typos
        check_login_allowed(db.session, username="kdnzp.staff", address="10.0.0.1", now=now)
        later = now + DEFAULT.window + timedelta(seconds=1)
        check_login_allowed(db.session, username="police.staff", address="10.0.0.1", now=later)
        # a success clears the user's count
        record_login(db.session, username="police.staff", address="10.0.0.1", success=False, now=later)
        record_login(db.session, username="police.staff", address="10.0.0.1", success=True, now=later)
        for _ in range(DEFAULT.per_user - 1):
            record_login(db.session, username="police.staff", address="10.0.0.1", success=False, now=later)
        check_login_allowed(db.session, username="police.staff", address="10.0.0.1", now=later)


def test_one_address_guessing_many_names_is_stopped(app):
    from app.extensions import db
    from app.security.throttle import DEFAULT, LoginThrottled, check_login_allowed, record_login
    now = clock.now()
    with app.app_context():
        for i in range(DEFAULT.per_address):
            record_login(db.session, username=f"guess{i}", address="203.0.113.7", now=now, success=False)
        with pytest.raises(LoginThrottled):
            check_login_allowed(db.session, username="someone.new", address="203.0.113.7", now=now)
        check_login_allowed(db.session, username="someone.new", address="203.0.113.8", now=now)


def _login(http, base, username, password):
    import re
    page = http.get(base + "/login", timeout=10)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page.text)
    return http.post(base + "/login", data={"username": username, "password": password,
                                            "csrf_token": token.group(1) if token else ""},
                     allow_redirects=False, timeout=10)


def test_sign_in_page_refuses_after_repeated_failures(make_user, server):
    import requests
    from app.security.throttle import DEFAULT
    make_user("police.staff", "police", "staff", password="right-password")
    http = requests.Session()
    for _ in range(DEFAULT.per_user):
        assert _login(http, server, "police.staff", "wrong").status_code == 401
    refused = _login(http, server, "police.staff", "right-password")
    assert refused.status_code == 429 and "Location" not in refused.headers      # not signed in
    # another colleague signs in normally meanwhile
    make_user("police.chief", "police", "supervisor", password="chief-password")
    assert _login(requests.Session(), server, "police.chief", "chief-password").status_code == 302


def test_behind_a_proxy_the_client_address_is_the_forwarded_one(database_url):
    """With QAMQOR_PROXY_HOPS=1 the throttle sees each client, not the proxy (which would lock everyone out)."""
    from flask import request

    from app import create_app
    for hops, expected in ((1, "198.51.100.7"), (0, "127.0.0.1")):
        app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "SECRET_KEY": "x",
                          "PROXY_HOPS": hops})
        app.add_url_rule("/_addr", "addr", lambda: request.remote_addr)
        seen = app.test_client().get("/_addr", headers={"X-Forwarded-For": "198.51.100.7"},
                                     environ_base={"REMOTE_ADDR": "127.0.0.1"}).text
        assert seen == expected
