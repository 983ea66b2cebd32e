"""Login throttling: its memory is the database, so parallel requests and separate processes count
the same attempts; a guesser slows down only the pair (account, address) they guess from."""
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import requests
import time_machine
from requests.adapters import HTTPAdapter

from app.engine.clock import now as service_now


def test_after_the_free_attempts_each_retry_waits_twice_as_long_never_a_lock_out(app):
    from app.extensions import db
    from app.security.throttle import DEFAULT, LoginThrottled, admit_login, record_login
    now = service_now()
    with app.app_context():
        for _ in range(DEFAULT.free_attempts):
            admit_login(db.session, username="Police.Staff", address="10.0.0.1", now=now)
            record_login(db.session, username="police.staff", address="10.0.0.1", success=False, now=now)
        waited = now
        for expected in (1, 2, 4, 8, 16, 32, 60, 60):
            with pytest.raises(LoginThrottled) as refused:
                admit_login(db.session, username="police.staff", address="10.0.0.1", now=waited)
            assert refused.value.status == 429 and refused.value.retry_after == expected
            with pytest.raises(LoginThrottled):     # a refused attempt costs no password check and no extra wait
                admit_login(db.session, username="police.staff", address="10.0.0.1",
                            now=waited + timedelta(seconds=expected - 0.5))
            waited += timedelta(seconds=expected)
            admit_login(db.session, username="police.staff", address="10.0.0.1", now=waited)
        # the same account from another address, and another account from this one, are not slowed down
        admit_login(db.session, username="police.staff", address="10.0.0.9", now=waited)
        admit_login(db.session, username="kdnzp.staff", address="10.0.0.1", now=waited)
        # a success clears the pair: five free attempts again
        record_login(db.session, username="police.staff", address="10.0.0.1", success=True, now=waited)
        for _ in range(DEFAULT.free_attempts):
            admit_login(db.session, username="police.staff", address="10.0.0.1", now=waited)
        # fifteen quiet minutes forget the pair too
        later = waited + DEFAULT.quiet + timedelta(seconds=1)
        for _ in range(DEFAULT.free_attempts):
            admit_login(db.session, username="police.staff", address="10.0.0.1", now=later)


def test_guesses_spread_over_many_addresses_hit_the_accounts_hourly_cap(app):
    from app.extensions import db
    from app.security.throttle import DEFAULT, LoginThrottled, admit_login, record_login
    now = service_now()
    with app.app_context():
        for i in range(DEFAULT.per_account):
            admit_login(db.session, username="police.staff", address=f"198.51.{i // 200}.{i % 200}", now=now)
            record_login(db.session, username="police.staff", address=f"198.51.{i // 200}.{i % 200}",
                         success=False, now=now)
        with pytest.raises(LoginThrottled) as refused:
            admit_login(db.session, username="police.staff", address="192.0.2.1", now=now)
        assert 3500 < refused.value.retry_after <= 3600
        admit_login(db.session, username="police.staff", address="192.0.2.1",
                    now=now + DEFAULT.account_window + timedelta(seconds=1))


def test_one_address_guessing_many_names_is_stopped(app):
    from app.extensions import db
    from app.security.throttle import DEFAULT, LoginThrottled, admit_login
    now = service_now()
    with app.app_context():
        for i in range(DEFAULT.per_address):
            admit_login(db.session, username=f"guess{i}", address="203.0.113.7", now=now)
        with pytest.raises(LoginThrottled):
            admit_login(db.session, username="someone.new", address="203.0.113.7", now=now)
        admit_login(db.session, username="someone.new", address="203.0.113.8", now=now)


class _From(HTTPAdapter):
    """Connect from a given loopback address (any 127.x.y.z is this machine on Linux): a client elsewhere."""

    def __init__(self, address):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def _client(address="127.0.0.1") -> requests.Session:
    http = requests.Session()
    http.mount("http://", _From(address))
    return http


def _login(http, base, username, password):
    page = http.get(base + "/login", timeout=10)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page.text)
    return http.post(base + "/login", data={"username": username, "password": password,
                                            "csrf_token": token.group(1) if token else ""},
                     allow_redirects=False, timeout=30)


def _attempts(app, key):
    from app.extensions import db
    from app.security.models import LoginThrottle
    with app.app_context():
        row = db.session.get(LoginThrottle, key)
        db.session.remove()
        return row.attempts if row else 0


def test_twenty_parallel_guesses_get_only_the_free_password_checks_and_the_victim_still_signs_in(
        make_user, server, app):
    from app.security.throttle import DEFAULT
    make_user("police.staff", "police", "staff", password="right-password")
    attackers = [_client("127.0.0.2") for _ in range(20)]
    for http in attackers:                          # the sign-in page first: only the guesses run in parallel
        http.get(server + "/login", timeout=10)
    # the clock stands still during the burst: the twenty guesses arrive "at once", however long the
    # machine takes to serve them (a ticking clock would rightly admit one more guess per back-off step)
    with time_machine.travel(service_now(), tick=False):
        with ThreadPoolExecutor(max_workers=20) as pool:
            answers = list(pool.map(lambda http: _login(http, server, "police.staff", "wrong-guess").status_code,
                                    attackers))
        refused = _login(_client("127.0.0.2"), server, "police.staff", "right-password")
    # 401 is a password that was checked and wrong; 429 was refused before any check
    assert sorted(answers) == [401] * DEFAULT.free_attempts + [429] * (20 - DEFAULT.free_attempts)
    assert _attempts(app, "pair:police.staff|127.0.0.2") == DEFAULT.free_attempts
    assert refused.status_code == 429 and "Location" not in refused.headers      # not signed in
    assert int(refused.headers["Retry-After"]) <= 2 and "Слишком много" in refused.text
    # the real user, at their own desk, is not slowed down by the attacker
    victim = _login(_client("127.0.0.3"), server, "police.staff", "right-password")
    assert victim.status_code == 302 and victim.headers["Location"].endswith("/inbox")


def test_the_back_off_ends_by_itself(make_user, server, clock):
    from app.security.throttle import DEFAULT
    make_user("police.staff", "police", "staff", password="right-password")
    http = _client("127.0.0.4")
    for _ in range(DEFAULT.free_attempts):
        assert _login(http, server, "police.staff", "wrong").status_code == 401
    assert _login(http, server, "police.staff", "right-password").status_code == 429
    clock.shift(timedelta(seconds=1))
    assert _login(http, server, "police.staff", "right-password").status_code == 302


def test_an_unknown_name_takes_as_long_to_refuse_as_a_wrong_password(app, make_user):
    import statistics
    import time
    from app.extensions import db
    from app.users.service import authenticate
    make_user("police.staff", "police", "staff", password="right-password")

    def median(name):
        times = []
        for _ in range(7):
            started = time.perf_counter()
            assert authenticate(db.session, name, "wrong-password") is None
            times.append(time.perf_counter() - started)
        return statistics.median(times)
    with app.app_context():
        unknown, wrong = median("nobody.here"), median("police.staff")
        db.session.remove()
    assert unknown > 0.5 * wrong, (unknown, wrong)           # before: 0.1 ms against 100 ms


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
