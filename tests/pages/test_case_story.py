"""The case page tells the story over real HTTP, on the real chapters 1 and 4 (issue 13 §2): what was reported
(summary, place, who told, when), who must act now and by when, and a timeline in plain Russian with the steps
people took and the notices between agencies — no gateway, no element id. A reader who may not see the child
(an administrator) gets the case without the account of what happened."""
from __future__ import annotations

import html
import re
from datetime import datetime, timezone
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "case-story-password"
RECEIVED = "2026-12-01T09:00:00+05:00"
SUMMARY = "Синяки на руках, ребёнок боится идти домой."
PLACE = "г. Талгар, школа-гимназия № 12"
REPORTER = "Классный руководитель 3 «А» класса"
REGISTRATION = {
    "received_at": RECEIVED, "detected_by": "education", "detection_context": "visit", "channel": "oral_or_remote",
    "reporter": {"anonymous": False, "full_name": REPORTER, "relation_to_child": "учитель"},
    "child": {"last_name": "Иванова", "first_name": "Айгерим", "iin": "150312600124", "birth_date": "2015-03-12",
              "sex": "female"},
    "event_place": PLACE, "case_summary": SUMMARY, "offence_signs": True}
PRIMARY = {
    "child": REGISTRATION["child"],
    "family_members": [{"last_name": "Иванова", "first_name": "Сауле", "relation": "mother", "lives_with_child": True}],
    "address": {"region": "Алматинская область", "locality": "Талгар"}, "general_description": "Полная семья.",
    "priority_agency": "police", "priority_reason": "Признаки правонарушения.", "education_emergency": False,
    "offence_signs_found": True}


def _deploy(app):
    from app.extensions import db
    from app.registry.service import deploy
    with app.app_context():
        for name in ("ch1-identification.bpmn", "ch4-police.bpmn"):
            deploy(db.session, bpmn=(ROOT / "processes" / name).read_bytes(), forms={},
                   forms_dir=str(ROOT / "forms"), deployed_by="test")
        db.session.remove()


def _signed_in(server, username) -> requests.Session:
    s = requests.Session()
    token = re.search(r'name="csrf_token" value="([^"]+)"', s.get(server + "/login").text).group(1)
    r = s.post(server + "/login", data={"username": username, "password": PASSWORD, "csrf_token": token},
               allow_redirects=False)
    assert r.status_code == 302, r.text[:300]
    return s


def _complete(api, case_id, bpmn_id, data):
    task = next(t for t in api.get("/tasks", params={"case": case_id}).json()["items"] if t["bpmn_id"] == bpmn_id)
    r = api.post(f"/tasks/{task['id']}/complete", json={"data": data})
    assert r.status_code == 200, r.text


def _text(page: str) -> str:
    """The page's visible words, tags dropped and spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    return page[start:page.index("</section>", start)]


def _case(app, make_user, run_due):
    _deploy(app)
    school = make_user("pedagogue", "education_org", "staff", password=PASSWORD)
    police = make_user("inspector", "police", "staff", password=PASSWORD)
    r = school.post("/process-instances", json={"process_id": "ch1_identification", "data": {"received_at": RECEIVED}})
    assert r.status_code == 201, r.text
    case = r.json()
    _complete(school, case["case_id"], "register_education_org", REGISTRATION)
    _complete(school, case["case_id"], "primary_info_education_org", PRIMARY)
    run_due(datetime.now(timezone.utc))                     # the worker delivers the notices
    _complete(police, case["case_id"], "ack_notice", {"acknowledged": True, "acknowledged_by": "Сапаров Е.",
                                                       "already_in_work": False})
    return case


def test_the_case_page_tells_what_was_reported_who_acts_now_and_what_happened(app, server, make_user, run_due):
    case = _case(app, make_user, run_due)
    school = _signed_in(server, "pedagogue")
    page = school.get(f"{server}/cases/{case['case_id']}")
    assert page.status_code == 200
    body = page.text

    reported = _text(_section(body, "report-title"))
    assert SUMMARY in reported and PLACE in reported
    assert f"{REPORTER} (учитель)" in reported
    assert "01.12.2026 09:00" in reported                        # received, Almaty time
    assert "pedagogue" in reported and "Организация образования" in reported       # who registered it

    duties = _section(body, "waiting-title")
    rows = re.findall(r"<tr class=\"([^\"]*)\" data-task-id=\"[^\"]+\">(.*?)</tr>", duties, re.S)
    told = {_text(cells).split(" Органы")[0].split(" Местный")[0]: (cls, _text(cells)) for cls, cells in rows}
    assert "Рассмотреть и зарегистрировать сообщение" in told            # the police's next step, no deadline
    assert "Органы внутренних дел (ОВД)" in told["Рассмотреть и зарегистрировать сообщение"][1]
    mio = told["Принять информацию и поручить работу приоритетному органу"]
    assert "Местный исполнительный орган (МИО)" in mio[1]
    assert "04.12.2026 00:00" in mio[1] and "через 3 дня" in mio[1] and mio[0] == ""    # due in 2 calendar days

    timeline = _section(body, "timeline-title")
    lines = [_text(li) for li in re.findall(r"<li class=\"timeline__item[^\"]*\">(.*?)</li>", timeline, re.S)]
    joined = "\n".join(lines)
    assert any("Выполнено: Зарегистрировать обращение" in line and "pedagogue" in line for line in lines), joined
    assert "Отправлено уведомление: Сообщение направлено в ОВД" in joined
    assert any("Уведомление доставлено: Поступило сообщение о насилии" in line and "Органы внутренних дел" in line
               and "отправитель: Организация образования" in line for line in lines), joined
    assert any("Получение уведомления подтверждено" in line and "inspector" in line for line in lines), joined
    # the engine's bookkeeping stays out: no gateway, no element id, no timer plumbing
    for hidden in ("late_signs_merge_education_org", "after_intake_split_education_org", "intake_merge",
                   "Признаки правонарушения выявлены позже?", "ЧП в сфере образования?", "Шаг выполнен",
                   "Незамедлительно", "already_in_work_check"):
        assert hidden not in timeline, hidden
    assert "Дело уже в работе?" not in timeline

    # in Kazakh, through the catalog: the same story in the reader's language
    token = re.search(r'name="csrf_token" value="([^"]+)"', body).group(1)
    assert school.post(f"{server}/lang", data={"lang": "kk", "csrf_token": token}).status_code == 200
    kazakh = _text(_section(school.get(f"{server}/cases/{case['case_id']}").text, "timeline-title"))
    assert "Хабарламаның алынғаны расталды" in kazakh and "Хабарлама жіберілді" in kazakh
    assert "Орындалды: Өтінішті тіркеу" in kazakh                     # the step's own Kazakh name (registry.words)
    assert "Получение уведомления подтверждено" not in kazakh


def test_a_missed_deadline_is_highlighted_in_the_duties_and_told_with_its_escalation(app, server, make_user, run_due,
                                                                                       clock):
    case = _case(app, make_user, run_due)
    clock.move_to("2026-12-04T10:00:00+05:00")             # the MIO's 2 calendar days ran out at midnight
    run_due(datetime.now(timezone.utc))
    body = _signed_in(server, "pedagogue").get(f"{server}/cases/{case['case_id']}").text
    rows = re.findall(r"<tr class=\"([^\"]*)\" data-task-id=\"[^\"]+\">(.*?)</tr>", _section(body, "waiting-title"), re.S)
    late = [cls == "is-late" for cls, _ in rows]
    assert late == sorted(late, reverse=True) and any(late)                 # the late come first
    mio = next((cls, _text(cells)) for cls, cells in rows
               if _text(cells).startswith("Принять информацию и поручить работу приоритетному органу"))
    assert mio[0] == "is-late" and "просрочено" in mio[1] and "04.12.2026 00:00" in mio[1]
    assert any(_text(cells).startswith("Контроль руководителя: передача в МИО эскалация") for _, cells in rows)
    timeline = _text(_section(body, "timeline-title"))
    assert "Пропущен срок: Принять информацию и поручить работу приоритетному органу" in timeline
    assert "Передано руководителю: Контроль руководителя: передача в МИО" in timeline
    assert "timeline__item--late" in _section(body, "timeline-title")


def test_a_reader_who_may_not_see_the_child_gets_the_case_without_the_account(app, server, make_user, run_due):
    case = _case(app, make_user, run_due)
    make_user("root", None, "admin", password=PASSWORD)     # may open every case, sees children by initials
    page = _signed_in(server, "root").get(f"{server}/cases/{case['case_id']}")
    assert page.status_code == 200
    body = page.text
    reported = _text(_section(body, "report-title"))
    assert "01.12.2026 09:00" in reported and "pedagogue" in reported
    assert "показываются только тем, кто работает по делу" in reported
    for secret in (SUMMARY, PLACE, REPORTER, "Айгерим", "150312600124"):
        assert secret not in body, secret
    assert "Получение уведомления подтверждено" in _section(body, "timeline-title")      # the story stays

    make_user("stranger", "health", "staff", password=PASSWORD)          # no part in the case: not even that
    assert _signed_in(server, "stranger").get(f"{server}/cases/{case['case_id']}").status_code == 403


def test_the_api_twin_of_the_case_page_tells_the_same_story_under_the_same_masking(app, server, make_user, run_due):
    case = _case(app, make_user, run_due)
    school = make_user("pedagogue2", "education_org", "staff")
    root = make_user("root", None, "admin")
    school.http.headers["Accept-Language"] = "ru"
    shown = school.get(f"/cases/{case['case_id']}").json()
    assert shown["reported"]["summary"] == SUMMARY and shown["reported"]["place"] == PLACE
    assert shown["reported"]["reporter"] == REPORTER and shown["reported"]["registered_by"] == "pedagogue"
    texts = [line["text"] for line in shown["story"]]
    assert "Получение уведомления подтверждено" in texts and "Выполнено: Зарегистрировать обращение" in texts
    assert not [t for t in texts if "merge" in t or "?" in t]
    mio = next(d for d in shown["duties"] if d["step"] == "Принять информацию и поручить работу приоритетному органу")
    assert mio["agency"] == "Местный исполнительный орган (МИО)" and mio["late"] is False and mio["due_at"]
    school.http.headers["Accept-Language"] = "kk"
    kazakh = [line["text"] for line in school.get(f"/cases/{case['case_id']}").json()["story"]]
    assert "Хабарламаның алынғаны расталды" in kazakh and "Орындалды: Өтінішті тіркеу" in kazakh

    masked = root.get(f"/cases/{case['case_id']}").json()["reported"]
    assert masked["masked"] is True and masked["received_at"] == RECEIVED
    assert (masked["summary"], masked["place"], masked["reporter"]) == (None, None, None)
