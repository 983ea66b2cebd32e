"""Templates ask ``can(...)`` (app/access) instead of repeating roles: each page still shows each person exactly
the actions the service would let them take — the release button, the document form, the editor's links."""
from __future__ import annotations

import pytest

from support import deploy_fixture
from tests.pages.test_pages_http import PASSWORD, _signed_in

RECEIVED = "2026-12-01T09:00:00+05:00"


@pytest.fixture
def claimed(owner, make_user, server):
    """A police case whose `report` task the colleague holds."""
    assert deploy_fixture(owner, "reporter").status_code == 201
    colleague = make_user("colleague", "police", "staff", password=PASSWORD)
    for name, agency, role in (("inspector", "police", "staff"), ("chief", "police", "supervisor"),
                               ("teacher", "education_org", "staff"), ("aud", None, "auditor"),
                               ("adm", None, "admin")):
        make_user(name, agency, role, password=PASSWORD)
    started = colleague.post("/process-instances", json={"process_id": "reporter",
                                                         "data": {"received_at": RECEIVED}}).json()
    task = colleague.get(f"/tasks?instance={started['id']}").json()["items"][0]
    assert colleague.post(f"/tasks/{task['id']}/claim").status_code == 200
    return started["case_id"], task["id"]


@pytest.mark.parametrize("username, release", [("colleague", True), ("chief", True), ("inspector", False)])
def test_the_release_button_is_offered_to_the_holder_and_the_units_supervisor_only(claimed, server, username, release):
    _, task_id = claimed
    page = _signed_in(server, username).get(f"{server}/tasks/{task_id}")
    assert page.status_code == 200
    assert (f'action="/tasks/{task_id}/unclaim"' in page.text) is release


@pytest.mark.parametrize("username, status, form", [("inspector", 200, True), ("chief", 200, True),
                                                     ("aud", 200, False), ("adm", 200, False), ("teacher", 403, False)])
def test_the_document_form_is_shown_to_those_who_may_attach(claimed, server, username, status, form):
    case_id, _ = claimed
    s = _signed_in(server, username)
    page = s.get(f"{server}/cases/{case_id}")
    assert page.status_code == status
    assert (f'action="/cases/{case_id}/documents"' in page.text) is form
    if not form and status == 200:        # and what is not offered is refused
        from tests.pages.test_pages_http import _csrf
        r = s.post(f"{server}/cases/{case_id}/documents", data={"csrf_token": _csrf(page.text)},
                   files={"file": ("a.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")}, allow_redirects=False)
        assert r.status_code == 403


@pytest.mark.parametrize("roles, editing", [(("process_owner",), True), (("admin",), True), (("auditor",), False)])
def test_the_modeler_offers_editing_to_owners_and_admins_only(owner, make_user, server, roles, editing):
    assert deploy_fixture(owner, "reporter").status_code == 201
    make_user("someone", None, *roles, password=PASSWORD)
    page = _signed_in(server, "someone").get(server + "/modeler").text
    assert ('href="/modeler/reporter"' in page) is editing       # (older-version cases: only once there are two)


def test_every_area_and_case_rule_is_answered_by_app_access(app, claimed):
    """``can`` itself: the areas by role, the case rules by the case, and a question it has no rule for."""
    from app.access import can
    from app.access.areas import AREAS
    from app.extensions import db
    from app.instances.models import Case
    from app.users.models import User
    case_id, _ = claimed
    with app.app_context():
        users = {u.username: u for u in db.session.query(User)}
        case = db.session.get(Case, case_id)
        assert {a for a in AREAS if can(users["chief"], "open", a)} == {"inbox", "cases", "supervision", "dashboard"}
        assert {a for a in AREAS if can(users["aud"], "open", a)} == {"inbox", "cases", "supervision", "dashboard",
                                                                       "modeler", "audit", "access_log"}
        assert {a for a in AREAS if can(users["owner"], "open", a)} == {"inbox", "modeler", "process_editing"}
        assert [u for u in ("inspector", "chief", "teacher", "aud", "adm") if can(users[u], "attach", case)] == \
            ["inspector", "chief"]
        # agency-wide police have no unit to move the work from; admins may; nobody outside the case
        assert [u for u in ("inspector", "teacher", "aud", "adm") if can(users[u], "change_residence", case)] == ["adm"]
        with pytest.raises(ValueError):
            can(users["chief"], "open", "the-vault")
        with pytest.raises(KeyError):
            can(users["chief"], "delete", case)
        db.session.remove()
