"""The supervisor's page on a phone (360 px): the unit's workload as labelled cards with no sideways scrolling,
and an employee's task handed to a colleague by ticking it — then counted under the colleague. axe-core finds
no WCAG 2.1 AA violation on the page, with the hand-over form open and after a refusal."""
from __future__ import annotations

from pagetools import PASSWORD, PHONE, assert_accessible, assert_fits, screenshot, sign_in
from playwright.sync_api import expect

from tests.pages.test_supervisor_workload import build_unit


def _row(page, holder):
    return page.locator(f'table.workload tr[data-holder="{holder}"]')


def test_a_supervisor_sees_the_workload_and_hands_a_task_over_on_a_phone(app, owner, make_user, new_page):
    _, tasks = build_unit(app, owner, make_user, PASSWORD)
    page = new_page()
    page.set_viewport_size(PHONE)
    sign_in(page, "chief")
    page.goto("/supervisor")
    expect(page.get_by_role("heading", name="Нагрузка")).to_be_visible()
    aidos = _row(page, "aidos")
    expect(aidos.locator('[data-count="open"]')).to_have_text("2")
    expect(aidos.locator('[data-count="overdue"]')).to_have_attribute("data-label", "Просрочено")
    assert_fits(page, "supervisor")
    assert_accessible(page, name="supervisor")
    screenshot(page, "phone-supervisor-workload")

    aidos.get_by_role("link", name="Передать задачи: Айдос Серикович").click()
    form = page.locator("form.handover")
    expect(form.get_by_role("checkbox")).to_have_count(2)
    form.locator(f'input[value="{tasks["late"]}"]').check()
    form.get_by_label("Кому передать").select_option("bota")
    assert_fits(page, "supervisor, hand-over form")
    assert_accessible(page, name="supervisor, hand-over form")
    form.get_by_role("button", name="Передать", exact=True).click()
    expect(page.locator(".flash")).to_contain_text("Передано задач: 1 — Бота Нурлановна.")
    expect(_row(page, "aidos").locator('[data-count="open"]')).to_have_text("1")
    expect(_row(page, "bota").locator('[data-count="overdue"]')).to_have_text("1")
    expect(page.locator("form.handover").get_by_role("checkbox")).to_have_count(1)     # the one Aidos still holds

    # no colleague chosen: the page redrawn with the reason, the ticked task still ticked
    page.locator("form.handover").get_by_role("checkbox").check()
    page.locator("form.handover").get_by_role("button", name="Передать", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Кому передать: выберите сотрудника.")
    expect(page.locator("form.handover").get_by_role("checkbox")).to_be_checked()
    assert_accessible(page, name="supervisor, refused hand-over")
    screenshot(page, "phone-supervisor-handover")
