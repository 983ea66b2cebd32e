"""Two staff of two schools, side by side in two browsers: each sees only their own school's report, the
other's case page is refused, and the registration form offers the child's residence from the КАТО classifier."""
from __future__ import annotations

from pagetools import PASSWORD, deploy_guide, screenshot, sign_in
from playwright.sync_api import expect


def test_two_schools_each_see_only_their_own(app, new_page, make_user):
    deploy_guide(app, "ch1-identification.bpmn")
    from app.extensions import db
    from app.organisations.service import create
    from app.users.models import User
    with app.app_context():
        for code, kato in (("talgar.school", "196200000"), ("karasay.school", "195200000")):
            create(db.session, code=code, agency="education_org", name_ru=f"Школа {code}", serves=[kato])
        db.session.remove()
    cases = {}
    for code in ("talgar.school", "karasay.school"):
        api = make_user(f"{code}.staff", "education_org", "staff", password=PASSWORD)
        with app.app_context():
            db.session.query(User).filter_by(username=api.username).update({"organisation": code})
            db.session.commit()
            db.session.remove()
        started = api.post("/process-instances", json={"process_id": "ch1_identification", "data": {}}).json()
        cases[code] = started

    pages = {}
    for code in cases:
        page = pages[code] = new_page()
        sign_in(page, f"{code}.staff")
        expect(page.get_by_role("heading", name="Входящие")).to_be_visible()
    for code, other in (("talgar.school", "karasay.school"), ("karasay.school", "talgar.school")):
        page = pages[code]
        rows = page.locator("[data-task-id]")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(cases[code]["registration_number"])
        expect(page.get_by_text(cases[other]["registration_number"])).to_have_count(0)
        response = page.goto(f"/cases/{cases[other]['case_id']}")
        assert response.status == 403
    page = pages["talgar.school"]
    page.goto("/inbox")
    page.goto(f"/tasks/{page.locator('[data-task-id]').first.get_attribute('data-task-id')}")
    residence = page.get_by_label("Место проживания ребёнка (район, город по КАТО)")
    residence.select_option(label="Талгарский район, Алматинская область")
    screenshot(page, "two-schools-registration-residence")
