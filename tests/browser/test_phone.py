"""Every staff page works on a phone 360 px wide: no sideways scrolling, the menu, «Зарегистрировать сообщение»
and «Выйти» within reach, the inbox as labelled cards. Screenshots of each page at desktop and phone width go
to tests/artifacts/ (phone-*.png, desktop-*.png)."""
from __future__ import annotations

import re

from pagetools import DESKTOP, PHONE, assert_fits, assert_reachable, deploy_guide, screenshot, sign_in
from playwright.sync_api import expect

def test_staff_pages_fit_a_phone_and_keep_their_buttons_in_reach(app, new_page, person):
    deploy_guide(app, "ch1-identification.bpmn", "ch4-police.bpmn")
    person("pedagogue", "education_org", "staff")
    person("chief", "education_org", "supervisor")
    person("root", None, "admin")

    page = new_page()
    page.set_viewport_size(PHONE)
    sign_in(page, "pedagogue")
    expect(page.get_by_role("heading", name="Входящие задачи")).to_be_visible()
    assert_reachable(page, page.get_by_role("button", name="Зарегистрировать сообщение"))
    assert_reachable(page, page.get_by_role("button", name="Выйти"))
    page.get_by_role("button", name="Зарегистрировать сообщение").click()
    assert_fits(page, "registration question")
    assert_reachable(page, page.get_by_role("button", name="Да, зарегистрировать"))
    page.get_by_role("button", name="Да, зарегистрировать").click()
    expect(page.locator(".flash")).to_contain_text("Сообщение зарегистрировано: дело")
    task_url = page.url
    assert_fits(page, "report form")
    expect(page.get_by_label("ИИН", exact=True).first).to_have_attribute("inputmode", "numeric")
    screenshot(page, "phone-report-form")
    page.get_by_role("link", name=re.compile("Входящие")).first.click()
    assert_fits(page, "inbox")
    card = page.locator(".tasks tbody tr").first
    expect(card.locator("td").nth(1)).to_have_attribute("data-label", re.compile(".+"))
    screenshot(page, "phone-inbox")
    case_link = page.locator(".tasks a[href*='/cases/']").first
    case_url = case_link.get_attribute("href")

    pages = {"case": case_url, "notifications": "/notifications", "account": "/account"}
    for name, url in pages.items():
        page.goto(url)
        assert_fits(page, name)
        screenshot(page, f"phone-{name}")

    chief = new_page()
    chief.set_viewport_size(PHONE)
    sign_in(chief, "chief")
    chief.goto("/supervisor")
    assert_fits(chief, "supervisor")
    screenshot(chief, "phone-supervisor")

    admin = new_page()
    admin.set_viewport_size(PHONE)
    sign_in(admin, "root")
    admin.goto("/admin/users")
    assert_fits(admin, "users")
    screenshot(admin, "phone-users")

    desktop = new_page()
    desktop.set_viewport_size(DESKTOP)
    sign_in(desktop, "pedagogue")
    for name, url in {"inbox": "/inbox", "report-form": task_url, "case": case_url,
                      "notifications": "/notifications", "account": "/account"}.items():
        desktop.goto(url)
        screenshot(desktop, f"desktop-{name}")
