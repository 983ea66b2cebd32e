"""Where people give their address and choose how often to be told, and the header's counts."""
from __future__ import annotations

import re


from support import deploy_fixture, signed_in

PASSWORD = "notify-pages-password"
RECEIVED = "2026-12-01T09:00:00+05:00"


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _signed_in(server, username):
    return signed_in(server, username, PASSWORD)


def _user(app, username):
    from app.extensions import db
    from app.users.models import User
    with app.app_context():
        try:
            u = db.session.query(User).filter_by(username=username).one()
            return u.email, u.mail_preference
        finally:
            db.session.remove()


def test_staff_set_their_address_and_preference_and_a_bad_address_is_named(app, make_user, server):
    make_user("inspector", "police", "staff", password=PASSWORD)
    s = _signed_in(server, "inspector")
    page = s.get(server + "/account").text
    bad = s.post(server + "/account", data={"csrf_token": _csrf(page), "email": "not an address",
                                            "mail_preference": "digest"})
    assert bad.status_code == 422 and 'id="f-email-error"' in bad.text and 'aria-invalid="true"' in bad.text
    assert _user(app, "inspector") == (None, "immediate")
    ok = s.post(server + "/account", data={"csrf_token": _csrf(page), "email": "inspector@police.kz",
                                           "mail_preference": "digest"})
    assert ok.status_code == 200 and _user(app, "inspector") == ("inspector@police.kz", "digest")
    assert s.post(server + "/account", data={"email": "x@y.kz", "mail_preference": "off"}).status_code == 400


def test_admins_give_an_address_on_the_users_page_and_the_api(app, make_user, server):
    make_user("root", None, "admin", password=PASSWORD)
    admin = make_user("root2", None, "admin")
    s = _signed_in(server, "root")
    page = s.get(server + "/admin/users").text
    r = s.post(server + "/admin/users", data={"csrf_token": _csrf(page), "username": "teacher", "agency": "education_org",
                                              "role": "staff", "email": "teacher@school.kz",
                                              "password": "a long enough passphrase"})
    assert r.status_code == 200 and _user(app, "teacher") == ("teacher@school.kz", "immediate")
    bad = admin.post("/users", json={"username": "nurse", "agency": "health", "email": "nurse@"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "email"
    assert admin.post("/users", json={"username": "nurse", "agency": "health",
                                      "email": "nurse@clinic.kz"}).status_code == 201


def test_the_cli_takes_an_email(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "medic", "--agency", "health", "--email", "medic@clinic.kz"])
    assert result.exit_code == 0, result.output
    assert _user(app, "medic") == ("medic@clinic.kz", "immediate")
    refused = runner.invoke(args=["users", "create", "medic2", "--agency", "health", "--email", "medic"])
    assert refused.exit_code != 0 and "email" in refused.output


def test_the_header_counts_the_inbox_and_the_notices(app, owner, make_user, server, run_due):
    deploy_fixture(owner, "reporter")
    deploy_fixture(owner, "receiver", forms=("fixture-ack.json",))
    police = make_user("inspector", "police", "staff")
    make_user("commission", "kdnzp", "staff", password=PASSWORD)
    police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}})
    task_id = police.get("/tasks").json()["items"][0]["id"]
    police.post(f"/tasks/{task_id}/complete", json={"data": {"summary": "сообщение"}})
    s = _signed_in(server, "commission")
    assert 'data-count' not in s.get(server + "/inbox").text
    from datetime import datetime
    run_due(datetime.fromisoformat("2026-12-01T09:30:00+05:00"))
    html = s.get(server + "/inbox").text
    assert re.search(r'/inbox"[^>]*>[^<]*<span class="count" aria-hidden="true" data-count="1">', html)
    assert re.search(r'/notifications"[^>]*>[^<]*<span class="count" aria-hidden="true" data-count="1">', html)
