"""The pages over real HTTP without a browser: sign-in, CSRF, redirects, 403 pages, inbox filters."""
from __future__ import annotations

import re
from pathlib import Path

import requests

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"   # not `from support import`: sibling conftests clash

PASSWORD = "pages-test-password"
RECEIVED = "2026-12-01T09:00:00+05:00"


def deploy_fixture(api, name, forms=("fixture-report.json", "fixture-ack.json")):
    files = [("file", (f"{name}.bpmn", (FIXTURES / "bpmn" / f"{name}.bpmn").read_bytes(), "application/xml"))]
    files += [("forms", (f, (FIXTURES / "forms" / f).read_bytes(), "application/json")) for f in forms]
    assert api.post("/process-models", files=files).status_code == 201


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _signed_in(server, username) -> requests.Session:
    s = requests.Session()
    token = _csrf(s.get(server + "/login").text)
    r = s.post(server + "/login", data={"username": username, "password": PASSWORD, "csrf_token": token},
               allow_redirects=False)
    # where the service opens: the inbox, or the dashboard for an overseer (who has no inbox)
    assert r.status_code == 302 and r.headers["Location"].endswith(("/inbox", "/dashboard")), r.text[:300]
    return s


def test_sign_in_sets_a_protected_session_cookie_and_refuses_bad_passwords(make_user, server):
    make_user("inspector", "police", "staff", password=PASSWORD)
    s = requests.Session()
    assert s.get(server + "/inbox", allow_redirects=False).headers["Location"].startswith("/login?next=/inbox")
    token = _csrf(s.get(server + "/login").text)
    bad = s.post(server + "/login", data={"username": "inspector", "password": "wrong", "csrf_token": token})
    assert bad.status_code == 401 and "Неверное имя пользователя или пароль" in bad.text
    r = s.post(server + "/login?next=https://evil.example/", data={"username": "inspector", "password": PASSWORD,
                                                                   "csrf_token": token}, allow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"] == "/inbox"          # no open redirect
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Входящие задачи" in s.get(server + "/inbox").text


def test_a_form_without_its_csrf_token_is_refused_with_a_page(make_user, server):
    make_user("inspector", "police", "staff", password=PASSWORD)
    s = _signed_in(server, "inspector")
    r = s.post(server + "/logout")
    assert r.status_code == 400 and "Форма устарела" in r.text and r.headers["Content-Type"].startswith("text/html")
    assert s.get(server + "/inbox", allow_redirects=False).status_code == 200       # still signed in


def test_inbox_filters_claims_and_another_agencys_task_is_a_403_page(owner, make_user, server):
    deploy_fixture(owner, "reporter")
    police_api = make_user("inspector", "police", "staff", password=PASSWORD)
    make_user("colleague", "police", "staff", password=PASSWORD)
    make_user("doctor", "health", "staff", password=PASSWORD)
    for _ in range(3):
        assert police_api.post("/process-instances", json={"process_id": "reporter",
                                                           "data": {"received_at": RECEIVED}}).status_code == 201
    s = _signed_in(server, "inspector")
    inbox = s.get(server + "/inbox").text
    ids = re.findall(r'data-task-id="([^"]+)"', inbox)
    assert len(ids) == 3
    token = _csrf(inbox)
    r = s.post(f"{server}/tasks/{ids[0]}/claim", data={"csrf_token": token, "next": "/inbox?show=mine"},
               allow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"] == "/inbox?show=mine"
    mine = s.get(server + "/inbox?show=mine").text
    assert re.findall(r'data-task-id="([^"]+)"', mine) == [ids[0]]
    assert "Задач: 1" in mine
    r = s.post(f"{server}/tasks/{ids[1]}/assign", data={"csrf_token": token, "to": "colleague"})
    assert r.status_code == 200 and "Задача передана: colleague." in r.text
    events = police_api.get(f"/tasks/{ids[1]}").json()
    assert events["claimed_by"] == "colleague"
    assert s.get(server + "/inbox?case=2026-999999").text.count("data-task-id") == 0
    assert s.get(server + "/inbox?page=abc").status_code == 200

    doctor = _signed_in(server, "doctor")
    page = doctor.get(f"{server}/tasks/{ids[0]}")
    assert page.status_code == 403 and "Вам нельзя открыть эту страницу" in page.text
    assert "Описать случай" not in page.text
    refused = doctor.post(f"{server}/tasks/{ids[0]}/claim", data={"csrf_token": _csrf(page.text)})
    assert refused.status_code == 403
    assert police_api.get(f"/tasks/{ids[0]}").json()["claimed_by"] == "inspector"
    assert doctor.get(f"{server}/tasks/no-such-task").status_code == 404
