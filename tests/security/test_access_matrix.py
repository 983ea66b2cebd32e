"""Every endpoint × every role × own/other agency × own/other organisation: the status each caller gets.

The police own the `reporter` process's only lane. "own" callers are police staff/supervisors of the
organisation the work is routed to (police.a, where it was registered); "other" callers are school
(education_org) staff/supervisors; the rest have no agency. A second test runs the same matrix for
"sibling" callers: police staff/supervisors of another unit (police.b), who must get what another
agency gets — except that they may start a new case of their own. Each cell
runs against a fresh instance so that one caller's write cannot change another's answer.
``OK`` marks callers that pass access control and get the domain's own answer (a diff of one
version, a migration to the version it is on); a separate test fails when an /api/v1 endpoint is
missing from the matrix.
"""
import pytest

from support import deploy_fixture

RECEIVED = "2026-12-01T09:00:00+05:00"
CALLERS = {                # name: (agency, roles)
    "own_staff": ("police", ("staff",)),
    "own_supervisor": ("police", ("supervisor",)),
    "other_staff": ("education_org", ("staff",)),
    "other_supervisor": ("education_org", ("supervisor",)),
    "process_owner": (None, ("process_owner",)),
    "auditor": (None, ("auditor",)),
    "admin": (None, ("admin",)),
    "anonymous": None,
}
C = list(CALLERS)
OK = "allowed"         # past access control: the domain's own answer (200, 409, 422 ...), never 401/403

# endpoint: expected status per caller, in the order of CALLERS
MATRIX = {
    "GET /process-models":               [200, 200, 200, 200, 200, 200, 200, 401],
    "POST /process-models":              [403, 403, 403, 403, 200, 403, 403, 401],
    "POST /process-instances":           [201, 201, 403, 403, 403, 403, 201, 401],
    "GET /process-instances/{i}":        [200, 200, 403, 403, 200, 200, 200, 401],
    "GET /process-instances/{i}/events": [200, 200, 403, 403, 200, 200, 200, 401],
    "GET /tasks/{t}":                    [200, 200, 403, 403, 403, 200, 200, 401],
    "POST /tasks/{t}/complete":          [200, 200, 403, 403, 403, 403, 403, 401],
    "POST /tasks/{t}/claim":             [200, 200, 403, 403, 403, 403, 403, 401],
    "POST /tasks/{t}/unclaim":           [200, 200, 403, 403, 403, 403, 403, 401],   # task held by the caller's colleague for own_*
    "POST /tasks/{t}/assign":            [200, 200, 403, 403, 403, 403, 403, 401],
    "PUT /tasks/{t}/draft":              [200, 200, 403, 403, 403, 403, 403, 401],
    "GET /messages?case_id={c}":         [200, 200, 403, 403, 403, 200, 200, 401],
    "POST /messages":                    [202, 202, 403, 403, 403, 403, 403, 401],   # what their lane throws, in their cases
    "GET /process-models/{p}/versions":  [403, 403, 403, 403, 200, 200, 200, 401],
    "GET /process-models/{p}/versions/1":       [403, 403, 403, 403, 200, 200, 200, 401],
    "GET /process-models/{p}/versions/1/forms": [403, 403, 403, 403, 200, 200, 200, 401],
    "GET /process-models/{p}/diff":      [403, 403, 403, 403, OK, OK, OK, 401],
    "POST /process-models/validate":     [403, 403, 403, 403, OK, 403, OK, 401],
    "GET /forms":                        [403, 403, 403, 403, 200, 403, 200, 401],
    "GET /forms/fixture-ack.json":       [403, 403, 403, 403, OK, 403, OK, 401],
    "GET /process-instances/{i}/migration": [403, 403, 403, 403, OK, 403, OK, 401],
    "POST /process-instances/{i}/migrate":  [403, 403, 403, 403, OK, 403, OK, 401],
    "GET /process-instances/{i}/replay":       [403, 403, 403, 403, 403, 200, 200, 401],
    "GET /process-instances/{i}/verification": [403, 403, 403, 403, 403, 200, 200, 401],
    "GET /audit/instances":              [403, 403, 403, 403, 403, 200, 200, 401],
    "GET /audit/versions/{v}/diagram":   [403, 403, 403, 403, 403, 200, 200, 401],
    "GET /audit/anchors":                [403, 403, 403, 403, 403, 200, 200, 401],
    "GET /audit/access-log":             [403, 403, 403, 403, 403, 200, 403, 401],
    "GET /audit/compliance":             [403, 403, 403, 403, 403, 200, 200, 401],
    "GET /dashboard":                    [403, 200, 403, 200, 403, 200, 200, 401],   # counts in the caller's scope
    "GET /incidents":                    [403, 200, 403, 200, 200, 200, 200, 401],   # supervisors: their cases' only
    "POST /incidents/999999/retry":      [403, 403, 403, 403, 404, 403, 404, 401],   # process owners (and admins)
    "POST /users":                       [403, 403, 403, 403, 403, 403, OK, 401],    # admins only
    "POST /users/colleague/password":    [403, 403, 403, 403, 403, 403, OK, 401],
    "POST /users/colleague/sessions/revoke": [403, 403, 403, 403, 403, 403, 200, 401],
    "POST /cases/{c}/documents":         [OK, OK, 403, 403, 403, 403, 403, 401],      # staff of the case attach
    "POST /tasks/{t}/documents":         [OK, OK, 403, 403, 403, 403, 403, 401],
    "GET /cases/{c}/documents":          [200, 200, 403, 403, 403, 200, 200, 401],
    "GET /documents/{missing}":          [404, 404, 404, 404, 404, 404, 404, 401],
    "GET /territories":                  [200, 200, 200, 200, 200, 200, 200, 401],
    "GET /cases/{c}":                    [200, 200, 403, 403, 403, 200, 200, 401],   # as the case page
    "GET /cases?q=Иванов":               [200, 200, 200, 200, 403, 200, 200, 401],   # search within what each sees
    "POST /tasks/{t}/transfer":          [403, OK, 403, 403, 403, 403, OK, 401],    # supervisors of the unit
    "POST /cases/{c}/transfer":          [403, OK, 403, 403, 403, 403, OK, 401],
    "POST /cases/{c}/withdrawal":        [403, OK, 403, 403, 403, 403, 403, 401],   # the registrant (colleague) or a supervisor of their unit
    "PUT /cases/{c}/territory":          [OK, OK, 403, 403, 403, 403, OK, 401],     # staff of the case: residence
    "GET /tasks/{missing}":              [404, 404, 404, 404, 404, 404, 404, 401],
    "GET /process-instances/{missing}":  [404, 404, 404, 404, 404, 404, 404, 401],
    "POST /tasks/{missing}/complete":    [404, 404, 404, 404, 403, 403, 403, 401],
}
MISSING = "00000000-0000-0000-0000-000000000000"
PUBLIC = {"GET /openapi.json"}
ELSEWHERE = {"GET /tasks"}          # filtered, not refused: test_inbox_lists_only_the_callers_agency


def test_the_matrix_covers_every_api_endpoint(app):
    """A new endpoint must say who may call it: add it to MATRIX (or PUBLIC) above."""
    adapter = app.url_map.bind("localhost")
    covered = set()
    for entry in (*MATRIX, *PUBLIC, *ELSEWHERE):
        method, path = entry.split(" ", 1)
        path = path.split("?")[0].format(i="x", t="x", c="x", missing="x", p="x", v="1")
        covered.add((method, adapter.match("/api/v1" + path, method=method)[0]))
    missing = [f"{method} {rule.rule}" for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
               for method in sorted(rule.methods - {"HEAD", "OPTIONS"}) if (method, rule.endpoint) not in covered]
    assert not missing, missing


@pytest.fixture
def world(app, owner, make_user, server):
    assert deploy_fixture(owner, "reporter").status_code == 201
    users = {"process_owner": owner}
    for name, spec in CALLERS.items():
        if spec is None:
            users[name] = _Anon(server)
        elif name != "process_owner":
            users[name] = make_user(name, spec[0], *spec[1])
    users["colleague"] = make_user("colleague", "police", "staff")
    users["sibling_staff"] = make_user("sibling_staff", "police", "staff")
    users["sibling_supervisor"] = make_user("sibling_supervisor", "police", "supervisor")
    from app.extensions import db
    from app.organisations.service import create
    from app.registry.models import ProcessVersion
    from app.users.models import User
    with app.app_context():
        users["version_id"] = db.session.query(ProcessVersion.id).scalar()
        for code, kato in (("police.a", "196200000"), ("police.b", "195200000")):
            create(db.session, code=code, agency="police", name_ru=code, serves=[kato])
        for name, code in (("own_staff", "police.a"), ("own_supervisor", "police.a"), ("colleague", "police.a"),
                           ("sibling_staff", "police.b"), ("sibling_supervisor", "police.b")):
            db.session.query(User).filter_by(username=name).update({"organisation": code})
        db.session.commit()
        db.session.remove()
    return users


class _Anon:
    def __init__(self, server):
        import requests
        self.base, self.http, self.username = server + "/api/v1", requests.Session(), None

    def request(self, method, path, **kw):
        return self.http.request(method, self.base + path, timeout=30, **kw)


def _call(api, method, path, **kw):
    if isinstance(api, _Anon):
        return api.request(method, path, **kw)
    return api.http.request(method, api.base + path, timeout=30, **kw)


def _fresh(users):
    """A new instance in the police lane, with its open `report` task."""
    colleague = users["colleague"]
    r = colleague.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}})
    assert r.status_code == 201, r.text
    started = r.json()
    task = colleague.get(f"/tasks?instance={started['id']}").json()["items"][0]
    return started, task


@pytest.mark.parametrize("endpoint", list(MATRIX))
def test_access_matrix(world, endpoint):
    expected = dict(zip(C, MATRIX[endpoint]))
    assert _answers(world, endpoint, C, expected) == expected, endpoint


SIBLINGS = {"sibling_staff": "other_staff", "sibling_supervisor": "other_supervisor"}
SIBLING_EXCEPTIONS = {("POST /process-instances", "sibling_staff"): 201,        # a new case of their own
                      ("POST /process-instances", "sibling_supervisor"): 201}


@pytest.mark.parametrize("endpoint", list(MATRIX))
def test_access_matrix_another_unit_of_the_same_agency(world, endpoint):
    """Police of another district get what another agency gets: the work is not routed to them."""
    row = dict(zip(C, MATRIX[endpoint]))
    expected = {s: SIBLING_EXCEPTIONS.get((endpoint, s), row[other]) for s, other in SIBLINGS.items()}
    assert _answers(world, endpoint, list(SIBLINGS), expected) == expected, endpoint


def _answers(world, endpoint, callers, expected):
    from support import FIXTURES
    method, template = endpoint.split(" ", 1)
    answers = {}
    for caller in callers:
        api = world[caller]
        started, task = _fresh(world)
        if "unclaim" in template and caller.startswith("own"):
            # the holder or a supervisor releases: own staff holds it themselves, own supervisor releases the colleague's
            holder = world["own_staff"] if caller == "own_staff" else world["colleague"]
            assert holder.post(f"/tasks/{task['id']}/claim").status_code == 200
        path = template.format(i=started["id"], t=task["id"], c=started["case_id"], missing=MISSING, p="reporter",
                               v=world["version_id"])
        kw = {}
        if method in ("POST", "PUT"):
            kw["json"] = {"data": {"summary": "синяки на руках"}, "process_id": "reporter", "to": "colleague",
                          "name": "case_notified", "correlation": {"case_id": started["case_id"]}, "payload": {}}
        if template in ("/process-models", "/process-models/validate"):
            kw = {"files": [("file", ("r.bpmn", (FIXTURES / "bpmn" / "reporter.bpmn").read_bytes(), "application/xml"))]
                  + [("forms", (f, (FIXTURES / "forms" / f).read_bytes(), "application/json"))
                     for f in ("fixture-report.json", "fixture-ack.json")]}
        response = _call(api, method, path, **kw)
        answers[caller] = response.status_code
        if response.status_code >= 400:
            assert response.headers["Content-Type"].startswith("application/problem+json"), (caller, response.text)
    return {c: (OK if expected[c] == OK and answers[c] not in (401, 403, 404) and answers[c] < 500 else answers[c])
            for c in callers}


def test_inbox_lists_only_the_callers_agency(world):
    started, task = _fresh(world)
    seen = {name: [t["id"] for t in world[name].get("/tasks").json()["items"]]
            for name in ("own_staff", "own_supervisor", "other_staff", "other_supervisor", "process_owner",
                         "auditor", "admin", "sibling_staff", "sibling_supervisor")}
    assert seen == {"own_staff": [task["id"]], "own_supervisor": [task["id"]], "other_staff": [],
                    "other_supervisor": [], "process_owner": [], "auditor": [task["id"]], "admin": [task["id"]],
                    "sibling_staff": [], "sibling_supervisor": []}
