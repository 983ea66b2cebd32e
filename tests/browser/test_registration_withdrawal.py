"""Withdrawing a registration made in error, in a real browser (issue 13 §6, "a refused registration withdrawal by
a stranger"): the school's pedagogue who registered a report withdraws it on the case page — a reason too short
redraws the form with the message under the field and the text kept — and the page then says «Регистрация
отозвана» with the reason, when and who; the police unit told of the case sees it too, without the button, and its
forged POST is refused, as is another school's; the police's notifications page lists the withdrawn case."""
from __future__ import annotations

import re
from datetime import datetime, timezone

from pagetools import PASSWORD, axe_violations, deploy_guide, describe_violations, screenshot, sign_in
from playwright.sync_api import expect

RECEIVED = "2026-12-01T09:00:00+05:00"
KARASAY = "195200000"
REGISTRATION = {
    "received_at": RECEIVED, "detected_by": "education", "detection_context": "visit", "channel": "oral_or_remote",
    "reporter": {"anonymous": False, "full_name": "Классный руководитель"}, "territory": KARASAY,
    "child": {"last_name": "Иванова", "first_name": "Айгерим", "iin": "150312600124", "birth_date": "2015-03-12",
              "sex": "female"},
    "event_place": "г. Талгар, школа № 12", "case_summary": "Синяки на руках.", "offence_signs": True}
REASON = "Сообщение зарегистрировано дважды, верное дело — предыдущее"
BUTTON = "Отозвать регистрацию"


def _member(app, make_user, code, agency, role="staff"):
    from app.extensions import db
    from app.users.models import User
    api = make_user(f"{code}.{role}", agency, role, password=PASSWORD)
    with app.app_context():
        db.session.query(User).filter_by(username=api.username).update({"organisation": code})
        db.session.commit()
        db.session.remove()
    return api


def _forged_post(page, case_id):
    """What a stranger's browser can send without the button: the form's fields and a valid CSRF token of their
    own session (from the header's sign-out form), posted with the page's cookies."""
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    return page.request.post(f"/cases/{case_id}/withdrawal", form={"reason": REASON, "csrf_token": token},
                             max_redirects=0)


def test_the_registrant_withdraws_and_a_stranger_is_refused(app, new_page, make_user, run_due):
    deploy_guide(app, "ch1-identification.bpmn", "ch4-police.bpmn")
    from app.demo import demo_organisations
    from app.extensions import db
    from app.organisations.service import create
    with app.app_context():
        for o in demo_organisations():
            if o["code"] in ("talgar.school", "karasay.school", "karasay.police"):
                create(db.session, **o)
        db.session.remove()
    school = _member(app, make_user, "talgar.school", "education_org")
    police = _member(app, make_user, "karasay.police", "police")
    _member(app, make_user, "karasay.school", "education_org")
    case = school.post("/process-instances", json={"process_id": "ch1_identification",
                                                   "data": {"received_at": RECEIVED}}).json()
    case_id, number = case["case_id"], case["registration_number"]
    task = next(t for t in school.get("/tasks", params={"case": case_id}).json()["items"]
                if t["bpmn_id"] == "register_education_org")
    assert school.post(f"/tasks/{task['id']}/complete", json={"data": REGISTRATION}).status_code == 200
    run_due(datetime.now(timezone.utc))
    assert [t["bpmn_id"] for t in police.get("/tasks", params={"case": case_id}).json()["items"]] == ["ack_notice"]

    # the police unit told of the case reads it, but neither sees the button nor may withdraw it
    officer = new_page()
    sign_in(officer, police.username)
    officer.goto(f"/cases/{case_id}")
    expect(officer.get_by_role("heading", name=f"Дело {number}")).to_be_visible()
    expect(officer.get_by_role("button", name=BUTTON)).to_have_count(0)
    expect(officer.locator("form[action$='/withdrawal']")).to_have_count(0)
    assert _forged_post(officer, case_id).status == 403

    # another school's staff may not even open the case; their forged POST is refused too
    stranger = new_page()
    sign_in(stranger, "karasay.school.staff")
    assert stranger.goto(f"/cases/{case_id}").status == 403
    stranger.goto("/inbox")
    assert _forged_post(stranger, case_id).status == 403
    assert [t["bpmn_id"] for t in police.get("/tasks", params={"case": case_id}).json()["items"]] == ["ack_notice"]

    # the registrant: the form behind «registered in error»; a reason too short is redrawn in place, text kept
    page = new_page()
    sign_in(page, school.username)
    page.goto(f"/cases/{case_id}")
    page.get_by_text("Сообщение зарегистрировано по ошибке").click()
    reason = page.locator("#withdraw-reason")
    reason.fill("ошибка")
    reason.evaluate("el => el.removeAttribute('minlength')")    # past the browser's own check, to the server's
    page.get_by_role("button", name=BUTTON).click()
    expect(page.locator("#withdraw-error")).to_have_text(
        re.compile(r"Причина: укажите, в чём была ошибка, не менее 10 символов\."))
    expect(page.locator("#withdraw-reason")).to_have_value("ошибка")
    expect(page.locator("#withdraw-reason")).to_have_attribute("aria-invalid", "true")
    assert police.get(f"/cases/{case_id}").json()["withdrawal"] is None

    page.locator("#withdraw-reason").fill(REASON)
    page.get_by_role("button", name=BUTTON).click()
    notice = page.locator("section.withdrawn")
    expect(notice.get_by_role("heading", name="Регистрация отозвана")).to_be_visible()
    expect(notice.locator(".withdrawn__reason")).to_have_text(REASON)
    expect(notice.locator(".withdrawn__by")).to_have_text(school.username)
    expect(notice.locator(".withdrawn__at")).to_contain_text("01.12.2026")
    expect(page.get_by_text(f"Регистрация дела {number} отозвана; открытая работа по нему отменена.")).to_be_visible()
    expect(page.get_by_role("button", name=BUTTON)).to_have_count(0)
    expect(page.get_by_role("heading", name="Смена места жительства")).to_have_count(0)     # nothing moves any more
    expect(page.get_by_text("Открытых задач по делу нет.")).to_be_visible()
    expect(page.locator(".timeline__item--registration_withdrawn")).to_contain_text(REASON)
    mine = [v for v in axe_violations(page) if any("withdraw" in " ".join(map(str, n["target"])) for n in v["nodes"])]
    assert not mine, describe_violations(mine)
    screenshot(page, "case-registration-withdrawn")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "case-registration-withdrawn-phone")

    # the police learn of it: the case page says so, the inbox is empty, the notifications page lists it
    officer.goto(f"/cases/{case_id}")
    expect(officer.locator("section.withdrawn").get_by_role("heading", name="Регистрация отозвана")).to_be_visible()
    officer.goto("/notifications")
    expect(officer.locator(f"li.note--withdrawn[data-case-id='{case_id}']")).to_contain_text(number)
    assert police.get("/tasks", params={"case": case_id}).json()["items"] == []
    assert _forged_post(page, case_id).status == 409                          # twice: refused, nothing changes
