"""An integration (a service account with the ``integration`` role) posts messages into the cases its agency
takes part in and reads their fate — nothing else of the service: every other endpoint of the access matrix
answers as to a stranger (issue 11 §5: an explicit right, not a staff member's)."""
import pytest

from test_access_matrix import MATRIX, MISSING, world  # noqa: F401  (the fixture)

ALLOWED = {
    "POST /messages": 202, "GET /messages?case_id={c}": 200,
    # open to every signed-in caller: the deployed processes' list and the classifier
    "GET /process-models": 200, "GET /territories": 200,
    # nothing there: the same 404 every caller gets
    "GET /documents/{missing}": 404, "GET /tasks/{missing}": 404, "GET /process-instances/{missing}": 404,
}


@pytest.mark.parametrize("endpoint", [e for e in MATRIX if not e.startswith(("POST /users", "POST /incidents"))])
def test_an_integration_may_post_messages_and_nothing_else(world, make_user, endpoint):  # noqa: F811
    from test_access_matrix import _fresh
    register = world.get("register") or world.setdefault("register", make_user("police-register", "police",
                                                                                "integration"))
    started, task = _fresh(world)
    method, template = endpoint.split(" ", 1)
    path = template.format(i=started["id"], t=task["id"], c=started["case_id"], missing=MISSING, p="reporter",
                           v=world["version_id"])
    kw = {"json": {"data": {"summary": "x"}, "process_id": "reporter", "to": "colleague", "name": "case_notified",
                   "correlation": {"case_id": started["case_id"]}, "payload": {}}} if method in ("POST", "PUT") else {}
    r = register.http.request(method, register.base + path, timeout=30, **kw)
    assert r.status_code == ALLOWED.get(endpoint, 403), (endpoint, r.status_code, r.text[:200])
