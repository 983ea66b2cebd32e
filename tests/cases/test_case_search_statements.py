"""What a page of case search results costs in SQL statements for a police inspector: the same for a page of 5
as for a page of 20, for an inspector of an organisation and for an agency-wide one. Whose child's name the page
shows is decided for the whole page at once (``access.child_names_shown_among``), not one query per listed case;
a per-case check creeping back makes the larger page cost more and fails here. Counted on the app's own engine
around one request on the real server (``counted`` of tests/instances/test_statement_count.py), for
``GET /api/v1/cases?q=`` and the Cases page; SQLite, or PostgreSQL when DATABASE_URL says so: run both."""
from __future__ import annotations

import os
import re

import pytest
import requests

from support import deploy_fixture
from tests.cases.test_case_search import CHILD, KARASAY, TALGAR, police_organisations
from tests.instances.test_statement_count import counted

# Before child_names_shown_among (2026-12-02, inspector of an organisation): one query per listed case on top, so
# GET /api/v1/cases?q= cost 10 statements for 5 results and 25 for 20 on SQLite (11 and 26 on PostgreSQL), and the
# Cases page 16 and 31 (17 and 32). Now 6 for both on SQLite (7 on PostgreSQL, which sets the trigram threshold
# first), the page 12 (13): the token's or session's user, the search, the access log's row, the cases' data, whose
# names are shown, and for the page its menu and counts. QAMQOR_SHOW_STATEMENTS=1 prints them.
PASSWORD = "search-statements-password"
CASES = 20


@pytest.fixture
def inspector(app, owner, make_user):
    """Police inspectors: one of an organisation (police.a) with 20 cases of the same child's surname in it, another
    organisation's with one more, and an agency-wide one who sees all 21."""
    assert deploy_fixture(owner, "reporter").status_code == 201
    ours = make_user("ours", "police", "staff", password=PASSWORD)
    theirs = make_user("theirs", "police", "staff")
    wide = make_user("wide", "police", "staff")
    police_organisations(app, {"ours": "police.a", "theirs": "police.b"})
    for _ in range(CASES):
        r = ours.post("/process-instances", json={"process_id": "reporter", "data": {"territory": TALGAR,
                                                                                      "child": CHILD}})
        assert r.status_code == 201, r.text
    r = theirs.post("/process-instances", json={"process_id": "reporter", "data": {
        "territory": KARASAY, "child": {**CHILD, "iin": "150312600999"}}})
    assert r.status_code == 201, r.text
    return {"ours": (ours, CASES), "wide": (wide, CASES + 1)}


def _api_page(app, inspector, limit):
    inspector, total = inspector
    inspector.get("/cases", params={"q": "елкина", "limit": limit})            # warm: pool, remembered rows
    with counted(app) as statements:
        r = inspector.get("/cases", params={"q": "елкина", "limit": limit})
    assert r.status_code == 200, r.text
    page = r.json()
    assert page["total"] == total and len(page["items"]) == limit
    assert {c["child"] for c in page["items"]} == {"Ёлкина Әйгерім"}           # the names are shown, not initials
    return statements


def _html_page(app, server, limit, monkeypatch):
    from app.pages import case_list
    monkeypatch.setattr(case_list, "PAGE_SIZE", limit)
    s = requests.Session()
    token = re.search(r'name="csrf_token" value="([^"]+)"', s.get(server + "/login").text).group(1)
    assert s.post(server + "/login", data={"username": "ours", "password": PASSWORD, "csrf_token": token},
                  allow_redirects=False).status_code == 302
    s.get(server + "/cases", params={"q": "елкина"})                           # warm
    with counted(app) as statements:
        r = s.get(server + "/cases", params={"q": "елкина"})
    assert r.status_code == 200
    assert r.text.count("Ёлкина Әйгерім") == limit
    return statements


def _show(label, statements):
    if os.environ.get("QAMQOR_SHOW_STATEMENTS"):
        print(f"\n{label}: {len(statements)} statements:\n" + "\n".join(statements))


@pytest.mark.parametrize("reader", ["ours", "wide"])
def test_a_page_of_search_results_costs_the_same_statements_for_5_and_for_20_cases(app, inspector, reader):
    small, large = _api_page(app, inspector[reader], 5), _api_page(app, inspector[reader], 20)
    _show(f"API, {reader}, 5", small)
    _show(f"API, {reader}, 20", large)
    assert len(small) == len(large), "\n".join(large)


def test_the_cases_page_costs_the_same_statements_for_5_and_for_20_cases(app, inspector, server, monkeypatch):
    small, large = _html_page(app, server, 5, monkeypatch), _html_page(app, server, 20, monkeypatch)
    _show("page, 5", small)
    _show("page, 20", large)
    assert len(small) == len(large), "\n".join(large)
