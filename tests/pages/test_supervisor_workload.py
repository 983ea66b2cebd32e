"""The supervisor's page over HTTP: each heading once, the unit's workload per employee (open, overdue, due by the
end of the next working day, and the tasks nobody took), and handing an employee's tasks to a colleague of the
same unit — refused, with the page redrawn, for a colleague of another unit."""
from __future__ import annotations

import re

import pytest

from tests.pages.test_pages_http import PASSWORD, _csrf, _signed_in, deploy_fixture

# the pinned day is Tuesday 1 December 2026, 09:00:05; `report` is due an hour after receipt
OVERDUE = "2026-11-30T09:00:00+05:00"          # due Monday 10:00: late
TODAY = "2026-12-01T09:00:00+05:00"            # due today 10:00: within the next working day
LATER = "2026-12-07T09:00:00+05:00"            # due next Monday: neither


def _set(app, username, **values):
    from app.extensions import db
    from app.users.models import User
    with app.app_context():
        db.session.query(User).filter_by(username=username).update(values)
        db.session.commit()
        db.session.remove()


@pytest.fixture
def unit(app, owner, make_user, server):
    return build_unit(app, owner, make_user, PASSWORD)


def build_unit(app, owner, make_user, password):
    """Talgar's police: two inspectors, their chief; Karasay's police inspector; a school teacher. Four
    reports registered by Aidos (they stay with his unit): two he holds, one Bota holds, one nobody took; the late
    one's deadline passed before it was registered, so its escalation to the supervisors is open too (nobody's)."""
    from app.extensions import db
    from app.organisations.service import create
    deploy_fixture(owner, "reporter")
    with app.app_context():
        create(db.session, code="talgar.police", agency="police", name_ru="ОП Талгарского района", serves=["196200000"])
        create(db.session, code="karasay.police", agency="police", name_ru="ОП Карасайского района",
               serves=["195200000"])
        db.session.remove()
    people = {}
    for username, org, role, name in (("aidos", "talgar.police", "staff", "Айдос Серикович"),
                                      ("bota", "talgar.police", "staff", "Бота Нурлановна"),
                                      ("chief", "talgar.police", "supervisor", "Начальник ОП"),
                                      ("stranger", "karasay.police", "staff", "Карасайский инспектор")):
        people[username] = make_user(username, "police", role, password=password)
        _set(app, username, organisation=org, full_name=name)
    make_user("teacher", "education_org", "staff", password=password)
    tasks = {}
    for label, received in (("late", OVERDUE), ("today", TODAY), ("later", LATER), ("free", TODAY)):
        started = people["aidos"].post("/process-instances", json={"process_id": "reporter",
                                                                   "data": {"received_at": received}})
        assert started.status_code == 201, started.text
        tasks[label] = people["aidos"].get(f"/tasks?instance={started.json()['id']}").json()["items"][0]["id"]
    for label, who in (("late", "aidos"), ("today", "aidos"), ("later", "bota")):
        assert people[who].post(f"/tasks/{tasks[label]}/claim").status_code == 200
    return people, tasks


def _workload(html: str) -> dict[str, tuple[int, int, int]]:
    """Per row of the workload table (user name, or "-" for nobody): (open, overdue, due soon)."""
    table = re.search(r'<table class="tasks workload".*?</table>', html, re.S).group(0)
    return {holder: tuple(int(n) for n in re.findall(r'data-count="\w+">(\d+)<', body))
            for holder, body in re.findall(r'<tr data-holder="([^"]+)"[^>]*>(.*?)</tr>', table, re.S)}


def test_the_workload_counts_each_employee_of_the_unit_and_the_untaken_work(unit, server):
    page = _signed_in(server, "chief").get(server + "/supervisor")
    assert page.status_code == 200
    assert _workload(page.text) == {"aidos": (2, 1, 1), "bota": (1, 0, 0), "chief": (0, 0, 0), "-": (2, 0, 1)}
    assert "Айдос Серикович" in page.text and "Карасайский инспектор" not in page.text       # not of the unit
    assert "02.12.2026" in page.text                     # "due soon" names the next working day
    # each heading once: no table repeats its section's heading as a caption
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", page.text)
    captions = re.findall(r"<caption>([^<]+)</caption>", page.text)
    assert len(headings) == len(set(headings)) and not set(headings) & {c.strip() for c in captions}
    assert "Нагрузка" in headings and "Просроченные задачи" in headings


def test_an_agency_wide_supervisor_sees_the_whole_agency_and_someone_who_left_keeps_a_row(unit, app, make_user,
                                                                                           server):
    make_user("police.chief", "police", "supervisor", password=PASSWORD)
    _set(app, "bota", active=False)                    # Bota left: her task is the one to hand over
    rows = _workload(_signed_in(server, "police.chief").get(server + "/supervisor").text)
    assert rows["aidos"] == (2, 1, 1) and rows["stranger"] == (0, 0, 0) and rows["-"] == (2, 0, 1)
    assert rows["bota"] == (1, 0, 0)
    page = _signed_in(server, "chief").get(server + "/supervisor").text
    assert "bota" in _workload(page) and "больше не в подразделении" in page


def test_a_supervisor_hands_an_employees_tasks_to_a_colleague_of_the_unit(unit, server):
    people, tasks = unit
    s = _signed_in(server, "chief")
    page = s.get(server + "/supervisor?holder=aidos")
    assert page.status_code == 200
    offered = re.findall(r'name="task" value="([^"]+)"', page.text)
    assert sorted(offered) == sorted([tasks["late"], tasks["today"]])
    receivers = re.search(r'<select id="handover-to".*?</select>', page.text, re.S).group(0)
    assert 'value="bota"' in receivers and 'value="aidos"' not in receivers and "stranger" not in receivers
    r = s.post(server + "/supervisor/handover", data={"csrf_token": _csrf(page.text), "holder": "aidos", "to": "bota",
                                                       "task": offered}, allow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"].endswith("/supervisor?holder=aidos#handover")
    after = s.get(server + r.headers["Location"]).text
    assert "Передано задач: 2 — Бота Нурлановна." in after
    assert _workload(after)["aidos"] == (0, 0, 0) and _workload(after)["bota"] == (3, 1, 1)
    task = people["bota"].get(f"/tasks/{tasks['late']}").json()
    assert task["claimed_by"] == "bota"
    events = people["chief"].get(f"/process-instances/{task['instance_id']}/events").json()
    last = (events["items"] if isinstance(events, dict) else events)[-1]
    assert (last["type"], last["actor"], last["data"]) == ("task_assigned", "chief", {"from": "aidos", "to": "bota"})
    # one task nobody took goes the same way
    page = s.get(server + "/supervisor?holder=-").text
    assert tasks["free"] in re.findall(r'name="task" value="([^"]+)"', page)          # and the escalation
    r = s.post(server + "/supervisor/handover", data={"csrf_token": _csrf(page), "holder": "-", "to": "aidos",
                                                       "task": tasks["free"]})
    assert r.status_code == 200 and _workload(r.text)["-"] == (1, 0, 0) and _workload(r.text)["aidos"] == (1, 0, 1)


def test_handing_to_another_units_colleague_is_refused_and_the_page_redrawn(unit, server):
    people, tasks = unit
    s = _signed_in(server, "chief")
    page = s.get(server + "/supervisor?holder=aidos").text
    r = s.post(server + "/supervisor/handover", data={"csrf_token": _csrf(page), "holder": "aidos", "to": "stranger",
                                                       "task": [tasks["late"], tasks["today"]]})
    assert r.status_code == 422 and r.headers["Content-Type"].startswith("text/html")
    assert "stranger не работает в вашем подразделении" in r.text and 'role="alert"' in r.text
    assert _workload(r.text)["aidos"] == (2, 1, 1)                          # nothing moved
    assert r.text.count(" checked>") == 2                                    # the choice is kept to correct
    assert people["aidos"].get(f"/tasks/{tasks['late']}").json()["claimed_by"] == "aidos"
    nothing = s.post(server + "/supervisor/handover", data={"csrf_token": _csrf(page), "holder": "aidos", "to": "bota"})
    assert nothing.status_code == 422 and "выберите хотя бы одну задачу" in nothing.text
    # a colleague of the unit, but the escalation is for supervisors
    page = s.get(server + "/supervisor?holder=-").text
    escalation = next(i for i in re.findall(r'name="task" value="([^"]+)"', page) if i != tasks["free"])
    r = s.post(server + "/supervisor/handover", data={"csrf_token": _csrf(page), "holder": "-", "to": "aidos",
                                                       "task": [tasks["free"], escalation]})
    assert r.status_code == 422 and "Айдос Серикович не может выполнять одну из выбранных задач" in r.text
    assert _workload(r.text)["-"] == (2, 0, 1)
    # the API's hand-over answers the same refusal as a problem naming the field
    api = people["chief"].post(f"/tasks/{tasks['late']}/assign", json={"to": "stranger"})
    assert api.status_code == 422 and api.json()["errors"][0]["field"] == "to"


def test_only_the_units_supervisor_hands_over_and_never_without_the_form_token(unit, app, make_user, server):
    _, tasks = unit
    chief = _signed_in(server, "chief")
    no_token = chief.post(server + "/supervisor/handover", data={"holder": "aidos", "to": "bota",
                                                                  "task": tasks["late"]})
    assert no_token.status_code == 400
    inspector = _signed_in(server, "aidos")
    page = inspector.get(server + "/inbox").text
    assert inspector.get(server + "/supervisor").status_code == 403
    refused = inspector.post(server + "/supervisor/handover", data={"csrf_token": _csrf(page), "holder": "aidos",
                                                                     "to": "bota", "task": tasks["late"]})
    assert refused.status_code == 403
    # a supervisor of another unit cannot move Talgar's tasks, even naming them
    make_user("karasay.chief", "police", "supervisor", password=PASSWORD)
    _set(app, "karasay.chief", organisation="karasay.police")
    other = _signed_in(server, "karasay.chief")
    page = other.get(server + "/supervisor").text
    assert set(_workload(page)) == {"karasay.chief", "stranger", "-"} and _workload(page)["-"] == (0, 0, 0)
    r = other.post(server + "/supervisor/handover", data={"csrf_token": _csrf(page), "holder": "aidos",
                                                           "to": "stranger", "task": tasks["late"]})
    assert r.status_code == 422 and "уже не открыта в вашем подразделении" in r.text
    assert _workload(chief.get(server + "/supervisor").text)["aidos"] == (2, 1, 1)
