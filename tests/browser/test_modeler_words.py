"""Translations edited in the modeler reach staff (issue 14): an owner gives a task, the pool (the
chapter's title) and the lane Kazakh words in the panel's «Переводы», the words survive bpmn-js's
save and re-import unchanged, Check warns about what still lacks Kazakh, deploy makes version 2, and
a police officer who switched the pages to Kazakh sees the Kazakh task name in the inbox and on the
task page."""
from __future__ import annotations

import re

from pagetools import PASSWORD, ROOT, screenshot, sign_in

FIXTURES = ROOT / "tests" / "fixtures"
MODEL = FIXTURES / "modeler" / "reporter.bpmn"
FORMS = ("fixture-report.json", "fixture-ack.json")
KK_TASK = "Жағдайды толық сипаттау"
KK_STEPS = "№ {{ registration_number }} істі толық сипаттаңыз"
KK_CHAPTER = "Сынақ хабары"
KK_LANE = "Ішкі істер органдары (ІІО)"


def _deploy(api, xml: bytes):
    files = [("file", ("reporter.bpmn", xml, "application/xml"))]
    files += [("forms", (f, (FIXTURES / "forms" / f).read_bytes(), "application/json")) for f in FORMS]
    r = api.post("/process-models", files=files)
    assert r.status_code in (200, 201), r.text
    return r.json()


def _select(page, element_id):
    page.evaluate("id => { const m = window.qamqor.modeler; m.get('selection').select(m.get('elementRegistry').get(id)); }",
                  element_id)


def _type(page, field, text):
    page.locator(field).fill(text)
    page.locator(field).blur()                       # the panel writes on change, as a person leaving the field


def _save(page) -> str:
    return page.evaluate("window.qamqor.modeler.saveXML({format: true}).then(r => r.xml)")


def test_a_task_renamed_in_kazakh_in_the_modeler_is_seen_in_kazakh_in_the_inbox(new_page, make_user):
    owner = make_user("owner", None, "process_owner", password=PASSWORD)
    assert _deploy(owner, MODEL.read_bytes())["version"] == 1
    page = new_page()
    sign_in(page, "owner")
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto("/modeler/reporter")
    page.wait_for_selector("#modeler[data-imported]")
    assert page.evaluate("window.qamqor.imported") == {"warnings": [], "error": None} and not errors, errors

    _select(page, "report")
    assert page.locator("#qp-words legend").inner_text() == "Переводы"
    assert page.locator("#qp-instructions-kk").is_visible()          # a user task's instructions too
    _type(page, "#qp-name-kk", KK_TASK)
    _type(page, "#qp-instructions-kk", KK_STEPS)
    _select(page, "pool")                                             # the pool's words are the process's
    _type(page, "#qp-name-kk", KK_CHAPTER)
    _select(page, "lane_police")
    assert not page.locator("#qp-instructions-kk").is_visible()
    _type(page, "#qp-name-kk", KK_LANE)
    _select(page, "report")
    assert page.locator("#qp-name-kk").input_value() == KK_TASK       # read back from the diagram

    xml = _save(page)
    assert f'<spiffworkflow:property name="name:kk" value="{KK_TASK}" />' in xml
    assert '<spiffworkflow:property name="formJsonSchemaFilename" value="fixture-report.json" />' in xml
    assert f'value="{KK_CHAPTER}"' in xml and f'value="{KK_LANE}"' in xml
    # round trip: bpmn-js reads its own output back and writes the same words again
    page.evaluate("xml => window.qamqor.modeler.importXML(xml)", xml)
    assert _save(page) == xml

    page.get_by_role("button", name=re.compile("Проверить|Check")).click()
    page.wait_for_selector("#status.modeler-status--ok")
    warned = page.locator("#warnings li").evaluate_all("items => items.map(li => li.dataset.element)")
    assert "escalate" in warned and "notify" in warned                # still Russian only: warned, not refused
    assert "английский" in page.locator("#warnings li[data-element='report']").inner_text()   # en still lacking
    assert "lane_police" in warned and "pool" not in warned
    page.locator("#deploy").click()
    page.wait_for_selector("#modeler[data-deployed='2']")
    screenshot(page, "modeler-translations")

    police = make_user("kk.officer", "police", "staff", password=PASSWORD)
    started = police.post("/process-instances", json={"process_id": "reporter",
                                                      "data": {"received_at": "2026-12-01T09:00:00+05:00"}})
    assert started.status_code == 201 and started.json()["version"] == 2, started.text
    staff = new_page()
    sign_in(staff, "kk.officer")
    staff.goto("/inbox")
    assert staff.locator("table.tasks").get_by_role("link", name="Описать случай").count() == 1
    staff.get_by_role("button", name="Қаз").click()
    staff.wait_for_load_state("load")
    assert staff.locator("html").get_attribute("lang") == "kk"
    staff.goto("/inbox")
    link = staff.locator("table.tasks").get_by_role("link", name=KK_TASK)
    assert link.count() == 1 and staff.get_by_text(KK_CHAPTER).count() >= 1
    link.click()
    staff.wait_for_load_state("load")
    assert staff.locator("h1").inner_text() == KK_TASK
    assert "істі толық сипаттаңыз" in staff.locator("main").inner_text()
    screenshot(staff, "inbox-task-in-kazakh")
