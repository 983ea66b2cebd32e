"""Every staff page passes axe-core's WCAG 2.1 A/AA rules (issue 13 §6: "accessibility stays as good as it is",
0 violations), at desktop width and on a phone, and leaves a full-page screenshot of each in tests/artifacts/
(<page>-desktop.png, <page>-phone.png) for a person to look at.

One case on the Guide's real chapters 1 and 4 gives the pages their content: a school registers a report (the
question first, the registration form with and without errors, primary information with a family member added),
the police acknowledge the notice and review the report; then each role's pages are opened in turn — inbox, task
forms, «Что дальше», the case page with its diagrams drawn, the case search, notifications, the supervisor's page,
the dashboard, the account and the second sign-in step, the admin's users and organisations, the modeler (index,
editor, a version, the diff, the cases behind), the audit pages (list, replay, history, compliance, access log),
the refusal page — in Russian, and the main ones again in Kazakh and English. Every violation of every page is
collected before the test fails, so one run lists them all.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pyotp
import pytest
from pagetools import PASSWORD, ROOT, axe_violations, deploy_guide, describe_violations, screenshot, sign_in
from playwright.sync_api import expect

from tests.scenarios.sample import data_for

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
RECEIVED = "2026-12-01T09:00:00+05:00"
CHILD = {"last_name": "Иванова", "first_name": "Айгерим", "patronymic": "Сериковна", "iin": "150312600124",
         "birth_date": "2015-03-12", "sex": "female"}
REGISTRATION = {
    "received_at": RECEIVED, "detected_by": "education", "detection_context": "visit", "channel": "oral_or_remote",
    "reporter": {"anonymous": False, "full_name": "Классный руководитель"}, "child": CHILD,
    "event_place": "г. Талгар, школа № 12", "case_summary": "Синяки на руках.", "offence_signs": True}
PRIMARY = {"child": CHILD,
           "family_members": [{"last_name": "Иванова", "first_name": "Сауле", "relation": "mother",
                               "lives_with_child": True}],
           "address": {"region": "Алматинская область", "locality": "Талгар"}, "general_description": "Семья.",
           "priority_agency": "police", "priority_reason": "Признаки правонарушения.", "education_emergency": False,
           "offence_signs_found": False}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def documents_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "DOCUMENTS_DIR", str(tmp_path / "docs"))


class Walk:
    """Opens pages, checks each with axe-core at both widths and photographs it; keeps every violation found."""

    def __init__(self):
        self.found: dict[str, list] = {}
        self.checked: list[str] = []

    def check(self, page, name, url=None, ready=None, exclude=()):
        if url is not None:
            page.goto(url)
        page.wait_for_load_state("load")
        for width, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            if ready:
                page.wait_for_selector(ready)
            violations = axe_violations(page, exclude)
            if violations:
                self.found[f"{name}-{width}"] = violations
            self.checked.append(f"{name}-{width}")
            screenshot(page, f"{name}-{width}")
        page.set_viewport_size(DESKTOP)

    def report(self):
        return "\n".join(f"{name} ({len(v)} rule(s)):\n{describe_violations(v)}" for name, v in self.found.items())


def _task(api, case_id, bpmn_id):
    return next(t for t in api.get("/tasks", params={"case": case_id}).json()["items"] if t["bpmn_id"] == bpmn_id)


def _complete(api, case_id, bpmn_id, data):
    task = _task(api, case_id, bpmn_id)
    r = api.post(f"/tasks/{task['id']}/complete", json={"data": data})
    assert r.status_code == 200, r.text


def _deploy_second_version(app):
    """Version 2 of chapter 1 with one task renamed, so the modeler's diff and «cases behind» have something."""
    from app.extensions import db
    from app.registry.service import deploy
    xml = (ROOT / "processes" / "ch1-identification.bpmn").read_bytes()
    renamed = re.sub(rb'(<bpmn:userTask id="primary_info_education_org"[^>]*name=")[^"]*"',
                     "\\1Сформировать первичную информацию и приложить документы\"".encode(), xml, count=1)
    assert renamed != xml
    with app.app_context():
        deploy(db.session, bpmn=renamed, forms={}, forms_dir=str(ROOT / "forms"), deployed_by="test")
        db.session.remove()


def test_every_staff_page_passes_axe_at_desktop_and_phone_width(app, new_page, make_user, run_due, documents_dir):
    deploy_guide(app, "ch1-identification.bpmn", "ch4-police.bpmn")
    school = make_user("pedagogue", "education_org", "staff", password=PASSWORD)
    police = make_user("inspector", "police", "staff", password=PASSWORD)
    for username, agency, role in (("chief", "education_org", "supervisor"), ("doctor", "health", "staff"),
                                   ("root", None, "admin"), ("modeller", None, "process_owner"),
                                   ("court.inspector", None, "auditor"), ("committee", None, "overseer")):
        make_user(username, agency, role, password=PASSWORD)
    walk = Walk()

    # -- signing in --------------------------------------------------------------------------------------------
    page = new_page()
    page.goto("/login")                  # not blind: an image without a text alternative is found
    page.evaluate("document.querySelector('main').append(Object.assign(new Image(), {src: '/static/x.png'}))")
    assert [v["id"] for v in axe_violations(page)] == ["image-alt"]
    walk.check(page, "login", "/login")
    sign_in(page, "pedagogue")
    walk.check(page, "inbox-empty")

    # -- the school registers a report: the question, the form, the form with errors ----------------------------
    page.get_by_role("button", name="Зарегистрировать сообщение").click()
    expect(page.get_by_role("heading", name="Зарегистрировать новое сообщение?")).to_be_visible()
    walk.check(page, "report-confirm")
    page.get_by_role("button", name="Да, зарегистрировать").click()
    expect(page.locator(".flash")).to_contain_text("Сообщение зарегистрировано: дело")
    registration_url = page.url
    walk.check(page, "task-registration-form")
    page.get_by_role("button", name="Завершить задачу").click()
    expect(page.locator("#error-summary")).to_be_visible()
    # every field in error, a group of radio buttons or checkboxes too, has the red bar down its left side
    bars = page.eval_on_selector_all(".has-error", "els => els.map(e => [e.id || e.tagName, getComputedStyle(e).borderLeftWidth, getComputedStyle(e).borderLeftColor])")
    assert page.locator("fieldset[role=radiogroup].has-error").count() >= 1
    assert {(w, c) for _, w, c in bars} == {("4px", "rgb(179, 38, 30)")}, bars
    walk.check(page, "task-registration-errors")
    task_id = registration_url.rstrip("/").rsplit("/", 1)[-1]
    case_id = school.get(f"/tasks/{task_id}").json()["case_id"]
    _complete(school, case_id, "register_education_org", REGISTRATION)
    walk.check(page, "task-next", f"/tasks/{task_id}/next")

    # primary information: arrays (family members) and enums, one member added in the page
    primary = _task(school, case_id, "primary_info_education_org")
    page.goto(f"/tasks/{primary['id']}")
    page.get_by_role("button", name=re.compile("Добавить")).first.click()
    walk.check(page, "task-primary-info-form")
    _complete(school, case_id, "primary_info_education_org", PRIMARY)
    assert school.post(f"/cases/{case_id}/documents",
                       files={"file": ("акт осмотра.pdf", PDF, "application/pdf")}).status_code == 201

    # -- the police: the notice, its acknowledgement form, the review form ---------------------------------------
    run_due(datetime.now(timezone.utc))
    inspector = new_page()
    sign_in(inspector, "inspector")
    walk.check(inspector, "notifications", "/notifications")
    walk.check(inspector, "task-acknowledge-form", f"/tasks/{_task(police, case_id, 'ack_notice')['id']}")
    _complete(police, case_id, "ack_notice", {"acknowledged": True, "acknowledged_by": "Сапаров Е.",
                                              "already_in_work": False})
    walk.check(inspector, "inbox", "/inbox")
    walk.check(inspector, "task-review-form", f"/tasks/{_task(police, case_id, 'review_report')['id']}")
    # a criminal offence, the child not safe at home: the investigation, then the placement decision follow, forms
    # with groups of checkboxes (the placement's required)
    _complete(police, case_id, "review_report", data_for("ch4-review.schema.json", offence_type="criminal",
                                                         child_safe_at_home=False))
    walk.check(inspector, "task-investigation-form", f"/tasks/{_task(police, case_id, 'investigate')['id']}")
    _complete(police, case_id, "investigate", data_for("ch4-investigation.schema.json"))
    placement = f"/tasks/{_task(police, case_id, 'decide_placement')['id']}"
    walk.check(inspector, "task-placement-form", placement)
    walk.check(inspector, "case", f"/cases/{case_id}", ready='.diagram[data-ready="true"]')
    walk.check(inspector, "cases-search", "/cases?q=Иванова")
    walk.check(inspector, "account", "/account")

    # -- another agency is refused -------------------------------------------------------------------------------
    doctor = new_page()
    sign_in(doctor, "doctor")
    walk.check(doctor, "error-403", placement)

    # -- the school's supervisor ----------------------------------------------------------------------------------
    chief = new_page()
    sign_in(chief, "chief")
    walk.check(chief, "supervisor", "/supervisor")
    walk.check(chief, "dashboard", "/dashboard")
    committee = new_page()
    sign_in(committee, "committee")
    walk.check(committee, "dashboard-country", "/dashboard")

    # -- the administrator ---------------------------------------------------------------------------------------
    admin = new_page()
    sign_in(admin, "root")
    walk.check(admin, "admin-users", "/admin/users")
    walk.check(admin, "admin-organisations", "/admin/organisations")

    # -- the process owner's modeler --------------------------------------------------------------------------------
    _deploy_second_version(app)
    owner = new_page()
    sign_in(owner, "modeller")
    walk.check(owner, "modeler-index", "/modeler")
    walk.check(owner, "modeler-editor", "/modeler/ch1_identification", ready="#modeler[data-imported]")
    walk.check(owner, "modeler-version", "/modeler/ch1_identification/versions/1", ready="#modeler[data-imported]")
    walk.check(owner, "modeler-diff", "/modeler/ch1_identification/diff")
    walk.check(owner, "modeler-cases", "/modeler/ch1_identification/cases")

    # -- the auditor ----------------------------------------------------------------------------------------------------
    auditor = new_page()
    sign_in(auditor, "court.inspector")
    walk.check(auditor, "audit-instances", "/audit/")
    instance_id = police.get(f"/cases/{case_id}").json()["instances"][0]["id"]
    walk.check(auditor, "audit-replay", f"/audit/instances/{instance_id}", ready='#diagram[data-ready="true"]')
    walk.check(auditor, "audit-history", f"/audit/instances/{instance_id}/history")
    walk.check(auditor, "audit-compliance", "/audit/compliance")
    walk.check(auditor, "audit-access-log", "/audit/access-log")

    # -- Kazakh and English: the pages a staff member lives in ------------------------------------------------------
    for lang, button in (("kk", "Қаз"), ("en", "Eng")):
        inspector.goto("/inbox")
        inspector.get_by_role("button", name=button, exact=True).click()
        expect(inspector.locator("html")).to_have_attribute("lang", lang)
        walk.check(inspector, f"inbox-{lang}")
        walk.check(inspector, f"task-placement-form-{lang}", placement)
        walk.check(inspector, f"case-{lang}", f"/cases/{case_id}", ready='.diagram[data-ready="true"]')
        walk.check(inspector, f"notifications-{lang}", "/notifications")

    # -- the second sign-in step (QAMQOR_TOTP_ROLES): enrolment, then a wrong code -----------------------------------
    app.config["TOTP_ROLES"] = frozenset({"auditor"})
    try:
        guard = new_page()
        guard.goto("/login")
        guard.get_by_label("Имя пользователя").fill("court.inspector")
        guard.get_by_label("Пароль").fill(PASSWORD)
        guard.get_by_role("button", name="Войти").click()
        guard.wait_for_url("**/login/code**")
        walk.check(guard, "login-code-enrol")
        secret = guard.locator("#totp-secret").inner_text()
        code = pyotp.TOTP(secret).now()
        guard.locator("input[name=code]").fill("000000" if code != "000000" else "111111")
        guard.locator("input[name=code]").press("Enter")
        walk.check(guard, "login-code-wrong")
    finally:
        app.config["TOTP_ROLES"] = frozenset()

    assert not walk.found, (f"axe-core found WCAG 2.1 AA violations on {len(walk.found)} of {len(walk.checked)} "
                            f"page views:\n" + walk.report())
