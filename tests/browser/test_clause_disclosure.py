"""The Guide's clause codes on a task page open to their text by a tap or the keyboard, not only on hover.

A hover title (``<abbr title>``) never shows on a phone; each code is a disclosure instead (``<details>``,
no script), which a tap and Enter both open.
"""
from __future__ import annotations

from pagetools import PHONE, assert_accessible, assert_fits, deploy_guide, sign_in
from playwright.sync_api import expect


def test_a_clause_code_opens_to_its_text_by_tap_and_by_keyboard(app, new_page, person):
    deploy_guide(app, "ch1-identification.bpmn")
    person("pedagogue", "education_org", "staff")
    page = new_page()
    page.set_viewport_size(PHONE)
    sign_in(page, "pedagogue")
    page.get_by_role("button", name="Зарегистрировать сообщение").click()
    page.get_by_role("button", name="Да, зарегистрировать").click()
    expect(page.locator(".flash")).to_contain_text("Сообщение зарегистрировано: дело")

    p6 = page.locator("details.clause", has=page.locator("summary", has_text="P6"))
    text = p6.locator(".clause__text")
    expect(text).to_be_hidden()
    p6.locator("summary").click()          # what a tap on the phone does
    expect(text).to_be_visible()
    expect(text).to_contain_text("регистрирует обращение")
    assert_fits(page, "task page with a clause open")

    p4c = page.locator("details.clause", has=page.locator("summary", has_text="P4.c"))
    p4c.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(p4c.locator(".clause__text")).to_be_visible()
    page.keyboard.press("Enter")
    expect(p4c.locator(".clause__text")).to_be_hidden()
    assert_accessible(page, name="task page, clauses")
