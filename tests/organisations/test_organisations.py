"""Organisations and territories as an administrator and an integration meet them: the classifier over
HTTP, `flask orgs`, `flask users create --org`, the admin page, and the demo's districts."""
import pytest

from tests.pages.test_pages_http import PASSWORD, _csrf, _signed_in


def test_territories_list_the_oblasts_then_a_parents_districts(make_user):
    api = make_user("inspector", "police", "staff")
    top = api.get("/territories").json()["items"]
    assert len(top) == 20 and {"code": "190000000", "parent": None, "level": 1, "name": "Алматинская область",
                               "name_ru": "Алматинская область", "name_kk": "Алматы облысы",
                               "name_en": "Almaty Region"} in top
    english = api.get("/territories", params={"parent": "190000000"}, headers={"Accept-Language": "en"}).json()
    assert {t["code"]: t["name"] for t in english["items"]}["196200000"] == "Talgar District"
    districts = {t["code"]: t["name_ru"] for t in api.get("/territories", params={"parent": "190000000"}).json()["items"]}
    assert districts["196200000"] == "Талгарский район" and all(c.startswith("19") for c in districts)
    bad = api.get("/territories", params={"parent": "nope"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "parent"


def test_orgs_are_created_imported_and_users_belong_to_one(app, tmp_path):
    runner = app.test_cli_runner()
    made = runner.invoke(args=["orgs", "create", "talgar.police", "--agency", "police", "--name", "ОП Талгарского района",
                               "--serves", "196200000"])
    assert made.exit_code == 0, made.output
    unknown = runner.invoke(args=["orgs", "create", "x.police", "--agency", "police", "--name", "X", "--serves", "1"])
    assert unknown.exit_code != 0 and "serves: 1 is not in the classifier" in unknown.output
    sheet = tmp_path / "orgs.csv"
    sheet.write_text("code,agency,name_ru,name_kk,territory,serves,parent\n"
                     "almaty.police,police,ДП Алматинской области,,190000000,190000000,\n"
                     "karasay.school,education_org,Школа №1,,195200000,195200000,\n", encoding="utf-8")
    assert runner.invoke(args=["orgs", "import", str(sheet)]).exit_code == 0
    listed = runner.invoke(args=["orgs", "list"]).output
    assert "almaty.police" in listed and "karasay.school" in listed

    ok = runner.invoke(args=["users", "create", "officer", "--org", "talgar.police", "--role", "staff"])
    assert ok.exit_code == 0 and "officer (talgar.police; staff)" in ok.output
    mismatch = runner.invoke(args=["users", "create", "t2", "--org", "talgar.police", "--agency", "health"])
    assert mismatch.exit_code != 0 and "talgar.police belongs to police" in mismatch.output
    missing = runner.invoke(args=["users", "create", "t3", "--agency", "police", "--role", "staff"])
    assert missing.exit_code != 0 and "org" in missing.output
    national = runner.invoke(args=["users", "create", "t4", "--role", "auditor"])
    assert national.exit_code == 0


def test_routing_prefers_the_most_specific_cover_and_alerts_on_a_gap(app):
    """District police before the oblast's; a district without a unit of the agency goes to the nearest one
    in the same oblast, and an open routing incident names the gap."""
    from app.extensions import db
    from app.instances.models import Case
    from app.instances.routing import route
    from app.organisations.service import create
    with app.app_context():
        create(db.session, code="oblast.police", agency="police", name_ru="ДП", serves=["190000000"])
        create(db.session, code="talgar.police", agency="police", name_ru="ОП", serves=["196200000"])
        create(db.session, code="talgar.health", agency="health", name_ru="ЦРБ", serves=["196200000"])
        talgar = Case(id="c1", registration_number="1", opened_agency="education_org",
                      opened_organisation="talgar.school", territory="196200000")
        karasay = Case(id="c2", registration_number="2", territory="195200000")
        assert route(db.session, agency="police", case=talgar).organisation == "talgar.police"
        assert route(db.session, agency="police", case=karasay).organisation == "oblast.police"
        assert route(db.session, agency="education_org", case=talgar).organisation == "talgar.school"
        gap = route(db.session, agency="health", case=karasay)
        assert gap.organisation == "talgar.health" and "no health organisation serves territory 195200000" in gap.gap
        assert route(db.session, agency="kdnzp", case=karasay).organisation is None      # no unit at all: agency level
        db.session.remove()


def test_admins_list_create_and_deactivate_organisations(make_user, server):
    make_user("root", None, "admin", password=PASSWORD)
    s = _signed_in(server, "root")
    page = s.get(server + "/admin/organisations").text
    refused = s.post(server + "/admin/organisations", data={"csrf_token": _csrf(page), "code": "talgar.kdnzp",
                                                           "agency": "kdnzp", "name_ru": "КДНЗП", "serves": "12"})
    assert refused.status_code == 422 and 'data-field="serves"' in refused.text
    made = s.post(server + "/admin/organisations", data={"csrf_token": _csrf(page), "code": "talgar.kdnzp",
                                                        "agency": "kdnzp", "name_ru": "КДНЗП Талгарского района",
                                                        "serves": "196200000"})
    assert made.status_code == 200 and "Талгарский район, Алматинская область" in made.text
    off = s.post(server + "/admin/organisations/talgar.kdnzp/active", data={"csrf_token": _csrf(page), "active": "0"})
    assert off.status_code == 200 and "Включить снова" in off.text
    named = s.post(server + "/admin/organisations", data={
        "csrf_token": _csrf(page), "code": "talgar.school", "agency": "education_org", "name_ru": "Школа № 1",
        "name_kk": "№ 1 мектеп", "name_en": "School No. 1", "serves": "196200000"})
    assert named.status_code == 200 and "Школа № 1" in named.text
    assert s.post(server + "/lang", data={"lang": "en", "next": "/admin/organisations", "csrf_token": _csrf(page)}
                  ).status_code == 200
    english = s.get(server + "/admin/organisations").text
    assert "School No. 1" in english and "Talgar District, Almaty Region" in english and "Школа № 1" not in english
    assert "КДНЗП Талгарского района" in english                   # no English name given: the Russian one
    assert s.post(server + "/lang", data={"lang": "kk", "next": "/admin/organisations", "csrf_token": _csrf(page)}
                  ).status_code == 200
    assert "№ 1 мектеп" in s.get(server + "/admin/organisations").text
    make_user("clerk", "kdnzp", "staff", password=PASSWORD)
    assert _signed_in(server, "clerk").get(server + "/admin/organisations").status_code == 403


def test_the_demo_seeds_two_districts_with_six_units_and_their_users(app):
    from app.extensions import db
    from app.organisations.models import Organisation
    from app.users.models import User
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        orgs = db.session.query(Organisation).all()
        assert len(orgs) == 12 and {o.serves[0] for o in orgs} == {"196200000", "195200000"}
        assert db.session.query(User).filter_by(username="karasay.police.supervisor").one().organisation == \
            "karasay.police"
        db.session.remove()


def test_a_regional_auditor_reads_only_the_cases_of_their_territory(app, units_of_two_districts):
    """`flask users create --role auditor --territory 196200000`: Talgar's cases, not Karasay's."""
    school, talgar_case, karasay_case = units_of_two_districts
    result = app.test_cli_runner().invoke(args=["users", "create", "talgar.auditor", "--role", "auditor",
                                                "--territory", "196200000"])
    assert result.exit_code == 0, result.output
    token = result.output.rsplit(" ", 1)[-1].strip()
    from support import Api
    regional = Api(school.base.rsplit("/api/v1", 1)[0], token, "talgar.auditor")
    assert regional.get(f"/cases/{talgar_case['case_id']}").status_code == 200
    assert regional.get(f"/cases/{karasay_case['case_id']}").status_code == 403
    assert regional.get(f"/process-instances/{karasay_case['id']}").status_code == 403
    seen = {t["case_id"] for t in regional.get("/tasks").json()["items"]}
    assert seen == {talgar_case["case_id"]}
    bad = app.test_cli_runner().invoke(args=["users", "create", "x.auditor", "--role", "auditor", "--territory", "1"])
    assert bad.exit_code != 0 and "territory" in bad.output


@pytest.fixture
def units_of_two_districts(app, make_user):
    """A school's staff with one case in Talgar and one in Karasay (chapter 1 started with a territory)."""
    from app.extensions import db
    from app.organisations.service import create
    from app.users.models import User
    from support import ROOT
    from app.registry.service import deploy
    with app.app_context():
        deploy(db.session, bpmn=(ROOT / "processes" / "ch1-identification.bpmn").read_bytes(), forms={},
               forms_dir=str(ROOT / "forms"), deployed_by="test")
        create(db.session, code="talgar.school", agency="education_org", name_ru="Школа", serves=["196200000"])
        db.session.remove()
    school = make_user("talgar.school.staff", "education_org", "staff")
    with app.app_context():
        db.session.query(User).filter_by(username=school.username).update({"organisation": "talgar.school"})
        db.session.commit()
        db.session.remove()
    cases = [school.post("/process-instances", json={"process_id": "ch1_identification",
                                                     "data": {"territory": kato}}).json()
             for kato in ("196200000", "195200000")]
    return school, cases[0], cases[1]
