"""Oversight by territory (issue 11 §4): a regional overseer (an auditor with a КАТО territory) sees the cases of
children living in their territory — and everything under it in the classifier — and nothing else: not the
neighbouring district's case, its failed steps, instances or messages; a national one sees all; a supervisor
sees the failed steps of the cases their unit takes part in. One rule, ``app.access``, on every surface."""
from datetime import datetime

import pytest

from support import deploy_fixture

RECEIVED = "2026-12-01T09:00:00+05:00"
T = datetime.fromisoformat("2026-12-01T09:30:00+05:00")
ALMATY_OBLAST, TALGAR, KARASAY = "190000000", "196200000", "195200000"


@pytest.fixture
def two_districts(app, owner, make_user, run_due):
    """A police case in each district, each with a failed message (an incident), and the overseers."""
    deploy_fixture(owner, "reporter")
    deploy_fixture(owner, "poisoned_start", forms=("fixture-ack.json",))
    police = make_user("inspector", "police", "staff")
    register = make_user("police-register", "police", "integration")
    cases = {}
    for name, kato in (("talgar", TALGAR), ("karasay", KARASAY)):
        started = police.post("/process-instances", json={"process_id": "reporter",
                                                          "data": {"received_at": RECEIVED, "territory": kato}})
        assert started.status_code == 201, started.text
        cases[name] = started.json()
        assert register.post("/messages", json={"name": "poison", "correlation": {"case_id": cases[name]["case_id"]},
                                                "payload": {}}).status_code == 202
    run_due(T)
    users = {"national": make_user("national", None, "auditor"), "talgar": make_user("talgar-aud", None, "auditor"),
             "oblast": make_user("oblast-aud", None, "auditor"), "chief": make_user("chief", "police", "supervisor"),
             "school_head": make_user("head", "education_org", "supervisor")}
    from app.extensions import db
    from app.users.models import User
    with app.app_context():
        for username, kato in (("talgar-aud", TALGAR), ("oblast-aud", ALMATY_OBLAST)):
            db.session.query(User).filter_by(username=username).update({"territory": kato})
        db.session.commit()
        db.session.remove()
    return cases, users


def _incident_cases(api):
    r = api.get("/incidents")
    assert r.status_code == 200, r.text
    return sorted(i["case_id"] for i in r.json()["items"])


def test_failed_steps_are_overseen_by_territory_and_by_the_cases_a_unit_takes_part_in(two_districts):
    cases, users = two_districts
    talgar, karasay = cases["talgar"]["case_id"], cases["karasay"]["case_id"]
    assert _incident_cases(users["national"]) == sorted([talgar, karasay])
    assert _incident_cases(users["oblast"]) == sorted([talgar, karasay])       # the oblast covers both districts
    assert _incident_cases(users["talgar"]) == [talgar]
    assert _incident_cases(users["chief"]) == sorted([talgar, karasay])        # police take part in both
    assert _incident_cases(users["school_head"]) == []


def test_a_regional_overseer_reads_their_territorys_case_and_nothing_of_the_neighbours(two_districts):
    cases, users = two_districts
    overseer = users["talgar"]
    own, other = cases["talgar"], cases["karasay"]
    for path in ("/cases/{c}", "/process-instances/{i}", "/process-instances/{i}/events", "/messages?case_id={c}",
                 "/process-instances/{i}/replay"):
        assert overseer.get(path.format(c=own["case_id"], i=own["id"])).status_code == 200, path
        assert overseer.get(path.format(c=other["case_id"], i=other["id"])).status_code == 403, path
    listed = {i["case_id"] for i in overseer.get("/audit/instances").json()["items"]}
    assert listed == {own["case_id"]}
    found = {c["id"] for c in overseer.get("/cases").json()["items"]}
    assert found == {own["case_id"]}


def test_who_oversees_what_is_one_rule_in_app_access(app, two_districts):
    """The predicates themselves, without HTTP: the rule incidents, lists and pages ask."""
    from app import access
    from app.extensions import db
    from app.users.models import User
    cases, _ = two_districts
    ids = {c["case_id"] for c in cases.values()}
    with app.app_context():
        by_name = {u.username: u for u in db.session.query(User)}
        assert access.oversees_everything(by_name["national"]) and access.oversees_everything(by_name["owner"])
        assert not access.oversees_everything(by_name["talgar-aud"])
        assert access.overseen_cases_among(db.session, by_name["talgar-aud"], ids) == {cases["talgar"]["case_id"]}
        assert access.overseen_cases_among(db.session, by_name["head"], ids) == set()
        assert access.taking_part_among(db.session, by_name["chief"], ids) == ids
        assert access.takes_part(db.session, by_name["inspector"], cases["karasay"]["case_id"])
        assert not access.takes_part(db.session, by_name["head"], cases["karasay"]["case_id"])
        db.session.remove()
