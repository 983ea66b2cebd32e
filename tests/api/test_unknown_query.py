"""A query parameter an /api/v1 read does not document is refused (422 naming it), never ignored.

Ignored, a misspelt filter widens the answer: ``/audit/compliance?agnecy=health`` would hand an
auditor the whole country's figures as if they were one agency's.
"""
from app.api.openapi import SPEC


def test_a_misspelt_filter_is_refused_on_every_documented_read(make_user):
    auditor = make_user("auditor1", None, "auditor")
    r = auditor.get("/audit/compliance?agnecy=health", headers={"Accept-Language": "ru"})
    assert r.status_code == 422 and r.headers["Content-Type"].startswith("application/problem+json")
    body = r.json()
    assert body["code"] == "unknown_query_parameter"
    assert body["errors"][0]["field"] == "agnecy" and "agency" in body["errors"][0]["message"]
    assert "допустимые параметры" in body["errors"][0]["message"]
    assert auditor.get("/audit/compliance?agency=health").status_code == 200

    for path in ("/audit/instances", "/audit/access-log", "/audit/anchors", "/dashboard", "/tasks",
                 "/messages", "/incidents", "/cases", "/territories", "/forms"):
        assert "get" in SPEC["paths"][path]
        r = auditor.get(path + "?x-unknown=1")
        assert r.status_code == 422, (path, r.status_code, r.text)
        assert r.json()["errors"][0]["field"] == "x-unknown", path


def test_a_read_without_parameters_says_it_takes_none(owner):
    r = owner.get("/process-models?page=2")
    assert r.status_code == 422
    assert r.json()["errors"][0]["message"] == "this request takes no query parameters"
