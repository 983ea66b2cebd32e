"""The committee's overseer (role ``overseer``): counts only. The dashboard answers them — the whole country
without a territory, their own territory with one, narrowed to an oblast or district on request — and every
endpoint and page that carries a task, a case, a replay or a child's data refuses them with 403."""
import re
from datetime import timedelta

import pytest

from support import deploy_fixture, signed_in
from test_access_matrix import MATRIX, MISSING

RECEIVED = "2026-12-01T09:00:00+05:00"
PASSWORD = "counts-only-oversight-2026"

# what an overseer gets from the API besides 403: counts, the classifier, the list of procedures (no case
# in it), and 404 for what does not exist
ALLOWED = {"GET /dashboard": 200, "GET /territories": 200, "GET /process-models": 200,
           "GET /tasks/{missing}": 404, "GET /process-instances/{missing}": 404, "GET /documents/{missing}": 404}
PAGES = ("/inbox", "/notifications", "/cases", "/cases/{c}", "/tasks/{t}", "/supervisor", "/audit/",
         "/audit/instances/{i}", "/audit/instances/{i}/history", "/audit/instances/{i}/history.pdf",
         "/audit/cases/{c}/history.pdf", "/audit/compliance", "/audit/access-log", "/modeler",
         "/cases/{c}/instances/{i}.bpmn", "/admin/users", "/reports/new")


def _overseer(app, make_user, username, territory=None):
    from app.extensions import db
    from app.users.models import User
    api = make_user(username, "mes_committee", "overseer", password=PASSWORD)
    if territory:
        with app.app_context():
            db.session.query(User).filter_by(username=username).one().territory = territory
            db.session.commit()
            db.session.remove()
    return api


def _place(app, n, code):
    from app.extensions import db
    from app.instances.models import Case
    with app.app_context():
        for case in db.session.query(Case).filter(Case.territory.is_(None)).order_by(Case.id).limit(n):
            case.territory = code
        db.session.commit()
        db.session.remove()


@pytest.fixture
def reports(owner, make_user, app):
    """Six police reports: four of children in Talgar district (Almaty oblast), two in the city of Almaty."""
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    started = [police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}})
               for _ in range(6)]
    assert all(r.status_code == 201 for r in started)
    _place(app, 4, "196200000")
    _place(app, 2, "750000000")
    task = police.get(f"/tasks?instance={started[0].json()['id']}").json()["items"][0]
    return started[0].json(), task


def test_the_committee_counts_the_country_and_narrows_to_an_oblast_or_district(reports, make_user, app, clock):
    clock.shift(timedelta(hours=2))
    committee = _overseer(app, make_user, "committee")
    auditor = make_user("ministry", None, "auditor")
    figures = committee.get("/dashboard").json()["figures"]
    assert figures == auditor.get("/dashboard").json()["figures"]            # the country, as a national auditor
    assert figures["open_cases"]["rows"] == [["Тестовое сообщение", "police", 6]]
    assert figures["territories"]["rows"] == [["190000000", 4], ["750000000", 2]]
    oblast = committee.get("/dashboard?territory=190000000").json()["figures"]
    district = committee.get("/dashboard?territory=196200000").json()["figures"]
    assert oblast["open_cases"]["rows"] == district["open_cases"]["rows"] == [["Тестовое сообщение", "police", 4]]
    assert committee.get("/dashboard?territory=195200000").json()["figures"]["open_cases"]["rows"] == []
    csv = committee.get("/dashboard?format=csv").text
    assert "open_cases,Тестовое сообщение,police,6,," in csv


def test_a_regional_overseer_is_held_to_their_territory(reports, make_user, app, clock):
    clock.shift(timedelta(hours=2))
    akimat = _overseer(app, make_user, "almaty.oblast", territory="190000000")
    own = akimat.get("/dashboard").json()["figures"]
    assert own["open_cases"]["rows"] == [["Тестовое сообщение", "police", 4]]
    assert own["territories"]["rows"] == [["190000000", 4]]
    assert own["overdue"]["rows"] == [["police", "", 4]]
    assert akimat.get("/dashboard?territory=750000000").json()["figures"] == own     # elsewhere: held to theirs
    assert akimat.get("/dashboard?territory=195200000").json()["figures"]["open_cases"]["rows"] == []


@pytest.mark.parametrize("endpoint", list(MATRIX))
def test_every_api_endpoint_with_personal_data_refuses_an_overseer(reports, make_user, app, endpoint):
    started, task = reports
    committee = _overseer(app, make_user, "committee")
    method, template = endpoint.split(" ", 1)
    path = template.format(i=started["id"], t=task["id"], c=started["case_id"], missing=MISSING, p="reporter", v=1)
    kw = {"json": {"data": {"summary": "x"}, "process_id": "reporter", "to": "inspector", "name": "case_notified",
                   "correlation": {"case_id": started["case_id"]}, "payload": {}}} if method in ("POST", "PUT") else {}
    r = committee.http.request(method, committee.base + path, timeout=30, **kw)
    assert r.status_code == ALLOWED.get(endpoint, 403), (endpoint, r.status_code, r.text[:200])


def test_the_inbox_refuses_an_overseer(reports, make_user, app):
    committee = _overseer(app, make_user, "committee")
    assert committee.get("/tasks").status_code == 403
    assert committee.get("/tasks?overdue=true").status_code == 403


def test_pages_refuse_an_overseer_and_the_menu_offers_the_dashboard(reports, make_user, app, server):
    started, task = reports
    _overseer(app, make_user, "committee")
    browser = signed_in(server, "committee", PASSWORD)
    for template in PAGES:
        path = template.format(i=started["id"], t=task["id"], c=started["case_id"])
        r = browser.get(server + path, allow_redirects=False)
        assert r.status_code == 403, (path, r.status_code)
    home = browser.get(server + "/", allow_redirects=False)
    assert home.status_code == 302 and home.headers["Location"].endswith("/dashboard")
    page = browser.get(server + "/dashboard")
    assert page.status_code == 200 and 'href="/dashboard"' in page.text
    assert 'href="/inbox"' not in page.text and 'href="/cases"' not in page.text
    assert "Тестовое сообщение" in page.text and "синяк" not in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    switched = browser.post(server + "/lang", data={"lang": "kk", "csrf_token": token}, allow_redirects=False)
    assert switched.status_code == 302 and switched.headers["Location"].endswith("/dashboard")   # not the inbox's 403


def test_flask_users_create_makes_a_regional_overseer(app, server, reports):
    """`flask users create ... --role overseer --territory KATO`: the oblast's counts, and no inbox."""
    result = app.test_cli_runner().invoke(args=["users", "create", "almaty.akimat", "--agency", "mes_committee",
                                                "--role", "overseer", "--territory", "190000000"])
    assert result.exit_code == 0, result.output
    from support import Api
    akimat = Api(server, result.output.rsplit(" ", 1)[-1].strip(), "almaty.akimat")
    assert akimat.get("/dashboard").json()["figures"]["open_cases"]["rows"] == [["Тестовое сообщение", "police", 4]]
    assert akimat.get("/tasks").status_code == 403
    started, _task = reports
    assert akimat.get(f"/cases/{started['case_id']}").status_code == 403


def test_the_demo_has_the_committee(app):
    from app.extensions import db
    from app.users.models import User
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        committee = db.session.query(User).filter_by(username="committee").one()
        assert committee.roles == {"overseer"} and committee.agency == "mes_committee" and committee.territory is None
        db.session.remove()
