"""Requests a new user or an integrator sends by accident (a UTF-16 diagram, a lone surrogate, a date at the
end of time, a very deep JSON body): each is accepted as meant or refused with a problem naming the field,
never a 500."""
import pytest

from support import FIXTURES, deploy_fixture

FORMS = ("fixture-report.json", "fixture-ack.json")
RECEIVED = "2026-12-01T09:00:00+05:00"


def _upload(api, data: bytes, path="/process-models"):
    files = [("file", ("x.bpmn", data, "application/xml"))]
    files += [("forms", (f, (FIXTURES / "forms" / f).read_bytes(), "application/json")) for f in FORMS]
    return api.post(path, files=files)


def _problem(response, status, field):
    assert response.status_code == status, response.text[:500]
    assert response.headers["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert field in [e.get("field") for e in body.get("errors", [])], body
    return body


def _as_utf16(text: str) -> bytes:
    declared = text.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    assert 'encoding="UTF-16"' in declared
    return declared.encode("utf-16")                  # with a byte order mark, as editors on Windows write it


def test_a_utf16_diagram_is_deployed_like_its_utf8_twin(owner, make_user, app):
    text = (FIXTURES / "bpmn" / "reporter.bpmn").read_text(encoding="utf-8")
    checked = _upload(owner, _as_utf16(text), "/process-models/validate")
    assert checked.status_code == 200 and checked.json()["process_id"] == "reporter", checked.text[:500]
    r = _upload(owner, _as_utf16(text))
    assert r.status_code == 201, r.text[:500]
    # stored as UTF-8 text that says so: the modeler and the audit replay read it back
    xml = owner.get("/process-models/reporter/versions/1").text
    assert 'encoding="UTF-8"' in xml and "Описать случай" in xml
    police = make_user("inspector", "police", "staff")
    started = police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}})
    assert started.status_code == 201, started.text
    auditor = make_user("aud", None, "auditor")
    assert auditor.get(f"/process-instances/{started.json()['id']}/replay").status_code == 200
    # the same diagram as UTF-8 is the same content: no second version
    again = _upload(owner, text.encode("utf-8"))
    assert again.status_code == 200 and again.json()["version"] == 1


def test_a_diagram_in_an_encoding_it_does_not_declare_is_refused_naming_the_file(owner):
    text = (FIXTURES / "bpmn" / "reporter.bpmn").read_text(encoding="utf-8")
    for data in (text.replace('encoding="UTF-8"', 'encoding="x-martian"').encode(),
                 b"\xff\xfe" + text.encode("utf-16-le")[:-1]):          # an odd number of UTF-16 bytes
        r = _upload(owner, data)
        assert r.status_code == 422, r.text[:300]
        assert r.headers["Content-Type"].startswith("application/problem+json")
        assert "encoding" in r.json()["errors"][0]["message"] or "UTF" in r.json()["errors"][0]["message"]


@pytest.mark.parametrize("path", ["/process-instances", "/messages", "/tasks/00000000-0000-0000-0000-000000000000/complete"])
def test_a_very_deep_json_body_is_400_naming_the_body(make_user, path):
    staff = make_user("inspector", "police", "staff")
    for depth in (100_000, 200):
        r = staff.post(path, data=b"[" * depth + b"]" * depth, headers={"Content-Type": "application/json"})
        _problem(r, 400, "body")
    nested = b'{"process_id": "reporter", "data": {"x": ' + b"[" * 1000 + b"]" * 1000 + b"}}"
    body = _problem(staff.post(path, data=nested, headers={"Content-Type": "application/json"}), 400, "body")
    assert "deep" in body["detail"]


def test_a_lone_surrogate_in_json_is_400_naming_the_field(owner, make_user):
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    raw = b'{"process_id": "reporter", "data": {"received_at": "%s", "summary": "\\ud800"}}' % RECEIVED.encode()
    body = _problem(police.post("/process-instances", data=raw, headers={"Content-Type": "application/json"}),
                    400, "data.summary")
    assert "surrogate" in body["detail"]
    key = b'{"process_id": "reporter", "data": {"\\udfff": 1}}'
    _problem(police.post("/process-instances", data=key, headers={"Content-Type": "application/json"}), 400, "data")
    started = police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}})
    task = police.get("/tasks").json()["items"][0]
    r = police.post(f"/tasks/{task['id']}/complete", data=b'{"data": {"summary": "\\ud83d"}}',
                    headers={"Content-Type": "application/json"})
    _problem(r, 400, "data.summary")
    # a proper pair of surrogates is an ordinary character
    ok = police.post(f"/tasks/{task['id']}/complete", data=b'{"data": {"summary": "\\ud83d\\ude00 bruises"}}',
                     headers={"Content-Type": "application/json"})
    assert ok.status_code == 200, ok.text
    assert police.get(f"/process-instances/{started.json()['id']}").json()["data"]["summary"] == "\U0001F600 bruises"


def test_a_form_uploaded_with_a_deep_or_broken_json_is_refused_naming_the_element(owner):
    files = [("file", ("x.bpmn", (FIXTURES / "bpmn" / "reporter.bpmn").read_bytes(), "application/xml")),
             ("forms", ("fixture-report.json", b"[" * 100_000 + b"]" * 100_000, "application/json")),
             ("forms", ("fixture-ack.json", (FIXTURES / "forms" / "fixture-ack.json").read_bytes(), "application/json"))]
    r = owner.post("/process-models", files=files)
    assert r.status_code == 422, r.text[:300]
    error = r.json()["errors"][0]
    assert error["element_id"] and "fixture-report.json" in error["message"]


AUDIT_FILTERS = ["/audit/instances", "/audit/access-log", "/audit/compliance", "/audit/compliance?format=csv"]


@pytest.mark.parametrize("path", AUDIT_FILTERS)
@pytest.mark.parametrize("field,value", [("until", "9999-12-31"), ("since", "9999-12-31"), ("since", "0001-01-01"),
                                         ("until", "0001-01-01T00:00:00+05:00"),
                                         ("since", "9999-12-31T23:59:59-05:00")])
def test_dates_at_the_ends_of_time_in_a_filter_are_422_naming_the_field(make_user, path, field, value):
    auditor = make_user("aud", None, "auditor")
    sep = "&" if "?" in path else "?"
    _problem(auditor.get(f"{path}{sep}{field}={value.replace('+', '%2B')}"), 422, field)


def test_a_plausible_period_still_filters(make_user):
    auditor = make_user("aud", None, "auditor")
    for path in AUDIT_FILTERS:
        sep = "&" if "?" in path else "?"
        assert auditor.get(f"{path}{sep}since=2026-01-01&until=2026-12-31").status_code == 200
