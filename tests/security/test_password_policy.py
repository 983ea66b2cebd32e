"""The password policy (12+ characters, not one guessed first, not the user name) wherever a password
is set: the API, the admin page, `flask users create` and `flask users set-password`."""
import os
import re
import subprocess
import sys

import pytest
import requests

from support import ROOT

ADMIN_PASSWORD = "admin pages passphrase"


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("password, code", [
    ("short-pass1", "too_short"), ("x", "too_short"), ("password1234", "too_common"),
    ("aaaaaaaaaaaaaaaa", "too_common"), ("my-inspector-2026", "contains_username")])
def test_the_api_refuses_a_weak_password_naming_the_field(make_user, password, code):
    admin = make_user("root", None, "admin")
    r = admin.post("/users", json={"username": "inspector", "agency": "police", "roles": ["staff"],
                                   "password": password})
    assert r.status_code == 422 and r.headers["Content-Type"].startswith("application/problem+json")
    assert {"field": "password", "code": code} in [{k: e[k] for k in ("field", "code")} for e in r.json()["errors"]]
    if code != "contains_username":                # (root's own name is not in it)
        assert admin.post("/users/root/password", json={"password": password}).status_code == 422


def test_a_good_password_and_the_demo_one_are_accepted(make_user, server):
    admin = make_user("root", None, "admin")
    r = admin.post("/users", json={"username": "inspector", "agency": "police", "roles": ["staff"],
                                   "password": "demo-password"})
    assert r.status_code == 201 and r.json()["username"] == "inspector"
    made = requests.get(server + "/api/v1/tasks", headers={"Authorization": f"Bearer {r.json()['token']}"})
    assert made.status_code == 200
    assert admin.post("/users/inspector/password", json={"password": "three words here"}).status_code == 200
    assert admin.post("/users", json={"username": "inspector", "roles": ["staff"]}).status_code == 409


def test_the_admin_page_shows_the_refusal_beside_the_field(make_user, server):
    make_user("root", None, "admin", password=ADMIN_PASSWORD)
    make_user("inspector", "police", "staff", password="a staff member's passphrase")
    s = requests.Session()
    s.post(server + "/login", data={"username": "root", "password": ADMIN_PASSWORD,
                                    "csrf_token": _csrf(s.get(server + "/login").text)})
    page = s.get(server + "/admin/users")
    assert page.status_code == 200 and 'data-user="inspector"' in page.text
    refused = s.post(server + "/admin/users", data={"csrf_token": _csrf(page.text), "username": "clerk",
                                                    "agency": "police", "role": "staff", "password": "short"})
    assert refused.status_code == 422
    error = re.search(r'<p class="field-error" id="new-password-error" data-field="password">(.*?)</p>',
                      refused.text, re.S)
    assert error and "Не менее 12 символов" in error.group(1)
    assert 'value="clerk"' in refused.text                     # what was typed is kept
    created = s.post(server + "/admin/users", data={"csrf_token": _csrf(page.text), "username": "clerk",
                                                    "agency": "police", "role": "staff",
                                                    "password": "a sound passphrase"})
    assert created.status_code == 200 and "Пользователь clerk создан." in created.text
    weak = s.post(server + "/admin/users/inspector/password",
                  data={"csrf_token": _csrf(page.text), "password": "password1234"})
    assert weak.status_code == 422 and "Такой пароль подбирают первым" in weak.text
    # the staff user signed in elsewhere is signed out by the admin's button
    staff = requests.Session()
    staff.post(server + "/login", data={"username": "inspector", "password": "a staff member's passphrase",
                                        "csrf_token": _csrf(staff.get(server + "/login").text)})
    assert staff.get(server + "/api/v1/tasks").status_code == 200
    done = s.post(server + "/admin/users/inspector/sessions/revoke", data={"csrf_token": _csrf(page.text)})
    assert done.status_code == 200 and "завершено сеансов: 1" in done.text
    assert staff.get(server + "/api/v1/tasks").status_code == 401


def test_staff_may_not_open_the_users_page(make_user, server):
    make_user("inspector", "police", "staff", password="a staff member's passphrase")
    s = requests.Session()
    s.post(server + "/login", data={"username": "inspector", "password": "a staff member's passphrase",
                                    "csrf_token": _csrf(s.get(server + "/login").text)})
    assert s.get(server + "/admin/users").status_code == 403


def _flask(database_url, *args, stdin=None):
    env = {**os.environ, "DATABASE_URL": database_url, "FLASK_APP": "wsgi.py", "SECRET_KEY": "x"}
    return subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, input=stdin)


@pytest.mark.real_clock
def test_the_command_line_applies_the_policy(database_url, app):
    refused = _flask(database_url, "users", "create", "inspector", "--agency", "police", "--password", "1")
    assert refused.returncode != 0 and "password" in refused.stderr and "12 characters" in refused.stderr
    assert _flask(database_url, "users", "create", "inspector", "--agency", "police",
                  "--password", "demo-password").returncode == 0
    weak = _flask(database_url, "users", "set-password", "inspector", "--password", "inspector-2026")
    assert weak.returncode != 0 and "user name" in weak.stderr
    ok = _flask(database_url, "users", "set-password", "inspector", "--password", "a long enough phrase")
    assert ok.returncode == 0 and "0 session(s) ended" in ok.stdout
