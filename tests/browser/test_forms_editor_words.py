"""A process owner translates a form in the forms editor: the words table shows the Russian words, what the owner
types in Kazakh lands in the form's JSON under x-i18n, the preview in Қаз draws it, and the deployed version keeps it."""
from __future__ import annotations

import json
import re

from pagetools import PASSWORD, ROOT, sign_in
from playwright.sync_api import expect

FIXTURES = ROOT / "tests" / "fixtures"
FORMS = ("fixture-report.json", "fixture-ack.json")


def test_owner_types_a_kazakh_title_previews_it_and_deploys_it(new_page, make_user):
    owner = make_user("owner", None, "process_owner", password=PASSWORD)
    files = [("file", ("reporter.bpmn", (FIXTURES / "modeler" / "reporter.bpmn").read_bytes(), "application/xml"))]
    files += [("forms", (f, (FIXTURES / "forms" / f).read_bytes(), "application/json")) for f in FORMS]
    assert owner.post("/process-models", files=files).status_code == 201
    page = new_page()
    sign_in(page, "owner")
    page.goto("/modeler/reporter")
    page.wait_for_selector("#modeler[data-forms-loaded]")      # the form list is read after the diagram, async
    page.locator("#form-pick").select_option("fixture-report.json")
    expect(page.locator("#form-text")).to_have_value(re.compile("Кратко"))
    page.locator("#form-words-show").click()
    field = page.locator("#form-words input[data-pointer='/properties/summary'][data-lang='kk']")
    field.wait_for()
    assert page.locator("#form-words input.missing").count() == 6         # 3 Russian words, kk and en each
    field.fill("Қысқаша")
    field.press("Tab")
    schema = json.loads(page.locator("#form-text").input_value())
    assert schema["properties"]["summary"]["x-i18n"] == {"kk": {"title": "Қысқаша"}}
    assert schema["properties"]["summary"]["title"] == "Кратко"              # the Russian word stays

    page.locator("#preview-lang").select_option(label="Қазақша")
    page.locator("#form-preview-lang").click()
    page.locator("#preview form").wait_for()
    assert page.locator("#preview").get_by_label(re.compile("Қысқаша")).count() == 1

    page.get_by_role("button", name=re.compile("Проверить|Check")).click()
    page.wait_for_selector("#status.modeler-status--ok")
    page.locator("#deploy").click()
    page.wait_for_selector("#modeler[data-deployed='2']")
    deployed = owner.get("/process-models/reporter/versions/2/forms").json()["items"]["fixture-report.json"]
    assert deployed["properties"]["summary"]["x-i18n"] == {"kk": {"title": "Қысқаша"}}
