"""The dashboard over HTTP: counts in the caller's scope, computed per chapter, clause, organisation and
agency; charts as inline SVG with a table beside each; CSV with small counts suppressed."""
from datetime import timedelta


from support import deploy_fixture, signed_in

PASSWORD = "dashboard-password"
RECEIVED = "2026-12-01T09:00:00+05:00"


def _signed_in(server, username):
    return signed_in(server, username, PASSWORD)


def _reports(police, n):
    for _ in range(n):
        assert police.post("/process-instances", json={"process_id": "reporter",
                                                       "data": {"received_at": RECEIVED}}).status_code == 201


def _place(app, n, code):
    """The first ``n`` cases without a territory live in ``code`` (the registration form would set it)."""
    from app.extensions import db
    from app.instances.models import Case
    with app.app_context():
        for case in db.session.query(Case).filter(Case.territory.is_(None)).order_by(Case.id).limit(n):
            case.territory = code
        db.session.commit()
        db.session.remove()


def test_counts_in_scope_with_charts_tables_and_suppressed_small_counts(owner, make_user, server, clock, app):
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    chief = make_user("chief", "police", "supervisor", password=PASSWORD)
    school_head = make_user("head", "education_org", "supervisor")
    auditor = make_user("ministry", None, "auditor")
    _reports(police, 6)
    _place(app, 4, "196200000")                       # Талгарский район, Алматинская область
    _place(app, 2, "750000000")                       # г. Алматы
    clock.shift(timedelta(hours=2))                   # past the fixture's one-hour P4.a deadline

    body = chief.get("/dashboard").json()
    figures = body["figures"]
    assert figures["open_cases"]["rows"] == [["Тестовое сообщение", "police", 6]]
    assert figures["overdue"]["rows"][0][0] == "police" and figures["overdue"]["rows"][0][-1] == 6
    assert figures["deadlines"]["rows"] == [["P4.a", "2026-12", 0, 6]]
    assert figures["territories"]["rows"] == [["190000000", 4], ["750000000", 2]]   # districts roll up, ranked
    assert auditor.get("/dashboard").json()["figures"] == figures              # the country: same cases here
    oblast = chief.get("/dashboard?territory=190000000").json()["figures"]
    assert oblast["open_cases"]["rows"] == [["Тестовое сообщение", "police", 4]]
    assert oblast["territories"]["rows"] == [["190000000", 4]]
    assert all(f["rows"] == [] for f in school_head.get("/dashboard").json()["figures"].values())

    csv = chief.get("/dashboard?format=csv").text.splitlines()
    assert csv[0] == "figure,label_1,label_2,count_1,count_2,count_3" and "open_cases,Тестовое сообщение,police,6,," in csv
    assert police.get("/dashboard").status_code == 403
    for bad, field in (("territory=12", "territory"), ("territory=999999999", "territory"), ("since=yesterday", "since"), ("format=xls", "format")):
        r = chief.get(f"/dashboard?{bad}")
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == field

    page = _signed_in(server, "chief").get(server + "/dashboard").text
    section = page.split('id="fig-open_cases"', 1)[1].split("</section>", 1)[0]
    assert '<svg role="img"' in section and "<title>Дела в работе по главам и ведомствам</title>" in section
    assert "<td>Тестовое сообщение</td><td>Органы внутренних дел (ОВД)</td><td>6</td>" in section
    assert 'id="fig-notices"' in page and 'id="fig-deadlines"' in page
    ranked = page.split('id="fig-territories"', 1)[1].split("</section>", 1)[0]
    assert ranked.index("<td>Алматинская область</td><td>4</td>") < ranked.index("<td>г.Алматы</td><td>2</td>")


def test_small_counts_are_suppressed_in_the_export(owner, make_user, clock):
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    chief = make_user("chief", "police", "supervisor")
    _reports(police, 3)
    assert chief.get("/dashboard").json()["figures"]["open_cases"]["rows"][0][-1] == 3   # own scope: exact
    csv = chief.get("/dashboard?format=csv").text
    assert "open_cases,Тестовое сообщение,police,<5," in csv and ",3," not in csv


def test_a_regional_auditor_counts_only_their_territory(owner, make_user, clock, app):
    from app.extensions import db
    from app.users.models import User
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    regional = make_user("oblast.prosecutor", None, "auditor")
    with app.app_context():
        db.session.query(User).filter_by(username="oblast.prosecutor").one().territory = "190000000"
        db.session.commit()
        db.session.remove()
    _reports(police, 6)
    _place(app, 4, "196200000")                       # in the Almaty oblast
    _place(app, 2, "750000000")                       # the city of Almaty: another unit
    clock.shift(timedelta(hours=2))
    figures = regional.get("/dashboard?territory=750000000").json()["figures"]   # outside theirs: held to theirs
    assert figures["open_cases"]["rows"] == [["Тестовое сообщение", "police", 4]]
    assert figures["territories"]["rows"] == [["190000000", 4]]
    report = regional.get("/audit/compliance").json()
    assert len(report["misses"]) == 4 and all(m["territory"] == "196200000" for m in report["misses"])
    listed = regional.get("/audit/instances").json()["items"]          # the instance list: theirs only
    national = make_user("national.auditor", None, "auditor").get("/audit/instances").json()["items"]
    assert len(listed) == 4 and len(national) == 6
    outside = next(i["id"] for i in national if i["id"] not in {x["id"] for x in listed})
    assert regional.get(f"/process-instances/{outside}").status_code == 403


def test_time_from_report_to_each_agencys_first_action_median_and_90th_percentile(owner, make_user, clock, server):
    """Six reports registered at once; the police act on five of them 1, 2, 3, 4 and 5 hours later (the sixth
    still waits and does not count). The median is the third of the five, the 90th percentile the fifth;
    the export hides both with the count while fewer than five cases stand behind them."""
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    chief = make_user("chief", "police", "supervisor")
    school_head = make_user("head", "education_org", "supervisor")
    _reports(police, 6)
    tasks = sorted(police.get("/tasks").json()["items"], key=lambda t: t["id"])
    assert len(tasks) == 6
    for task in tasks[:5]:
        clock.shift(timedelta(hours=1))
        done = police.post(f"/tasks/{task['id']}/complete", json={"data": {"summary": "синяки на руках"}})
        assert done.status_code == 200, done.text

    body = chief.get("/dashboard").json()["figures"]["first_action"]
    assert body["columns"] == ["agency", "cases", "median_hours", "p90_hours"]
    assert body["rows"] == [["police", 5, 3.0, 5.0]]
    assert school_head.get("/dashboard").json()["figures"]["first_action"]["rows"] == []     # not their cases
    later = chief.get("/dashboard?since=2026-12-02T00:00:00%2B05:00").json()["figures"]["first_action"]
    assert later["rows"] == []                          # the period counts cases by when they were reported

    csv = chief.get("/dashboard?format=csv").text.splitlines()
    assert "first_action,police,,5,3.0,5.0" in csv
    clock.shift(timedelta(hours=1))
    assert police.post(f"/tasks/{tasks[5]['id']}/complete", json={"data": {"summary": "синяки"}}).status_code == 200
    rows = chief.get("/dashboard").json()["figures"]["first_action"]["rows"]
    assert rows == [["police", 6, 3.0, 6.0]]            # lower median of six: the third; ceil(0.9 × 6) = 6th

    make_user("overseer", "police", "supervisor", password=PASSWORD)
    page = _signed_in(server, "overseer").get(server + "/dashboard").text
    section = page.split('id="fig-first_action"', 1)[1].split("</section>", 1)[0]
    assert "<title>От сообщения до первого действия каждого ведомства (часы)</title>" in section
    assert "<td>Органы внутренних дел (ОВД)</td><td>6</td><td>3.0</td><td>6.0</td>" in section
