"""An auditor replays a multi-agency case in the browser: the slider moves the tokens on the diagram."""
from pagetools import screenshot, sign_in

from tests.audit.scenario import scenario  # noqa: F401  (fixtures)


def test_the_replay_slider_moves_the_tokens_along_the_diagram(scenario, person, new_page):
    person("court.inspector", None, "auditor")
    page = new_page()
    sign_in(page, "court.inspector")
    page.goto("/audit/")
    page.get_by_label("Рег. номер").fill(scenario.registration_number)
    page.get_by_role("button", name="Применить").click()
    row = page.locator(f'tr[data-instance="{scenario.police_instance}"]')
    row.get_by_role("link", name="Воспроизвести").click()
    page.wait_for_url("**/audit/instances/*")
    assert "Проверено повторным исполнением" in page.locator("#verdict").inner_text()

    # Step 3: the report task waits for the police; its token is drawn on the diagram.
    page.locator("#step").fill("3")
    page.wait_for_selector('#event-seq:text-is("3")')
    page.wait_for_selector('#diagram[data-ready="true"][data-active="report"]')
    page.wait_for_selector('#diagram [data-element-id="report"].is-token')
    assert page.locator("#event-type").inner_text() == "Поставлена задача"
    assert page.locator('#diagram [data-element-id="start"].is-done').count() == 1
    assert page.locator('#diagram [data-element-id="f1"].is-taken').count() == 1

    # Forward to the missed deadline's escalation: two tokens, the timer's path taken.
    page.locator("#step").fill("6")
    page.wait_for_selector('#diagram[data-ready="true"][data-active="escalate report"]')
    assert page.locator('#diagram [data-element-id="escalate"].is-token').count() == 1
    assert page.locator('#diagram [data-element-id="deadline"].is-done').count() == 1
    assert "step=6" in page.url

    # The last step: everything done, no token left; the inspector is the one who acted.
    last = page.locator("#step").get_attribute("max")
    page.locator("#step").fill(last)
    page.wait_for_selector(f'#event-seq:text-is("{last}")')
    page.wait_for_selector('#diagram[data-ready="true"][data-active=""]')
    assert page.locator("#event-type").inner_text() == "Процесс завершён"
    assert page.locator("#event-actor").inner_text() == "inspector"
    assert page.locator('#diagram [data-element-id="notify"].is-done').count() == 1
    assert page.locator("#next").is_hidden() and page.locator("#prev").is_visible()
    screenshot(page, "audit-replay")


def test_replay_reads_as_labelled_fields_with_the_change_marked_and_jumps_to_an_event(scenario, person, new_page):
    person("court.inspector", None, "auditor")
    page = new_page()
    sign_in(page, "court.inspector")
    page.goto(f"/audit/instances/{scenario.police_instance}?step=1")
    page.wait_for_selector('#diagram[data-ready="true"]')
    assert page.locator("#prev").is_hidden()

    # Jump straight to the police's completed report: its fields are labelled, the new ones marked.
    option = page.locator("#jump option", has_text="Задача выполнена: Описать случай")
    seq = option.get_attribute("value")
    page.locator("#jump").select_option(seq)
    page.wait_for_selector(f'#event-seq:text-is("{seq}")')
    assert page.locator("#event-element").inner_text() == "Описать случай"
    assert page.locator("#event-lane").inner_text() == "Органы внутренних дел (ОВД)"
    added = page.locator('#data div[data-change="added"]', has_text="Кратко")
    assert added.locator("mark").inner_text() == "новое" and "синяки на руках" in added.inner_text()
    assert "summary" not in page.locator("#data").inner_text()
    assert page.locator("#event-data").inner_text().startswith("Кратко")
    assert f"step={seq}" in page.url and page.locator("#step").input_value() == seq

    # Back one event with the button: the report's fields are no longer new, the slider follows.
    page.locator("#prev").click()
    page.wait_for_selector(f'#event-seq:text-is("{int(seq) - 1}")')
    assert page.locator('#data div[data-change="added"]', has_text="Кратко").count() == 0
    assert page.locator("#jump").input_value() == str(int(seq) - 1)
    page.locator("#next").click()
    page.wait_for_selector(f'#event-seq:text-is("{seq}")')
    page.locator('#data div[data-change="added"]').first.scroll_into_view_if_needed()
    screenshot(page, "audit-replay-readable")
