"""The top navigation by keyboard alone: the skip link first, then Tab reaches each link by its name, Enter opens it."""
from pagetools import screenshot, sign_in


def test_an_auditor_reaches_the_audit_pages_with_the_keyboard(person, new_page):
    person("court.inspector", None, "auditor", "process_owner")
    page = new_page()
    sign_in(page, "court.inspector")
    page.goto("/inbox")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Перейти к содержанию"
    nav = page.get_by_role("navigation", name="Главное меню")
    names = nav.get_by_role("link").all_inner_texts()
    assert names[-4:] == ["Моделирование", "Аудит", "Соблюдение сроков", "Журнал доступа"]
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.textContent.trim()"))
        if reached[-1] == "Журнал доступа":
            break
    assert all(name in reached for name in names)
    page.keyboard.press("Enter")
    page.wait_for_url("**/audit/access-log")
    assert nav.get_by_role("link", name="Журнал доступа").get_attribute("aria-current") == "page"
    screenshot(page, "navigation-auditor")
