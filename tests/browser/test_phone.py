"""Every staff page works on a phone 360 px wide: no sideways scrolling, the menu, «Зарегистрировать сообщение»
and «Выйти» within reach, the inbox as labelled cards. Screenshots of each page at desktop and phone width go
to tests/artifacts/ (phone-*.png, desktop-*.png)."""
from __future__ import annotations

import re

from pagetools import deploy_guide, screenshot, sign_in
from playwright.sync_api import expect

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def _fits(page, name):
    page.wait_for_load_state("load")  # measured with its stylesheet applied, not before it arrives
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: the page is {width} px wide at 360"


def _reachable(page, locator):
    """Visible, inside the viewport's width, and a tap target at least 44 px high."""
    page.wait_for_load_state("load")
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5, box
    assert box["height"] >= 44, box


def test_staff_pages_fit_a_phone_and_keep_their_buttons_in_reach(app, new_page, person):
    deploy_guide(app, "ch1-identification.bpmn", "ch4-police.bpmn")
    person("pedagogue", "education_org", "staff")
    person("chief", "education_org", "supervisor")
    person("root", None, "admin")

    page = new_page()
    page.set_viewport_size(PHONE)
    sign_in(page, "pedagogue")
    expect(page.get_by_role("heading", name="Входящие задачи")).to_be_visible()
    _reachable(page, page.get_by_role("button", name="Зарегистрировать сообщение"))
    _reachable(page, page.get_by_role("button", name="Выйти"))
    page.get_by_role("button", name="Зарегистрировать сообщение").click()
    _fits(page, "registration question")
    _reachable(page, page.get_by_role("button", name="Да, зарегистрировать"))
    page.get_by_role("button", name="Да, зарегистрировать").click()
    expect(page.locator(".flash")).to_contain_text("Сообщение зарегистрировано: дело")
    task_url = page.url
    _fits(page, "report form")
    expect(page.get_by_label("ИИН", exact=True).first).to_have_attribute("inputmode", "numeric")
    screenshot(page, "phone-report-form")
    page.get_by_role("link", name=re.compile("Входящие")).first.click()
    _fits(page, "inbox")
    card = page.locator(".tasks tbody tr").first
    expect(card.locator("td").nth(1)).to_have_attribute("data-label", re.compile(".+"))
    screenshot(page, "phone-inbox")
    case_link = page.locator(".tasks a[href*='/cases/']").first
    case_url = case_link.get_attribute("href")

    pages = {"case": case_url, "notifications": "/notifications", "account": "/account"}
    for name, url in pages.items():
        page.goto(url)
        _fits(page, name)
        screenshot(page, f"phone-{name}")

    chief = new_page()
    chief.set_viewport_size(PHONE)
    sign_in(chief, "chief")
    chief.goto("/supervisor")
    _fits(chief, "supervisor")
    screenshot(chief, "phone-supervisor")

    admin = new_page()
    admin.set_viewport_size(PHONE)
    sign_in(admin, "root")
    admin.goto("/admin/users")
    _fits(admin, "users")
    screenshot(admin, "phone-users")

    desktop = new_page()
    desktop.set_viewport_size(DESKTOP)
    sign_in(desktop, "pedagogue")
    for name, url in {"inbox": "/inbox", "report-form": task_url, "case": case_url,
                      "notifications": "/notifications", "account": "/account"}.items():
        desktop.goto(url)
        screenshot(desktop, f"desktop-{name}")
